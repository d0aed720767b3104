"""Importers read a region as staff write it: a code, a name or a path at any depth, with a
Chinese message when it names no region or several."""

import pytest

from website.taxonomy.lookup import CODE_SHEET_HEADER, RegionNames, code_sheet
from website.taxonomy.models import Region

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "text",
    [
        "430104",
        "岳麓区",
        "长沙市/岳麓区",
        "湖南省 › 长沙市 › 岳麓区",
        "湖南省 长沙市 岳麓区",
        "湖南省>岳麓区",
        " 长沙市／岳麓区 ",
    ],
)
def test_a_code_a_name_or_a_path_finds_the_region(text):
    region, problem = RegionNames().resolve(text)
    assert problem is None and region.code == "430104"


def test_unknown_names_codes_and_wrong_parents_are_told_in_chinese():
    names = RegionNames()
    for text, words in [
        ("999999", "地区代码“999999”不存在"),
        ("火星区", "地区“火星区”不存在"),
        ("益阳市/岳麓区", "地区“益阳市/岳麓区”不存在"),
    ]:
        region, problem = names.resolve(text)
        assert region is None and words in problem and "区划代码" in problem
    assert names.resolve("") == (None, None)


def test_a_name_two_regions_share_is_an_error_listing_both_paths():
    parent = Region.objects.get(code="430903")
    Region.objects.create(name="花果山村", code="430903100299", level=5, parent=parent)
    names = RegionNames()
    region, problem = names.resolve("花果山村")
    assert region is None
    assert "有 2 处同名" in problem
    assert "湖南省 › 益阳市 › 桃江县 › 桃花江镇 › 花果山村（430922100201）" in problem
    assert "湖南省 › 益阳市 › 赫山区 › 花果山村（430903100299）" in problem
    # Naming the parent settles it.
    assert names.resolve("桃江县/花果山村")[0].code == "430922100201"
    assert names.resolve("赫山区 › 花果山村")[0].code == "430903100299"


def test_the_code_sheet_lists_every_region_with_its_full_path():
    rows = code_sheet()
    assert rows[0] == CODE_SHEET_HEADER == ["区划代码", "名称", "完整路径", "层级"]
    assert ["430104", "岳麓区", "湖南省 › 长沙市 › 岳麓区", "县(区)"] in rows
    assert len(rows) == Region.objects.count() + 1
