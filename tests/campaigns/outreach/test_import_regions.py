"""The 七进 event import takes a region as a code, a name or a path, and its template carries
the region-code sheet."""

import io

import pytest
from openpyxl import load_workbook

from campaigns.outreach import planning as outreach
from website.taxonomy.models import Region

from .test_reports import HEADER, row

pytestmark = pytest.mark.django_db


def test_regions_by_name_or_path_import_and_an_ambiguous_name_is_refused():
    Region.objects.create(
        name="花果山村", code="430903100299", level=5, parent=Region.objects.get(code="430903")
    )
    result = outreach.import_events(
        [
            HEADER,
            row(title="按名称", region="岳麓区"),
            row(title="按路径", region="湖南省 › 益阳市 › 桃江县 › 桃花江镇 › 花果山村"),
            row(title="同名", region="花果山村"),
        ]
    )
    errors = dict(result.errors)
    assert set(errors) == {4}
    assert "有 2 处同名" in errors[4] and "430903100299" in errors[4]
    result = outreach.import_events(
        [
            HEADER,
            row(title="按名称", region="岳麓区"),
            row(title="按路径", region="桃江县/花果山村"),
        ]
    )
    assert result.ok, result.errors
    assert [e.region.code for e in result.created] == ["430104", "430922100201"]


def test_a_file_from_the_old_template_with_its_region_code_column_still_imports():
    header = ["地区代码" if h == "地区" else h for h in HEADER]
    result = outreach.import_events([header, row(region="430104")])
    assert result.ok, result.errors


def test_the_xlsx_template_carries_the_region_code_sheet():
    book = load_workbook(io.BytesIO(outreach.template_xlsx()))
    sheet = book.worksheets[1]
    assert sheet.title == "区划代码"
    rows = [[c.value for c in r] for r in sheet.iter_rows()]
    assert rows[0] == ["区划代码", "名称", "完整路径", "层级"]
    assert ["430104", "岳麓区", "湖南省 › 长沙市 › 岳麓区", "县(区)"] in rows
