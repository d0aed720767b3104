"""The one spreadsheet module: CSV that Excel opens as Chinese, CSV that Excel on Chinese
Windows saves (GB18030), XLSX, the same caps for every importer, row numbers as a
spreadsheet shows them, and lookups that cost one query per file, not one per row."""

import csv
import datetime
import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook, load_workbook

from campaigns.outreach import planning
from quiz import exchange
from tests.campaigns.sms import factories as sms_factories
from website.core import tabular
from website.taxonomy.models import Region

HEADER = ["活动名称", "地区代码", "备注"]


def as_csv(rows):
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue()


def as_xlsx(rows):
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# -- export ------------------------------------------------------------------------------------
def test_csv_exports_start_with_the_byte_order_mark_excel_needs():
    rows = [["地区", "场次"], ["桃江县", 3]]
    assert tabular.csv_text(rows).startswith("\ufeff地区,场次")
    assert tabular.csv_bytes(rows).startswith("\ufeff".encode())
    response = tabular.csv_response(rows, "report.csv")
    assert response.content.decode("utf-8").startswith("\ufeff")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="report.csv"'


def test_a_chinese_file_name_goes_out_as_rfc_5987_with_an_ascii_fallback():
    response = tabular.xlsx_response(b"PK", "统计表_2026年11月.xlsx", "ledger-2026-11.xlsx")
    assert response["Content-Disposition"] == (
        'attachment; filename="ledger-2026-11.xlsx"; '
        "filename*=UTF-8''%E7%BB%9F%E8%AE%A1%E8%A1%A8_2026%E5%B9%B411%E6%9C%88.xlsx"
    )
    bare = tabular.attach(tabular.HttpResponse(), "报表.csv")
    assert 'filename="download.csv"' in bare["Content-Disposition"]


def test_a_streamed_csv_export_has_one_mark_and_every_row():
    response = tabular.csv_response(
        iter([["号码"], ["138****0000"], ["139****1111"]]), "s.csv", True
    )
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.count("\ufeff") == 1 and text.startswith("\ufeff")
    assert list(csv.reader(io.StringIO(text.lstrip("\ufeff")))) == [
        ["号码"],
        ["138****0000"],
        ["139****1111"],
    ]


def test_xlsx_exports_have_a_sheet_per_table_with_excel_safe_titles():
    data = tabular.xlsx_bytes([("按人群" * 20, [["人群", "人次"], ["老年人", 12]]), ("按周", [])])
    book = load_workbook(io.BytesIO(data))
    assert [len(name) <= 31 for name in book.sheetnames] == [True, True]
    assert [c.value for c in book.worksheets[0][2]] == ["老年人", 12]
    response = tabular.xlsx_response(data, "r.xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_byte_order_mark_is_written_in_one_place():
    root = Path(__file__).resolve().parents[2]
    writers = [
        path.relative_to(root).as_posix()
        for folder in ("website", "campaigns", "quiz")
        for path in (root / folder).rglob("*.py")
        if "\\ufeff" in (text := path.read_text(encoding="utf-8")) or "\ufeff" in text
    ]
    assert writers == ["website/core/tabular.py"]


# -- reading -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "data",
    [
        ("\ufeff" + as_csv([HEADER, ["宣讲", "430922", "无"]])).encode("utf-8"),
        as_csv([HEADER, ["宣讲", "430922", "无"]]).encode("utf-8"),
        as_csv([HEADER, ["宣讲", "430922", "无"]]).encode("gb18030"),
    ],
    ids=["utf-8 with BOM", "utf-8 without BOM", "gb18030 from Excel"],
)
def test_csv_is_read_in_utf8_with_or_without_bom_and_in_gb18030(data):
    table = tabular.read_table("events.CSV", data)
    assert table.header == HEADER
    assert table.rows == [["宣讲", "430922", "无"]]


def test_a_gb18030_file_with_characters_outside_gbk_is_read():
    text = as_csv([HEADER, ["𠀀村宣讲", "430922", "€"]])
    table = tabular.read_table("events.csv", text.encode("gb18030"))
    assert table.rows[0][0] == "𠀀村宣讲" and table.rows[0][2] == "€"


def test_xlsx_cells_are_read_as_the_text_a_person_typed():
    data = as_xlsx([HEADER + ["开始"], ["宣讲", 430922.0, None, datetime.datetime(2026, 5, 15, 9)]])
    table = tabular.read_table("events.xlsx", data)
    assert table.rows == [["宣讲", "430922", "", "2026-05-15 09:00"]]


@pytest.mark.parametrize(
    "name,data,message",
    [
        ("events.txt", b"a,b", "只能导入 .csv 或 .xlsx"),
        ("events.csv", b"", "空"),
        ("events.xlsx", b"not a zip", "Excel"),
        ("events.csv", "编号\x00".encode(), "无法识别的字符"),
        ("events.csv", b"\xff\xfe\x00\x00", "无法"),
        ("events.csv", b'"' + b"x" * 200_000, "CSV 格式有误"),  # one field past csv's limit
    ],
)
def test_unreadable_files_are_refused_with_a_reason(name, data, message):
    with pytest.raises(tabular.FileError, match=message):
        tabular.read_table(name, data)


def test_a_required_column_missing_is_named():
    data = as_csv([["活动名称"], ["宣讲"]]).encode()
    with pytest.raises(tabular.FileError, match="缺少列：地区代码、备注"):
        tabular.read_table("e.csv", data, required=HEADER)


# -- caps --------------------------------------------------------------------------------------
def test_files_over_the_row_cap_are_refused_in_both_formats():
    rows = [HEADER] + [["宣讲", "1", ""]] * 4
    assert len(tabular.read_table("e.csv", as_csv(rows).encode(), max_rows=4).rows) == 4
    for name, data in (("e.csv", as_csv(rows + [rows[1]]).encode()), ("e.xlsx", as_xlsx(rows * 2))):
        with pytest.raises(tabular.FileError, match="一次最多导入 4 行"):
            tabular.read_table(name, data, max_rows=4)


def test_files_over_the_byte_cap_are_refused():
    data = as_csv([HEADER] + [["宣讲" * 50, "1", ""]] * 20).encode()
    with pytest.raises(tabular.FileError, match="文件太大"):
        tabular.read_table("e.csv", data, max_bytes=len(data) - 1)
    assert tabular.read_table("e.csv", data, max_bytes=len(data)).rows


@pytest.mark.django_db
def test_both_importers_take_the_same_caps(client):
    over = as_csv([["x"]] * (tabular.MAX_ROWS + 2)).encode()
    with pytest.raises(exchange.ImportFileError, match=f"一次最多导入 {tabular.MAX_ROWS} 行"):
        exchange.import_questions("bank.csv", over)
    client.force_login(sms_factories.staff("bianji", "编辑"))
    response = client.post(
        "/admin/outreach-tools/import/", {"file": SimpleUploadedFile("events.csv", over)}
    )
    assert f"一次最多导入 {tabular.MAX_ROWS} 行" in response.content.decode()
    big = b"x" * (tabular.MAX_BYTES + 1)
    with pytest.raises(exchange.ImportFileError, match="文件太大"):
        exchange.import_questions("bank.csv", big)
    response = client.post(
        "/admin/outreach-tools/import/", {"file": SimpleUploadedFile("events.csv", big)}
    )
    assert "文件太大" in response.content.decode()


# -- rows --------------------------------------------------------------------------------------
def test_records_skip_blank_rows_but_keep_spreadsheet_row_numbers():
    table = tabular.read_table(
        "e.csv", as_csv([HEADER, ["甲", "1"], ["", " ", ""], ["乙", "2", "注"]]).encode()
    )
    records = list(table.records())
    assert [r.number for r in records] == [2, 4]
    assert records[0].get("备注") == "" and records[1].get("备注") == "注"
    assert records[0].get("没有这一列") == ""
    assert table.column("地区代码") == {"1", "2"}


@pytest.mark.django_db
def test_import_row_errors_carry_the_row_number_a_spreadsheet_shows():
    header = [label for _key, label in planning.IMPORT_COLUMNS]
    good = list(planning.EXAMPLE_ROW)
    bad = list(planning.EXAMPLE_ROW)
    bad[2] = "999"
    data = as_csv([header, good, [""] * len(header), bad]).encode("gb18030")
    result = planning.import_events(tabular.read_table("e.csv", data))
    assert [number for number, _message in result.errors] == [4]
    assert "地区代码“999”不存在" in result.errors[0][1]


# -- queries -----------------------------------------------------------------------------------
@pytest.mark.django_db
def test_lookup_finds_every_named_object_in_one_query(django_assert_num_queries):
    codes = list(Region.objects.values_list("code", flat=True)[:30])
    with django_assert_num_queries(1):
        found = tabular.lookup(Region.objects.all(), "code", codes + ["", "no-such-code"])
    assert set(found) == set(codes)
    with django_assert_num_queries(0):
        assert tabular.lookup(Region.objects.all(), "code", ["", ""]) == {}


def queries(function):
    with CaptureQueriesContext(connection) as captured:
        function()
    return len(captured)


@pytest.mark.django_db
def test_checking_an_events_file_costs_the_same_queries_for_2_rows_or_40():
    header = [label for _key, label in planning.IMPORT_COLUMNS]
    regions = list(Region.objects.values_list("code", flat=True)[:40])
    bad = list(planning.EXAMPLE_ROW)
    bad[1] = "进火星"  # one bad row: every row is checked, nothing is saved

    def check(n):
        rows = [header]
        for i in range(n - 1):
            row = list(planning.EXAMPLE_ROW)
            row[2] = regions[i % len(regions)]
            rows.append(row)
        rows.append(bad)
        table = tabular.read_table("e.csv", as_csv(rows).encode())
        return queries(lambda: planning.import_events(table))

    assert check(2) == check(40)


QUESTION_HEADER = exchange.BASE_COLUMNS + [
    c for n in (1, 2) for c in exchange.CHOICE_COLUMNS[n - 1]
]


def question(code, kind="单选题", tags="投资理财"):
    cells = [code, kind, "题干", "", "解析", "", "2", tags, "elderly", "是"]
    return cells + ["甲", "是", "", "乙", "否", ""]


@pytest.mark.django_db
def test_checking_a_question_bank_costs_the_same_queries_for_2_rows_or_40():
    def check(n):
        rows = [QUESTION_HEADER] + [question(f"T{i:03d}") for i in range(n - 1)]
        rows.append(question("T999", "问答题"))  # one bad row: checked, nothing saved
        return queries(lambda: exchange.import_questions("q.csv", as_csv(rows).encode()))

    assert check(2) == check(40)


@pytest.mark.django_db
def test_saving_a_question_bank_looks_up_questions_and_tags_once_per_file():
    def select_queries(n):
        rows = [question(f"S{i:03d}", tags="投资理财、养老服务") for i in range(n)]
        data = as_csv([QUESTION_HEADER, *rows]).encode()
        with CaptureQueriesContext(connection) as captured:
            assert exchange.import_questions("q.csv", data).ok
        # Saving writes each row; what stays constant is the lookups, which read Question
        # and Tag by the file's codes and names.
        return sum(
            1
            for q in captured
            if q["sql"].startswith("SELECT")
            and ('FROM "quiz_question"' in q["sql"] or 'FROM "taggit_tag"' in q["sql"])
            and " IN (" in q["sql"]
        )

    assert select_queries(2) == select_queries(20) == 2
