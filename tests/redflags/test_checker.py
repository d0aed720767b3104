import pytest

from website.redflags.checker import RuleSpec, check, firms_in

RULES = [
    RuleSpec(
        "guarantee",
        "保本保息|保本|稳赚不赔",
        "lure",
        "保本保息",
        "谁也不能保本。",
        "tz",
        "投资理财",
    ),
    RuleSpec("recruit", "推荐…奖励", "social", "拉人头返利", "靠拉人。"),
]


def test_flags_point_at_the_original_text_through_the_tricks():
    text = "親，保 本 保 息，推荐朋友再奖励300元"
    report = check(text, RULES)
    phrases = [f.phrase for f in report.flags]
    assert "保 本 保 息" in phrases
    assert "推荐朋友再奖励" in phrases
    pieces = report.segments()
    assert "".join(piece for piece, _flag in pieces) == text
    marked = [piece for piece, flag in pieces if flag]
    assert marked == ["保 本 保 息", "推荐朋友再奖励"]


def test_grouped_by_feature_in_the_laws_order_and_by_method():
    report = check("推荐朋友奖励，稳赚不赔", RULES)
    assert [key for key, _label, _flags in report.by_feature()] == ["lure", "social"]
    assert [name for name, _flags in report.by_method()] == ["拉人头返利", "保本保息"]


def test_negations_and_warnings_are_not_flagged():
    assert not check("本产品不保本，可能损失本金", RULES).flags
    assert not check("请谨防“保本保息”的承诺", RULES).flags
    assert not check("有人冒充银行推销，承诺保本保息，请提高警惕", RULES).flags
    assert check("不用担心，保本保息", RULES).flags


def test_rates_above_the_threshold_are_flagged_with_the_figure():
    report = check("月息2分，年化1.5%", RULES, threshold=6)
    assert [(f.method, f.feature) for f in report.flags] == [("高额回报", "lure")]
    assert "24" in report.flags[0].explanation
    assert not check("月息2分", RULES, threshold=30).flags
    assert check("月息2分", RULES, threshold=20).flags


def test_a_broken_rule_is_skipped_not_fatal():
    report = check("保本", [RuleSpec("bad", "(", "lure"), *RULES])
    assert [f.rule for f in report.flags] == ["guarantee"]


def test_overlapping_flags_are_highlighted_once():
    rules = [RuleSpec("a", "保本保息", "lure"), RuleSpec("b", "保息", "lure")]
    report = check("保本保息", rules)
    assert len(report.flags) == 2
    assert [p for p, f in report.segments() if f] == ["保本保息"]


@pytest.mark.django_db
def test_firms_in_finds_listed_firms_and_nothing_else():
    from tests.firms.conftest import make_entity

    make_entity("示范某某财富管理有限公司")
    assert [m.entity.name for m in firms_in("找示范某某财富管理有限公司投资")] == [
        "示范某某财富管理有限公司"
    ]
    assert firms_in("示范另一家投资有限公司") == []
