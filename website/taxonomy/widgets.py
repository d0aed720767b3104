"""The one region picker (地区选择) every form uses, in the admin and in filters.

Without JavaScript it is a plain ``<select>`` whose options read as full paths
(湖南省 › 长沙市 › 岳麓区), so two places with the same name (many provinces have a 新华区 or a
城关镇) are told apart. With JavaScript ``region-picker.js`` puts a search box in front of it
that narrows the options as one types a name, a piece of a path or a code. The script is a
static file with no inline code, so it runs under the admin's Content-Security-Policy.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

SEPARATOR = " › "


def path_labels():
    """Return ``{pk: full path}`` and ``{code: full path}`` for every region (one query)."""
    from website.taxonomy.models import Region

    rows = list(Region.objects.values_list("pk", "code", "name", "path"))
    names = {code: name for _pk, code, name, _path in rows}
    by_pk, by_code = {}, {}
    for pk, code, _name, path in rows:
        label = SEPARATOR.join(names[c] for c in path.strip("/").split("/") if c in names)
        by_pk[str(pk)] = label
        by_code[code] = label
    return by_pk, by_code


def full_path(region):
    """Return ``region``'s full path, e.g. 湖南省 › 长沙市 › 岳麓区."""
    return SEPARATOR.join(r.name for r in region.ancestors(include_self=True))


class RegionPickerMixin:
    """Relabel every option with its region's full path; keep values as they are (pk or code)."""

    class Media:
        js = ["taxonomy/region-picker.js"]
        css = {"all": ["taxonomy/region-picker.css"]}

    def __init__(self, attrs=None, choices=(), key="pk"):
        # ``key`` says what a bare option value is ("pk" or "code"); options built by a
        # ModelChoiceField carry their region and need no guessing.
        self.key = key
        attrs = {
            "data-region-picker": "",
            "data-region-picker-placeholder": _("输入地名或代码查找，如 岳麓"),
            "data-region-picker-none": _("没有找到这个地区"),
            **(attrs or {}),
        }
        super().__init__(attrs, choices)

    def optgroups(self, name, value, attrs=None):
        self._labels = path_labels()
        try:
            return super().optgroups(name, value, attrs)
        finally:
            del self._labels

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        by_pk, by_code = self._labels
        instance = getattr(value, "instance", None)
        key = str(getattr(value, "value", value))
        if instance is not None:
            label = by_pk.get(str(instance.pk), label)
        else:
            label = (by_code if self.key == "code" else by_pk).get(key, label)
        return super().create_option(name, value, label, selected, index, subindex, attrs)


class RegionSelect(RegionPickerMixin, forms.Select):
    """Choose one region."""


class RegionSelectMultiple(RegionPickerMixin, forms.SelectMultiple):
    """Choose several regions (each chosen region counts with everything under it)."""

    def __init__(self, attrs=None, choices=(), key="pk"):
        super().__init__({"size": 8, **(attrs or {})}, choices, key)
