"""The 统一社会信用代码 check (GB 32100-2015): real-format codes pass, mistyped ones do not."""

import pytest
from django.core.exceptions import ValidationError

from website.firms.codes import WEIGHTS, check_character, clean_code, is_valid, validate_credit_code

# 17 characters in the standard's shape (department, kind, 6-digit region, 9-character
# subject identifier); their check characters are computed below, never typed by hand.
BODIES = [
    "91350100M000100Y4",  # the example the standard's explainers quote: check character 3
    "91110108MA01ABCD1",
    "52440300MJL123456",
    "12100000400000624",
    "93430921MA4L00001",
]


def test_weights_are_powers_of_three_mod_31():
    assert WEIGHTS[:6] == [1, 3, 9, 27, 19, 26]
    assert WEIGHTS[-1] == 28


def test_the_well_known_example_has_check_character_3():
    assert check_character("91350100M000100Y4") == "3"
    validate_credit_code("91350100M000100Y43")


@pytest.mark.parametrize("body", BODIES)
def test_codes_with_their_computed_check_character_are_valid(body):
    code = body + check_character(body)
    validate_credit_code(code)
    assert is_valid(code)


@pytest.mark.parametrize("body", BODIES)
def test_any_other_check_character_is_refused(body):
    right = check_character(body)
    for wrong in "0A9Y":
        if wrong != right:
            with pytest.raises(ValidationError, match="校验码"):
                validate_credit_code(body + wrong)


def test_swapping_two_characters_is_caught():
    code = BODIES[1] + check_character(BODIES[1])
    swapped = code[:9] + code[10] + code[9] + code[11:]
    assert swapped != code
    assert not is_valid(swapped)


@pytest.mark.parametrize(
    "value, message",
    [
        ("91350100M000100Y4", "18 位"),
        ("91350100M000100Y433", "18 位"),
        ("91350100M000100I43", "不含 I"),  # I is not in the alphabet
        ("9135010OM000100Y43", "不含 I"),  # O in the region code
        ("913501AAM000100Y43", "第 3 到 8 位是数字"),
    ],
)
def test_malformed_codes_are_refused_with_a_reason(value, message):
    with pytest.raises(ValidationError, match=message):
        validate_credit_code(value)


def test_full_width_lower_case_and_spaces_are_read_as_the_code():
    assert clean_code("９１３５ ０１００-m０００１００y４３") == "91350100M000100Y43"
    validate_credit_code("９１３５０１００ｍ０００１００ｙ４３")
