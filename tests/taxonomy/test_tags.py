"""Tags typed the Chinese way are split the Chinese way (issue 13 §5)."""

import pytest
from taggit.utils import parse_tags

from tests import factories


@pytest.mark.parametrize(
    "typed",
    [
        "养老服务，高息理财",
        "养老服务、高息理财",
        "养老服务；高息理财",
        "养老服务,高息理财",
        '"养老服务，高息理财"',  # as the admin's tag widget sends a tag it was given whole
        " 养老服务 ， 高息理财 ，",
    ],
)
def test_chinese_separators_make_separate_tags(typed):
    assert parse_tags(typed) == sorted(["养老服务", "高息理财"])


def test_a_single_tag_and_spaces_without_commas_behave_as_before():
    assert parse_tags("养老服务") == ["养老服务"]
    assert parse_tags("") == []


@pytest.mark.django_db
def test_a_page_tagged_in_the_admin_way_gets_two_tags():
    page = factories.case()
    page.tags.set(parse_tags("养老服务，高息理财"))
    page.save()
    assert sorted(page.tags.names()) == ["养老服务", "高息理财"]
