"""Import and export of the question bank: CSV and XLSX round trips, row-level errors,
and nothing half-imported."""

import csv
import io

import pytest
from openpyxl import Workbook, load_workbook

from quiz import exchange
from quiz.models import Choice, Question

pytestmark = pytest.mark.django_db


def rows_to_csv(rows):
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode("utf-8")


def row(code, kind="单选题", stem="题干", choices=(("甲", "是", "对"), ("乙", "否", "错")), **kw):
    values = {
        "编号": code,
        "题型": kind,
        "题干": stem,
        "情景材料": "",
        "解析": kw.get("explanation", "解析"),
        "考查要点": kw.get("hallmark", "承诺回报"),
        "难度": kw.get("difficulty", "2"),
        "幌子标签": kw.get("tags", "养老服务、投资理财"),
        "适用人群": kw.get("audiences", "elderly"),
        "启用": "是",
    }
    cells = [values[c] for c in exchange.BASE_COLUMNS]
    for n in range(exchange.MAX_CHOICES):
        cells += list(choices[n]) if n < len(choices) else ["", "", ""]
    return cells


def test_export_then_import_round_trips_the_seeded_bank():
    before = list(exchange.question_rows())
    assert len(before) >= 40
    data = exchange.export_csv()
    assert data.startswith("\ufeff".encode())
    result = exchange.import_questions("bank.csv", data)
    assert result.ok, result.errors
    assert (result.created, result.updated) == (0, len(before))
    assert list(exchange.question_rows()) == before


def test_xlsx_export_imports_back():
    data = exchange.export_xlsx()
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    assert [c.value for c in next(sheet.iter_rows(max_row=1))] == exchange.COLUMNS
    result = exchange.import_questions("bank.xlsx", data)
    assert result.ok and result.updated == Question.objects.count()


def test_import_creates_questions_with_choices_tags_and_audiences():
    data = rows_to_csv([exchange.COLUMNS, row("N001", stem="新题")])
    result = exchange.import_questions("new.csv", data)
    assert result.ok and result.created == 1
    q = Question.objects.get(code="N001")
    assert q.stem == "新题" and q.kind == "single" and q.hallmark == "returns"
    assert [(c.text, c.is_correct, c.feedback) for c in q.choices.order_by("sort_order")] == [
        ("甲", True, "对"),
        ("乙", False, "错"),
    ]
    assert sorted(t.name for t in q.tags.all()) == ["养老服务", "投资理财"]
    assert [a.slug for a in q.audiences.all()] == ["elderly"]


def test_updating_a_question_keeps_its_choice_ids():
    q = Question.objects.get(code="Q001")
    ids = list(q.choices.order_by("sort_order").values_list("pk", flat=True))
    choices = [("改过的选项", "是", "新反馈"), ("二", "否", ""), ("三", "否", "")]
    result = exchange.import_questions(
        "u.csv", rows_to_csv([exchange.COLUMNS, row("Q001", choices=choices)]), publish=True
    )
    assert result.ok and result.updated == 1
    assert list(q.choices.order_by("sort_order").values_list("pk", flat=True)) == ids
    assert q.choices.order_by("sort_order").first().text == "改过的选项"


def test_one_bad_row_means_nothing_is_imported_and_every_problem_is_reported():
    count = Question.objects.count()
    original_stem = Question.objects.get(code="Q002").stem
    rows = [
        exchange.COLUMNS,
        row("N100"),
        row("Q002", stem="改过的题干"),
        row("N101", kind="问答题"),
        row("N102", difficulty="9", choices=(("甲", "否", ""), ("乙", "否", ""))),
        row("N103", audiences="外星人"),
        row("N100"),
    ]
    result = exchange.import_questions("bad.csv", rows_to_csv(rows))
    assert not result.ok
    by_row = {}
    for number, message in result.errors:
        by_row.setdefault(number, []).append(message)
    assert set(by_row) == {4, 5, 6, 7}
    assert any("题型" in m for m in by_row[4])
    assert any("难度" in m for m in by_row[5]) and any("正确选项" in m for m in by_row[5])
    assert any("外星人" in m for m in by_row[6])
    assert any("重复" in m for m in by_row[7])
    assert Question.objects.count() == count
    assert not Question.objects.filter(code="N100").exists()
    assert Question.objects.get(code="Q002").stem == original_stem


def test_true_false_questions_need_exactly_two_choices_one_right():
    bad = row("N200", kind="判断题", choices=(("对", "是", ""), ("错", "是", "")))
    result = exchange.import_questions("tf.csv", rows_to_csv([exchange.COLUMNS, bad]))
    assert not result.ok and "判断题" in result.errors[0][1]


def test_a_failure_while_saving_rolls_everything_back(monkeypatch):
    count = Question.objects.count()
    calls = {"n": 0}
    real_save = exchange._save

    def failing_save(parsed, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("disk full")
        return real_save(parsed, **kwargs)

    monkeypatch.setattr(exchange, "_save", failing_save)
    data = rows_to_csv([exchange.COLUMNS, row("N300"), row("N301")])
    with pytest.raises(RuntimeError):
        exchange.import_questions("x.csv", data)
    assert Question.objects.count() == count
    assert not Choice.objects.filter(question__code="N300").exists()


@pytest.mark.parametrize(
    "name,data,message",
    [
        ("bank.txt", b"abc", "只能导入"),
        ("bank.csv", b"", "空"),
        ("bank.csv", "编号,题干\nQ1,x\n".encode(), "缺少"),
        ("bank.xlsx", b"not a zip file", "无法读取"),
        ("bank.csv", b"\xff\xfe\x00\x00garbage\x00", "无法"),
    ],
)
def test_unreadable_files_are_refused_with_a_reason(name, data, message):
    with pytest.raises(exchange.ImportFileError) as err:
        exchange.import_questions(name, data)
    assert message in str(err.value)


def test_gb18030_csv_from_excel_is_read():
    data = rows_to_csv([exchange.COLUMNS, row("N400", stem="国标编码")]).decode().encode("gb18030")
    assert exchange.import_questions("gbk.csv", data).ok
    assert Question.objects.get(code="N400").stem == "国标编码"


def test_xlsx_rows_with_numbers_as_numbers_are_read():
    wb = Workbook()
    ws = wb.active
    ws.append(exchange.COLUMNS)
    cells = row("N500")
    cells[exchange.BASE_COLUMNS.index("难度")] = 3  # a number cell, not text
    ws.append(cells)
    out = io.BytesIO()
    wb.save(out)
    assert exchange.import_questions("n.xlsx", out.getvalue()).ok
    assert Question.objects.get(code="N500").difficulty == 3


def test_an_import_without_the_right_to_publish_waits_for_review():
    live = Question.objects.get(code="Q001")
    before = [(c.pk, c.text, c.is_correct) for c in live.choices.order_by("sort_order")]
    choices = [("改过的选项", "否", ""), ("二", "是", "")]
    rows = [exchange.COLUMNS, row("Q001", stem="改过的题干", choices=choices), row("N400")]
    result = exchange.import_questions("u.csv", rows_to_csv(rows))
    assert result.ok and (result.created, result.updated) == (1, 1)

    live.refresh_from_db()
    assert live.live and live.has_unpublished_changes
    assert live.stem != "改过的题干"
    assert [(c.pk, c.text, c.is_correct) for c in live.choices.order_by("sort_order")] == before
    draft = live.get_latest_revision_as_object()
    assert draft.stem == "改过的题干"
    assert [(c.text, c.is_correct) for c in draft.choices.all()] == [
        ("改过的选项", False),
        ("二", True),
    ]
    new = Question.objects.get(code="N400")
    assert not new.live and new.latest_revision is not None
