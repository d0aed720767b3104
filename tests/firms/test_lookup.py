"""The lookup service: what it finds, in what order, and never anything unpublished."""

import datetime

import pytest

from website.firms.lookup import find_in_text, lookup
from website.firms.models import Entity, EntityName

from .conftest import code, make_entity

pytestmark = pytest.mark.django_db

HUIJIN_CODE = code("91430900MA4L0HJ01")


@pytest.fixture
def lists():
    return {
        "warned": make_entity(
            "示范汇金（北京）投资管理有限公司",
            former_names="示范汇金财富咨询有限公司",
            aliases="汇金宝、汇金宝App",
            credit_code=HUIJIN_CODE,
        ),
        "case": make_entity("示范福寿养老服务中心", "已立案", reason="以预订养老床位为名集资"),
        "bank": make_entity(
            "示范农村商业银行股份有限公司", "持牌机构", reason="持有金融许可证的银行"
        ),
        "lifted": make_entity(
            "示范旧事商贸有限公司",
            "经营异常",
            status=Entity.Status.LIFTED,
            lifted_on=datetime.date(2026, 6, 1),
        ),
    }


def names(result):
    return [m.entity.name for m in result.matches]


def test_a_fragment_of_the_name_finds_the_firm(lists):
    result = lookup("汇金（北京）投资")
    assert names(result) == [lists["warned"].name]
    assert result.warnings and not result.licensed
    assert not result.matches[0].exact


def test_the_whole_name_typed_another_way_is_an_exact_match(lists):
    result = lookup("示范滙金(北京)投資管理 有限責任公司")
    assert result.matches[0].entity == lists["warned"]
    assert result.matches[0].exact and result.matches[0].how == "name"


def test_an_alias_or_a_former_name_finds_the_firm_and_says_how(lists):
    alias = lookup("汇金宝")
    assert alias.matches[0].entity == lists["warned"] and alias.matches[0].how == "alias"
    former = lookup("示范汇金财富咨询有限公司")
    assert former.matches[0].entity == lists["warned"] and former.matches[0].how == "former"


def test_a_credit_code_finds_the_firm_even_full_width(lists):
    typed = HUIJIN_CODE.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    result = lookup(typed)
    assert names(result) == [lists["warned"].name]
    assert result.matches[0].how == "code" and not result.problem


def test_a_code_with_a_wrong_check_character_is_flagged(lists):
    wrong = HUIJIN_CODE[:17] + ("0" if HUIJIN_CODE[17] != "0" else "1")
    result = lookup(wrong)
    assert result.problem == "bad_code"
    assert result.matches == []


def test_licensed_and_lifted_entries_are_found_as_such(lists):
    bank = lookup("农村商业银行")
    assert bank.licensed and not bank.warnings
    lifted = lookup("旧事商贸")
    assert lifted.matches[0].entity.is_lifted


def test_nothing_found_is_an_empty_answer_not_an_error(lists):
    result = lookup("完全不存在的公司名字")
    assert result.matches == [] and result.problem == ""


def test_under_two_characters_is_too_short(lists):
    assert lookup("汇").problem == "short"
    assert lookup("（有限公司）").problem == ""  # a legal form alone is still a name
    assert lookup("！？").problem == "short"


def test_warnings_come_before_licences_and_whole_names_first(lists):
    make_entity("示范银行", "持牌机构")
    make_entity("示范银行理财俱乐部", "警示名单")
    result = lookup("示范银行")
    assert names(result)[0] == "示范银行"  # the whole name
    rest = [m.entity.kind.is_warning for m in result.matches[1:]]
    assert rest == sorted(rest, reverse=True)


def test_drafts_never_published_are_not_found():
    make_entity("示范草稿投资有限公司", publish=False)
    assert lookup("草稿投资").matches == []
    assert find_in_text("示范草稿投资有限公司来电") == []


def test_unpublished_entries_are_not_found(lists):
    lists["case"].unpublish()
    assert lookup("福寿养老").matches == []


def test_a_pending_change_is_not_public_until_published(lists):
    entity = lists["warned"]
    draft = entity.get_latest_revision_as_object()
    draft.aliases = "汇金宝\n新马甲"
    revision = draft.save_revision()
    assert lookup("新马甲").matches == []
    revision.publish()
    assert lookup("新马甲").matches[0].entity == entity


def test_names_are_indexed_once_per_folded_form(lists):
    rows = EntityName.objects.filter(entity=lists["warned"])
    assert sorted(rows.values_list("normalised", flat=True)) == sorted(
        ["示范汇金北京投资管理", "示范汇金财富咨询", "汇金宝", "汇金宝app"]
    )


def test_many_matches_are_capped_and_say_there_are_more():
    for i in range(25):
        make_entity(f"示范同名{i:02d}科技有限公司")
    result = lookup("示范同名", limit=20)
    assert len(result.matches) == 20 and result.more


def test_two_characters_match_the_start_of_names_only(lists):
    result = lookup("示範")  # traditional, folded
    assert result.prefix_only and len(result.matches) == 4
    assert lookup("投资").matches == []  # only in the middle of names: needs a third character
    assert lookup("汇金").matches[0].how == "alias"  # the start of the alias 汇金宝
    assert lookup("汇金宝").matches[0].entity == lists["warned"]


# -- find_in_text ----------------------------------------------------------------------------
def test_find_in_text_finds_names_before_legal_forms_and_endings(lists):
    text = (
        "张阿姨：我在示范滙金（北京）投資管理有限公司买了理财，"
        "小区里示范福寿养老服务中心也在卖床位。"
    )
    found = find_in_text(text)
    assert [m.entity for m in found] == [lists["warned"], lists["case"]]
    first = found[0]
    assert text[first.start : first.end] == "示范滙金（北京）投資管理有限公司"
    assert text[found[1].start : found[1].end] == "示范福寿养老服务中心"


def test_find_in_text_finds_quoted_aliases_former_names_and_codes(lists):
    text = f"下载“汇金宝”App，原名示范汇金财富咨询有限公司，代码 {HUIJIN_CODE}。"
    found = find_in_text(text)
    assert {m.how for m in found} == {"alias", "former", "code"}
    assert all(m.entity == lists["warned"] for m in found)
    code_match = next(m for m in found if m.how == "code")
    assert text[code_match.start : code_match.end] == HUIJIN_CODE


def test_find_in_text_prefers_the_longest_name(lists):
    make_entity("汇金投资管理有限公司")  # a shorter name inside the warned firm's
    found = find_in_text("示范汇金北京投资管理有限公司")
    assert [m.entity for m in found] == [lists["warned"]]


def test_find_in_text_ignores_codes_with_a_wrong_check_character(lists):
    wrong = HUIJIN_CODE[:17] + ("0" if HUIJIN_CODE[17] != "0" else "1")
    assert find_in_text(f"代码{wrong}") == []


def test_find_in_text_finds_nothing_in_ordinary_or_odd_text(lists):
    assert find_in_text("今天天气不错，公司组织去公园。") == []
    assert find_in_text("") == []
    assert find_in_text("\x00" * 10 + "有限公司" * 50) == []


def test_find_in_text_costs_two_queries_for_a_long_text(lists, django_assert_max_num_queries):
    text = ("某某投资有限公司承诺年化百分之二十，示范福寿养老服务中心也在推销。" * 100)[:5000]
    with django_assert_max_num_queries(2):
        found = find_in_text(text)
    assert {m.entity for m in found} == {lists["case"]}


def test_the_name_index_can_be_rebuilt(lists):
    from io import StringIO

    from django.core.management import call_command

    EntityName.objects.all().delete()
    assert lookup("汇金宝").matches == []
    out = StringIO()
    call_command("reindex_firm_names", stdout=out)
    assert "4 个机构" in out.getvalue()
    assert lookup("汇金宝").matches[0].entity == lists["warned"]
