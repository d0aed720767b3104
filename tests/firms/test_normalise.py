"""Names compare equal however they were typed: legal forms, widths, brackets, spaces,
traditional characters."""

import pytest

from website.firms.normalise import fold_with_offsets, normalise_name

SAME = "示范汇金北京投资"


@pytest.mark.parametrize(
    "typed",
    [
        "示范汇金北京投资",
        "示范汇金北京投资有限公司",
        "示范汇金北京投资股份有限公司",
        "示范汇金北京投资有限责任公司",
        "示范汇金（北京）投资有限公司",
        "示范汇金(北京)投资有限公司",
        "示范汇金【北京】投资有限公司",
        "示范 汇金 北京 投资",
        "示范滙金（北京）投資有限公司",
        "  示范匯金北京投資 ",
    ],
)
def test_ways_of_writing_one_name_fold_to_one_form(typed):
    assert normalise_name(typed) == SAME


def test_full_width_letters_and_digits_become_half_width_lower_case():
    assert normalise_name("ＡＢＣ１２３科技有限公司") == "abc123科技"


def test_a_legal_form_alone_is_kept_rather_than_leaving_nothing():
    assert normalise_name("有限公司") == "有限公司"
    assert normalise_name("甲公司") == "甲公司"


def test_folding_keeps_the_offsets_of_each_character():
    folded, offsets = fold_with_offsets("（示范）汇 金")
    assert folded == "示范汇金"
    assert offsets == [1, 2, 4, 6]


def test_nothing_and_junk_fold_to_nothing():
    assert normalise_name("") == ""
    assert normalise_name(None) == ""
    assert normalise_name("（）【】 ·-—") == ""
