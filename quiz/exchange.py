"""Import and export of the question bank as CSV or XLSX, one question per row.

Columns (Chinese headers, so a spreadsheet is readable by the office's staff):
编号, 题型, 题干, 情景材料, 解析, 考查要点, 难度, 幌子标签, 适用人群, 启用, then for each of up
to six choices 选项N, 选项N正确, 选项N反馈. An export imports back unchanged.

Import is all or nothing: every row is checked first, and if any row has a problem nothing
is written and every problem is reported with its row number. Rows whose 编号 exists update
that question (its choices are updated in place, so answers already given keep pointing
at them); new 编号 create questions.
"""

import csv
import io
import re
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _
from taggit.models import Tag

from quiz.models import MAX_CHOICES, Choice, Question, check_choices
from website.taxonomy.models import Audience

MAX_ROWS = 5000
MAX_BYTES = 5 * 1024 * 1024
BASE_COLUMNS = [
    "编号",
    "题型",
    "题干",
    "情景材料",
    "解析",
    "考查要点",
    "难度",
    "幌子标签",
    "适用人群",
    "启用",
]
CHOICE_COLUMNS = [(f"选项{n}", f"选项{n}正确", f"选项{n}反馈") for n in range(1, MAX_CHOICES + 1)]
COLUMNS = BASE_COLUMNS + [c for triple in CHOICE_COLUMNS for c in triple]
LIST_SEPARATORS = re.compile(r"[、,，;；|]")
YES = {"是", "对", "正确", "√", "✓", "1", "true", "yes", "y", "t"}
NO = {"否", "错", "错误", "×", "0", "false", "no", "n", "f", ""}


class ImportFileError(ValueError):
    """The file as a whole cannot be read (wrong type, too big, no header)."""


@dataclass
class ParsedRow:
    number: int  # the row number a spreadsheet shows (header is row 1)
    values: dict = field(default_factory=dict)
    choices: list = field(default_factory=list)
    tags: list = field(default_factory=list)
    audiences: list = field(default_factory=list)
    errors: list = field(default_factory=list)


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    errors: list = field(default_factory=list)  # (row number, message)

    @property
    def ok(self):
        return not self.errors


# ---------------------------------------------------------------------------------------
# Export
# ---------------------------------------------------------------------------------------


def _yes_no(value):
    return "是" if value else "否"


def question_rows(questions=None):
    """Yield one list of cell values per question, in COLUMNS order."""
    questions = (questions if questions is not None else Question.objects.all()).prefetch_related(
        "choices", "audiences", "tagged_items__tag"
    )
    for q in questions.order_by("code"):
        row = [
            q.code,
            q.get_kind_display(),
            q.stem,
            q.scenario,
            q.explanation,
            q.get_hallmark_display(),
            q.difficulty,
            "、".join(sorted(t.tag.name for t in q.tagged_items.all())),
            "、".join(a.slug for a in q.audiences.all()),
            _yes_no(q.active),
        ]
        choices = sorted(q.choices.all(), key=lambda c: (c.sort_order or 0, c.pk))
        for n in range(MAX_CHOICES):
            if n < len(choices):
                c = choices[n]
                row += [c.text, _yes_no(c.is_correct), c.feedback]
            else:
                row += ["", "", ""]
        yield row


def export_csv(questions=None):
    """Return the bank as UTF-8 CSV bytes (with a BOM, so Excel shows Chinese correctly)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for row in question_rows(questions):
        writer.writerow(row)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def export_xlsx(questions=None):
    """Return the bank as XLSX bytes."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("题库"))
    ws.append(COLUMNS)
    for row in question_rows(questions):
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# ---------------------------------------------------------------------------------------
# Import
# ---------------------------------------------------------------------------------------


def read_table(filename, data):
    """Return (header, rows) from CSV or XLSX ``data`` (bytes); raise ImportFileError."""
    if len(data) > MAX_BYTES:
        raise ImportFileError(_("文件太大（超过 5 MB）。"))
    name = (filename or "").lower()
    if name.endswith(".xlsx"):
        rows = _read_xlsx(data)
    elif name.endswith(".csv"):
        rows = _read_csv(data)
    else:
        raise ImportFileError(_("只能导入 .csv 或 .xlsx 文件。"))
    if not rows:
        raise ImportFileError(_("文件是空的。"))
    header = [str(h or "").strip() for h in rows[0]]
    missing = [c for c in BASE_COLUMNS if c not in header]
    if missing:
        raise ImportFileError(_("缺少这些列：%(cols)s。") % {"cols": "、".join(missing)})
    if len(rows) - 1 > MAX_ROWS:
        raise ImportFileError(_("一次最多导入 %(n)d 行。") % {"n": MAX_ROWS})
    return header, rows[1:]


def _read_csv(data):
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ImportFileError(_("无法识别文件编码，请另存为 UTF-8 编码的 CSV。"))
    if "\x00" in text:
        raise ImportFileError(_("文件里有无法识别的字符，请检查是否选错了文件。"))
    try:
        return [row for row in csv.reader(io.StringIO(text))]
    except csv.Error as exc:
        raise ImportFileError(_("CSV 格式有误：%(err)s") % {"err": exc}) from exc


def _read_xlsx(data):
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged or non-xlsx file
        raise ImportFileError(_("无法读取这个 Excel 文件，请确认是 .xlsx 格式。")) from exc
    try:
        ws = wb.worksheets[0]
        rows = []
        for row in ws.iter_rows(values_only=True):
            rows.append(["" if v is None else v for v in row])
            if len(rows) > MAX_ROWS + 1:
                break
        return rows
    finally:
        wb.close()


def _cell(row, header, name):
    try:
        value = row[header.index(name)]
    except (ValueError, IndexError):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value if value is not None else "").replace("\x00", "").strip()


def _label_map(choices):
    found = {}
    for value, label in choices:
        found[str(value).lower()] = value
        found[str(label).lower()] = value
    return found


KIND_NAMES = {
    **_label_map(Question.Kind.choices),
    "单选": Question.Kind.SINGLE,
    "多选": Question.Kind.MULTIPLE,
    "判断": Question.Kind.TRUE_FALSE,
}
HALLMARKS = _label_map(Question.Hallmark.choices)


def _flag(text, row, label):
    lowered = text.lower()
    if lowered in YES:
        return True
    if lowered in NO:
        return False
    row.errors.append(_("“%(col)s”应填“是”或“否”，而不是“%(v)s”。") % {"col": label, "v": text})
    return False


def _limit(row, label, text, max_length, required=False):
    if required and not text:
        row.errors.append(_("“%(col)s”不能为空。") % {"col": label})
    elif len(text) > max_length:
        row.errors.append(_("“%(col)s”太长（最多 %(n)d 字）。") % {"col": label, "n": max_length})
    return text


def parse_row(number, row, header, audiences):
    """Check one data row; return a ParsedRow whose ``errors`` lists every problem."""
    parsed = ParsedRow(number)
    get = lambda name: _cell(row, header, name)  # noqa: E731
    v = parsed.values
    v["code"] = _limit(parsed, "编号", get("编号"), 20, required=True)
    kind_text = get("题型")
    v["kind"] = KIND_NAMES.get(kind_text.lower())
    if v["kind"] is None:
        parsed.errors.append(
            _("题型“%(v)s”无法识别，应为单选题、多选题或判断题。") % {"v": kind_text}
        )
    v["stem"] = _limit(parsed, "题干", get("题干"), 500, required=True)
    v["scenario"] = _limit(parsed, "情景材料", get("情景材料"), 1000)
    v["explanation"] = _limit(parsed, "解析", get("解析"), 1000, required=True)
    hallmark_text = get("考查要点")
    v["hallmark"] = HALLMARKS.get(hallmark_text.lower(), Question.Hallmark.RESPONSE)
    if hallmark_text and hallmark_text.lower() not in HALLMARKS:
        parsed.errors.append(_("考查要点“%(v)s”无法识别。") % {"v": hallmark_text})
    difficulty = get("难度") or "2"
    if difficulty not in {"1", "2", "3"}:
        parsed.errors.append(_("难度应为 1、2 或 3，而不是“%(v)s”。") % {"v": difficulty})
    else:
        v["difficulty"] = int(difficulty)
    v["active"] = _flag(get("启用") or "是", parsed, "启用")
    parsed.tags = [t.strip() for t in LIST_SEPARATORS.split(get("幌子标签")) if t.strip()]
    for tag in parsed.tags:
        _limit(parsed, "幌子标签", tag, 100)
    for name in (a.strip() for a in LIST_SEPARATORS.split(get("适用人群")) if a.strip()):
        audience = audiences.get(name.lower())
        if audience is None:
            parsed.errors.append(_("适用人群“%(v)s”不存在。") % {"v": name})
        else:
            parsed.audiences.append(audience)
    for text_col, ok_col, fb_col in CHOICE_COLUMNS:
        text = get(text_col)
        if not text:
            continue
        _limit(parsed, text_col, text, 200)
        feedback = _limit(parsed, fb_col, get(fb_col), 500)
        parsed.choices.append((text, _flag(get(ok_col), parsed, ok_col), feedback))
    if v["kind"]:
        parsed.errors += [
            str(m) for m in check_choices(v["kind"], [(t, ok) for t, ok, _fb in parsed.choices])
        ]
    return parsed


def import_questions(filename, data, *, user=None, publish=False):
    """Import ``data`` (bytes of a CSV/XLSX file); return an ImportResult.

    Every imported question is saved as a new revision by ``user``. Unless ``publish`` (for
    someone who may publish questions), nothing reaches the public quiz before review: new
    questions are drafts and live ones keep their published version until a reviewer
    approves the change. Raises ImportFileError when the file cannot be read at all.
    Nothing is saved unless every row is valid.
    """
    header, rows = read_table(filename, data)
    audiences = {}
    for a in Audience.objects.all():
        audiences[a.slug.lower()] = a
        audiences[a.name.lower()] = a
    result = ImportResult()
    parsed_rows, seen = [], {}
    for number, row in enumerate(rows, start=2):
        if not any(str(c).strip() for c in row):
            continue
        parsed = parse_row(number, row, header, audiences)
        code = parsed.values.get("code")
        if code and code in seen:
            parsed.errors.append(
                _("编号 %(code)s 与第 %(row)d 行重复。") % {"code": code, "row": seen[code]}
            )
        elif code:
            seen[code] = number
        result.errors += [(number, str(e)) for e in parsed.errors]
        parsed_rows.append(parsed)
    if not parsed_rows and not result.errors:
        result.errors.append((0, _("文件里没有题目。")))
    if result.errors:
        return result
    with transaction.atomic():
        for parsed in parsed_rows:
            created = _save(parsed, user=user, publish=publish)
            if created:
                result.created += 1
            else:
                result.updated += 1
    return result


def _save(parsed, user=None, publish=False):
    """Save one question as a new revision (see import_questions); return True when it is new."""
    question = Question.objects.filter(code=parsed.values["code"]).first()
    created = question is None
    # Built in memory on the latest draft, so a live question's rows change only on publish;
    # existing choices keep their ids, which past answers point at.
    question = Question(live=False) if created else question.get_latest_revision_as_object()
    for name, value in parsed.values.items():
        setattr(question, name, value)
    existing = sorted(question.choices.all(), key=lambda c: (c.sort_order or 0, c.pk or 0))
    choices = []
    for order, (text, ok, feedback) in enumerate(parsed.choices):
        choice = existing[order] if order < len(existing) else Choice()
        choice.text, choice.is_correct, choice.feedback, choice.sort_order = (
            text,
            ok,
            feedback,
            order,
        )
        choices.append(choice)
    question.choices = choices
    tags = []
    for name in parsed.tags:
        tag = Tag.objects.filter(name__iexact=name).first()
        if tag is None:
            tag = Tag.objects.create(name=name, slug=_unique_slug(name))
        tags.append(tag)
    question.tags.set(tags)
    question.audiences.set(parsed.audiences)
    if not question.live:
        question.save()  # a draft's own row holds the draft
    revision = question.save_revision(user=user, log_action=True)
    if publish:
        revision.publish(user=user)
    return created


def _unique_slug(name):
    base = slugify(name, allow_unicode=True)[:90] or "tag"
    slug, n = base, 1
    while Tag.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug
