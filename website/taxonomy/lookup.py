"""Regions named the way people write them in spreadsheets: a code (430104), a name (岳麓区),
or a path at any depth (长沙市/岳麓区, 湖南省 › 长沙市 › 岳麓区, 湖南省 长沙市 岳麓区).

Every importer reads regions through ``RegionNames``, built once per file (one query), and
every import template carries ``code_sheet()`` so staff can look codes and paths up.
"""

import re

from django.utils.translation import gettext as _

from website.taxonomy.widgets import SEPARATOR

# Path separators staff type: the picker's ›, >, /, \, full-width ／, hyphens and spaces.
PATH_SPLIT = re.compile(r"\s*(?:›|>|＞|/|／|\\|—|-)\s*|\s+")
CODE = re.compile(r"^\d+$")
MAX_CANDIDATES_SHOWN = 5


class RegionNames:
    """Resolve what a spreadsheet cell says into a Region, with a Chinese error when it
    names none or several."""

    def __init__(self, queryset=None):
        from website.taxonomy.models import Region

        regions = list(queryset if queryset is not None else Region.objects.all())
        self.by_code = {r.code: r for r in regions}
        self.by_name = {}
        for r in regions:
            self.by_name.setdefault(r.name, []).append(r)

    def names_of(self, region):
        """Return the names from the root down to ``region``."""
        codes = [c for c in region.path.strip("/").split("/") if c]
        return [self.by_code[c].name for c in codes if c in self.by_code]

    def full_path(self, region):
        return SEPARATOR.join(self.names_of(region))

    def resolve(self, text):
        """Return ``(region, None)`` or ``(None, message)`` for the cell ``text``; an empty
        cell gives ``(None, None)``."""
        text = (text or "").strip()
        if not text:
            return None, None
        if CODE.match(text):
            region = self.by_code.get(text)
            if region is None:
                return None, _(
                    "地区代码“%(v)s”不存在（可填区划代码、名称或完整路径，见模板的“区划代码”表）。"
                ) % {"v": text}
            return region, None
        parts = [p for p in PATH_SPLIT.split(text) if p]
        if not parts:
            return None, _("地区“%(v)s”无法识别。") % {"v": text[:40]}
        candidates = [
            r for r in self.by_name.get(parts[-1], []) if _in_order(parts[:-1], self.names_of(r))
        ]
        if len(candidates) == 1:
            return candidates[0], None
        if not candidates:
            return None, _(
                "地区“%(v)s”不存在，请填区划代码、名称或完整路径（见模板的“区划代码”表）。"
            ) % {"v": text[:40]}
        shown = "；".join(
            f"{self.full_path(r)}（{r.code}）" for r in candidates[:MAX_CANDIDATES_SHOWN]
        )
        return None, _(
            "地区“%(v)s”有 %(n)d 处同名：%(list)s。请填上级地区（如“%(example)s”）或区划代码。"
        ) % {
            "v": text[:40],
            "n": len(candidates),
            "list": shown,
            "example": "/".join(self.names_of(candidates[0])[-2:]),
        }


def _in_order(wanted, names):
    """Return whether the names ``wanted`` appear among the ancestors ``names`` in order
    (levels may be skipped: 长沙市/岳麓区 leaves out the province)."""
    ancestors = iter(names[:-1])
    return all(any(name == a for a in ancestors) for name in wanted)


CODE_SHEET_HEADER = ["区划代码", "名称", "完整路径", "层级"]


def code_sheet():
    """Return the rows of the region-code sheet import templates carry (header first)."""
    from website.taxonomy.models import Region

    names = RegionNames(Region.objects.order_by("path"))
    rows = [CODE_SHEET_HEADER]
    for region in sorted(names.by_code.values(), key=lambda r: r.path):
        rows.append([region.code, region.name, names.full_path(region), region.get_level_display()])
    return rows
