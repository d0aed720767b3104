from website.core.params import clean_param


def test_control_characters_are_removed():
    assert clean_param("ab\x00c\x01\u200b") == "abc"


def test_value_is_cut_and_stripped():
    assert clean_param("  养老  ") == "养老"
    assert clean_param("x" * 500, max_length=10) == "x" * 10


def test_non_strings_give_empty():
    assert clean_param(None) == ""
    assert clean_param(["a"]) == ""
