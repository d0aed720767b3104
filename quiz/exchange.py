"""Import and export of the question bank as CSV or XLSX, one question per row.

Columns (Chinese headers, so a spreadsheet is readable by the office's staff):
编号, 题型, 题干, 情景材料, 解析, 考查要点, 难度, 幌子标签, 适用人群, 启用, then for each of up
to six choices 选项N, 选项N正确, 选项N反馈. An export imports back unchanged.

Import is all or nothing: every row is checked first, and if any row has a problem nothing
is written and every problem is reported with its row number. Rows whose 编号 exists update
that question (its choices are updated in place, so answers already given keep pointing
at them); new 编号 create questions. ``preview_table`` says, before anything is written,
which rows are new, which change an existing question (each change as old → new) and which
leave it as it is.

Cells take what the admin shows: 难度 as 容易/中等/较难 (or 1–3), 适用人群 as names (or
their 网址标识); exports write the same labels.
"""

import itertools
import re
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models.functions import Lower
from django.utils.text import slugify
from django.utils.translation import gettext as _
from taggit.models import Tag

from quiz.models import MAX_CHOICES, Choice, Question, check_choices
from website.core import tabular
from website.taxonomy.models import Audience

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


# The file as a whole cannot be read (wrong type, too big, no header).
ImportFileError = tabular.FileError


@dataclass
class ParsedRow:
    number: int  # the row number a spreadsheet shows (header is row 1)
    values: dict = field(default_factory=dict)
    choices: list = field(default_factory=list)
    tags: list = field(default_factory=list)
    audiences: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    question: object = None  # the existing question of this 编号, found before saving
    tag_objects: list = field(default_factory=list)


@dataclass
class ImportResult(tabular.ImportResult):
    created: int = 0
    updated: int = 0


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
            q.get_difficulty_display(),
            "、".join(sorted(t.tag.name for t in q.tagged_items.all())),
            "、".join(a.name for a in q.audiences.all()),
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
    return tabular.csv_bytes(itertools.chain([COLUMNS], question_rows(questions)))


def export_xlsx(questions=None):
    """Return the bank as XLSX bytes."""
    return tabular.xlsx_bytes([(_("题库"), itertools.chain([COLUMNS], question_rows(questions)))])


# ---------------------------------------------------------------------------------------
# Import
# ---------------------------------------------------------------------------------------


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
# 难度 as the admin shows it, as a number, or as people say it (难 for 较难).
DIFFICULTIES = {
    **{k: v for k, v in _label_map(Question.Difficulty.choices).items()},
    "简单": Question.Difficulty.EASY,
    "易": Question.Difficulty.EASY,
    "中": Question.Difficulty.MEDIUM,
    "一般": Question.Difficulty.MEDIUM,
    "难": Question.Difficulty.HARD,
    "困难": Question.Difficulty.HARD,
}


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


def parse_row(record, audiences):
    """Check one tabular.Record; return a ParsedRow whose ``errors`` lists every problem."""
    parsed = ParsedRow(record.number)
    get = record.get
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
    if difficulty.lower() not in DIFFICULTIES:
        parsed.errors.append(
            _("难度应为 容易、中等 或 较难（也可填 1、2、3），而不是“%(v)s”。") % {"v": difficulty}
        )
    else:
        v["difficulty"] = int(DIFFICULTIES[difficulty.lower()])
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
    approves the change. Raises ImportFileError when the file cannot be read at all or lacks
    a column of BASE_COLUMNS. Nothing is saved unless every row is valid.
    """
    return import_table(
        tabular.read_table(filename, data, required=BASE_COLUMNS), user=user, publish=publish
    )


def parse_table(table):
    """Check every row of ``table``; return ``(parsed rows, errors, codes seen)`` where
    errors are (row number, message) pairs."""
    audiences = {}
    for a in Audience.objects.all():
        audiences[a.slug.lower()] = a
        audiences[a.name.lower()] = a
    result = ImportResult()
    parsed_rows, seen = [], {}
    for record in table.records():
        parsed = parse_row(record, audiences)
        code = parsed.values.get("code")
        if code and code in seen:
            parsed.errors.append(
                _("编号 %(code)s 与第 %(row)d 行重复。") % {"code": code, "row": seen[code]}
            )
        elif code:
            seen[code] = record.number
        result.errors += [(record.number, str(e)) for e in parsed.errors]
        parsed_rows.append(parsed)
    if not parsed_rows and not result.errors:
        result.errors.append((0, _("文件里没有题目。")))
    return parsed_rows, result.errors, seen


def import_table(table, *, user=None, publish=False):
    """Import the tabular.Table ``table`` as ``import_questions`` does; return an
    ImportResult. Nothing is saved unless every row is valid."""
    parsed_rows, errors, seen = parse_table(table)
    result = ImportResult(errors=errors)
    if result.errors:
        return result
    # Questions and tags the file names are looked up once for the whole file.
    questions = tabular.lookup(Question.objects.all(), "code", seen)
    wanted = {name.lower(): name for parsed in parsed_rows for name in parsed.tags}
    with transaction.atomic():
        tags = {
            tag.name.lower(): tag
            for tag in Tag.objects.annotate(lowered=Lower("name")).filter(lowered__in=wanted)
        }
        for lowered, name in wanted.items():
            if lowered not in tags:
                tags[lowered] = Tag.objects.create(name=name, slug=_unique_slug(name))
        for parsed in parsed_rows:
            parsed.question = questions.get(parsed.values["code"])
            parsed.tag_objects = [tags[name.lower()] for name in parsed.tags]
            created = _save(parsed, user=user, publish=publish)
            if created:
                result.created += 1
            else:
                result.updated += 1
    return result


def _save(parsed, user=None, publish=False):
    """Save ``parsed`` over ``parsed.question`` (None for a new question) with its tags
    ``parsed.tag_objects`` as a new revision (see import_questions); return whether the
    question is new."""
    created = parsed.question is None
    # Built in memory on the latest draft, so a live question's rows change only on publish;
    # existing choices keep their ids, which past answers point at.
    question = Question(live=False) if created else parsed.question.get_latest_revision_as_object()
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
    question.tags.set(parsed.tag_objects)
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


# ---------------------------------------------------------------------------------------
# Preview of a re-import
# ---------------------------------------------------------------------------------------


@dataclass
class RowPreview:
    number: int
    code: str
    stem: str
    status: str  # "new", "changed" or "unchanged"
    changes: list = field(default_factory=list)  # (column, old text, new text)


@dataclass
class Preview:
    errors: list
    rows: list

    def count(self, status):
        return sum(1 for r in self.rows if r.status == status)

    @property
    def changes_existing(self):
        """Whether importing would overwrite any existing question."""
        return any(r.status == "changed" for r in self.rows)


def _choices_text(choices):
    return "\n".join(
        f"{text}（{'正确' if ok else '错误'}）" + (f"：{fb}" if fb else "")
        for text, ok, fb in choices
    )


def _question_as_text(question):
    """Return {column: text} of what ``question``'s latest draft holds, as the file writes it."""
    choices = sorted(question.choices.all(), key=lambda c: (c.sort_order or 0, c.pk or 0))
    return {
        "题型": str(question.get_kind_display()),
        "题干": question.stem,
        "情景材料": question.scenario,
        "解析": question.explanation,
        "考查要点": str(question.get_hallmark_display()),
        "难度": str(question.get_difficulty_display()),
        "幌子标签": "、".join(sorted(t.name for t in question.tags.all())),
        "适用人群": "、".join(sorted(a.name for a in question.audiences.all())),
        "启用": _yes_no(question.active),
        "选项": _choices_text([(c.text, c.is_correct, c.feedback) for c in choices]),
    }


def _parsed_as_text(parsed):
    v = parsed.values
    return {
        "题型": str(Question.Kind(v["kind"]).label),
        "题干": v["stem"],
        "情景材料": v["scenario"],
        "解析": v["explanation"],
        "考查要点": str(Question.Hallmark(v["hallmark"]).label),
        "难度": str(Question.Difficulty(v["difficulty"]).label),
        "幌子标签": "、".join(sorted(parsed.tags)),
        "适用人群": "、".join(sorted(a.name for a in parsed.audiences)),
        "启用": _yes_no(v["active"]),
        "选项": _choices_text(parsed.choices),
    }


def preview_table(table):
    """Return a Preview of importing ``table``: its errors, or per row whether it is new,
    changes an existing question (with each change as old → new, against the question's
    latest draft) or leaves it unchanged. Writes nothing."""
    parsed_rows, errors, seen = parse_table(table)
    if errors:
        return Preview(errors=errors, rows=[])
    # The latest revision comes with each question: one query for the file, not one a row.
    questions = tabular.lookup(
        Question.objects.select_related("latest_revision").prefetch_related(
            "choices", "tags", "audiences"
        ),
        "code",
        seen,
    )
    rows = []
    for parsed in parsed_rows:
        code = parsed.values["code"]
        question = questions.get(code)
        if question is None:
            rows.append(RowPreview(parsed.number, code, parsed.values["stem"], "new"))
            continue
        old = _question_as_text(question.get_latest_revision_as_object())
        new = _parsed_as_text(parsed)
        changes = [(col, old[col], new[col]) for col in new if old[col] != new[col]]
        rows.append(
            RowPreview(
                parsed.number,
                code,
                parsed.values["stem"],
                "changed" if changes else "unchanged",
                changes,
            )
        )
    return Preview(errors=[], rows=rows)
