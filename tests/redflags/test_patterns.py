import pytest
from django.core.exceptions import ValidationError

from website.redflags.models import Rule
from website.redflags.patterns import PatternError, compile_pattern


def test_phrases_alternatives_gaps_and_numbers():
    regex = compile_pattern("保本保息|穩賺不賠\n推荐…奖励|每天返#")
    assert regex.search("稳赚不赔")  # written traditional, matches simplified
    assert regex.search("推荐一位朋友再奖励").group(0) == "推荐一位朋友再奖励"
    assert regex.search("每天返三十元").group(0) == "每天返三十"
    assert not regex.search("推荐。然后奖励")  # a gap never crosses a sentence


@pytest.mark.parametrize(
    "pattern, says",
    [
        ("", "至少写一个说法"),
        ("保", "太短"),
        ("保本|(高息)", "不支持符号"),
        ("[0-9]+%", "不支持符号"),
        ("…保本", "开头或结尾"),
        ("保本…", "开头或结尾"),
        ("保" * 1001, "太长"),
        ("|".join(f"说法{i}" for i in range(61)), "说法太多"),
    ],
)
def test_bad_patterns_are_refused_with_a_clear_message(pattern, says):
    with pytest.raises(PatternError) as error:
        compile_pattern(pattern)
    assert says in str(error.value)


def test_a_rule_with_a_bad_pattern_does_not_validate():
    rule = Rule(key="x", name="x", pattern="保本|(", feature="lure", explanation="x")
    with pytest.raises(ValidationError) as error:
        rule.clean()
    assert "pattern" in error.value.message_dict
