"""Import of the lists from a spreadsheet (CSV or XLSX, through ``website.core.tabular``),
in two steps: ``plan`` checks every row and says what would change, ``apply`` makes the
change the person saw.

Columns (Chinese headers; ``template_rows`` gives a file to fill in): 名称, 名单类别,
统一社会信用代码, 曾用名, 别名, 原因, 来源文件, 来源链接, 发布日期, 地区, 状态, 解除日期.
A row updates the entity with the same credit code, or (without a code) the one with the
same name on the same list; any other row adds an entity. All or nothing: if any row has a
problem nothing is written and every problem is listed with its row number.

Changes go through review like edits in the admin: each row becomes a revision, published at
once only for people who may publish entities, otherwise left as a draft to submit.
"""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext as _

from website.core import tabular
from website.firms.codes import clean_code, validate_credit_code
from website.firms.models import NAME_LENGTH, Entity, EntityKind, split_lines
from website.firms.normalise import normalise_name
from website.taxonomy.lookup import RegionNames

REQUIRED = ["名称", "名单类别", "原因", "来源文件", "发布日期"]
COLUMNS = [
    "名称",
    "名单类别",
    "统一社会信用代码",
    "曾用名",
    "别名",
    "原因",
    "来源文件",
    "来源链接",
    "发布日期",
    "地区",
    "状态",
    "解除日期",
]
# Column → model field, for the values a row sets and the preview compares.
FIELDS = {
    "名称": "name",
    "统一社会信用代码": "credit_code",
    "曾用名": "former_names",
    "别名": "aliases",
    "原因": "reason",
    "来源文件": "source",
    "来源链接": "source_url",
    "发布日期": "source_date",
    "状态": "status",
    "解除日期": "lifted_on",
}
STATUS_NAMES = {
    "": Entity.Status.IN_FORCE,
    "有效": Entity.Status.IN_FORCE,
    "生效": Entity.Status.IN_FORCE,
    "in_force": Entity.Status.IN_FORCE,
    "已解除": Entity.Status.LIFTED,
    "解除": Entity.Status.LIFTED,
    "lifted": Entity.Status.LIFTED,
}
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d")


@dataclass
class Row:
    number: int
    values: dict = field(default_factory=dict)
    errors: list = field(default_factory=list)
    entity: Entity | None = None  # the entity it updates, None for a new one
    changes: list = field(default_factory=list)  # labels of the columns that change

    @property
    def action(self):
        if self.entity is None:
            return "new"
        return "update" if self.changes else "same"


@dataclass
class Plan(tabular.ImportResult):
    rows: list = field(default_factory=list)

    def count(self, action):
        return sum(1 for r in self.rows if r.action == action)

    @property
    def new(self):
        return self.count("new")

    @property
    def updated(self):
        return self.count("update")

    @property
    def unchanged(self):
        return self.count("same")


def parse_date(text):
    """Return the date ``text`` names (2026-05-15, 2026/5/15, 2026年5月15日 …) or raise
    ValueError."""
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def _text(row, label, value, max_length, required=False):
    if required and not value:
        row.errors.append(_("“%(col)s”不能为空。") % {"col": label})
    elif len(value) > max_length:
        row.errors.append(_("“%(col)s”太长（最多 %(n)d 个字）。") % {"col": label, "n": max_length})
    return value


def _date(row, label, value, required=False):
    if not value:
        if required:
            row.errors.append(_("“%(col)s”不能为空。") % {"col": label})
        return None
    try:
        return parse_date(value)
    except ValueError:
        row.errors.append(
            _("“%(col)s”应为日期，如 2026-05-15，而不是“%(v)s”。") % {"col": label, "v": value[:20]}
        )
        return None


def parse_record(record, kinds, regions):
    """Check one tabular.Record; return a Row whose ``errors`` lists every problem."""
    row = Row(record.number)
    get, v = record.get, row.values
    v["name"] = _text(row, "名称", get("名称"), NAME_LENGTH, required=True)
    kind_name = get("名单类别")
    v["kind"] = kinds.get(kind_name)
    if kind_name and v["kind"] is None:
        row.errors.append(
            _("名单类别“%(v)s”不存在，应为：%(kinds)s。")
            % {"v": kind_name[:20], "kinds": "、".join(kinds)}
        )
    elif not kind_name:
        row.errors.append(_("“名单类别”不能为空。"))
    code = clean_code(get("统一社会信用代码"))
    if code:
        try:
            validate_credit_code(code)
        except ValidationError as exc:
            row.errors.extend(exc.messages)
    v["credit_code"] = code
    v["former_names"] = "\n".join(split_lines(_text(row, "曾用名", get("曾用名"), 2000)))
    v["aliases"] = "\n".join(split_lines(_text(row, "别名", get("别名"), 2000)))
    v["reason"] = _text(row, "原因", get("原因"), 1000, required=True)
    v["source"] = _text(row, "来源文件", get("来源文件"), 200, required=True)
    url = get("来源链接")
    if url:
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError:
            row.errors.append(_("“来源链接”不是有效的网址（应以 http:// 或 https:// 开头）。"))
    v["source_url"] = url[:200]
    v["source_date"] = _date(row, "发布日期", get("发布日期"), required=True)
    region_text = get("地区")
    v["region"], problem = regions.resolve(region_text)
    if problem:
        row.errors.append(problem)
    status = STATUS_NAMES.get(get("状态").lower())
    if status is None:
        row.errors.append(_("状态应为“有效”或“已解除”，而不是“%(v)s”。") % {"v": get("状态")[:20]})
    v["status"] = status or Entity.Status.IN_FORCE
    v["lifted_on"] = _date(row, "解除日期", get("解除日期"))
    return row


def plan(table):
    """Return a Plan for the tabular.Table ``table``: every row checked (``errors``) and, if
    none has a problem, what each would do (``rows``: new, update with the columns that
    change, or same). Reads the database only (one query per table)."""
    kinds = {k.name: k for k in EntityKind.objects.all()}
    # Names, paths (长沙市/岳麓区) or codes; a name two regions share is an error, not a guess.
    regions = RegionNames()
    result = Plan()
    seen_codes, seen_names = {}, {}
    for record in table.records():
        row = parse_record(record, kinds, regions)
        code, kind = row.values["credit_code"], row.values["kind"]
        if code:
            if code in seen_codes:
                row.errors.append(
                    _("统一社会信用代码与第 %(row)d 行重复。") % {"row": seen_codes[code]}
                )
            seen_codes.setdefault(code, row.number)
        elif kind is not None and row.values["name"]:
            key = (normalise_name(row.values["name"]), kind.pk)
            if key in seen_names:
                row.errors.append(
                    _("与第 %(row)d 行是同一名单上的同一名称。") % {"row": seen_names[key]}
                )
            seen_names.setdefault(key, row.number)
        result.errors += [(row.number, str(e)) for e in row.errors]
        result.rows.append(row)
    if not result.rows and not result.errors:
        result.errors.append((0, _("文件里没有数据行。")))
    if result.errors:
        return result
    _match_existing(result.rows)
    return result


def _match_existing(rows):
    by_code = tabular.lookup(
        Entity.objects.all(), "credit_code", {r.values["credit_code"] for r in rows}
    )
    names = {r.values["name"] for r in rows if not r.values["credit_code"]}
    by_name = {}
    if names:
        for entity in Entity.objects.filter(name__in=names).order_by("pk"):
            by_name.setdefault((entity.name, entity.kind_id), entity)
    for row in rows:
        v = row.values
        row.entity = by_code.get(v["credit_code"]) if v["credit_code"] else None
        if row.entity is None and not v["credit_code"]:
            row.entity = by_name.get((v["name"], v["kind"].pk))
        if row.entity is not None:
            current = row.entity.get_latest_revision_as_object()
            row.changes = [
                label
                for label, name in [
                    ("名单类别", "kind"),
                    ("地区", "region"),
                    *((k, f) for k, f in FIELDS.items()),
                ]
                if _value(current, name) != _value_of(v, name)
            ]


def _value(entity, name):
    if name in ("kind", "region"):
        return getattr(entity, f"{name}_id")
    return getattr(entity, name) or ""


def _value_of(values, name):
    value = values[name]
    if name in ("kind", "region"):
        return value.pk if value is not None else None
    return value or ""


def apply(rows, *, user=None, publish=False):
    """Write the planned ``rows`` (a Plan's, free of errors); return (created, updated).
    Each changed row becomes a revision, published when ``publish``."""
    created = updated = 0
    with transaction.atomic():
        for row in rows:
            if row.action == "same":
                continue
            if row.entity is None:
                entity = Entity(live=False)
            else:
                entity = row.entity.get_latest_revision_as_object()
            for name, value in row.values.items():
                setattr(entity, name, value)
            if not entity.live:
                entity.save()  # a draft's own row holds the draft
            revision = entity.save_revision(user=user, log_action=True)
            if publish:
                revision.publish(user=user)
            if row.entity is None:
                created += 1
            else:
                updated += 1
    return created, updated


def template_rows():
    """Return the rows of the template file: the header and one example (fictional)."""
    return [
        COLUMNS,
        [
            "示范汇金宝投资管理有限公司",
            "警示名单",
            "",
            "示范汇金财富咨询有限公司",
            "汇金宝、汇金宝App",
            "未经批准以“养老理财”为名向社会公众吸收资金，承诺年化18%回报。",
            "示范市处非办2026年第1号风险提示",
            "",
            "2026-03-15",
            "",
            "有效",
            "",
        ],
    ]
