import pytest

from website.redflags.normalise import normalise


@pytest.mark.parametrize(
    "text, expected",
    [
        ("保 本", "保本"),
        ("保.本", "保本"),
        ("保-本", "保本"),
        ("稳*赚 不\u200b赔", "稳赚不赔"),
        ("保本保息", "保本保息"),
        ("親，我們保證收益", "亲,我们保证收益"),  # traditional → simplified, full-width comma
        ("年化２５％", "年化25%"),  # full-width digits
        ("月利率1.5%", "月利率1.5%"),  # a decimal point is kept
        ("A-B 两个 word", "a-b 两个 word"),  # only between Chinese characters
    ],
)
def test_tricks_are_undone(text, expected):
    assert normalise(text).text == expected


def test_every_normalised_character_points_back_to_the_original():
    original = "保 本，年 化２５％，穩.賺"
    norm = normalise(original)
    assert list(norm.origin) == sorted(norm.origin)
    assert all(0 <= i < len(original) for i in norm.origin)
    start = norm.text.index("稳赚")
    assert norm.span(start, start + 2) == (original.index("穩"), len(original))
    start = norm.text.index("保本")
    assert original[slice(*norm.span(start, start + 2))] == "保 本"


def test_empty_text():
    norm = normalise("")
    assert norm.text == "" and norm.span(0, 0) == (0, 0)
