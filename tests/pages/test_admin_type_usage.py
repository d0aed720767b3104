"""The 页面类型使用情况 report offers "add" only for page types that can be added somewhere:
a second home page or section index (max_count, max_count_per_parent) led to 没有权限."""

import pytest

from tests import factories
from tests.factories import logged_in, staff

pytestmark = pytest.mark.django_db


def test_the_type_usage_report_offers_add_only_where_a_page_can_be_added():
    factories.home_page()
    client = logged_in(staff("bianji", "编辑"))
    home_usage = client.get("/admin/pages/usage/pages/homepage/")
    assert home_usage.status_code == 200
    assert "/admin/pages/create/pages/homepage" not in home_usage.content.decode()
    standard_usage = client.get("/admin/pages/usage/pages/standardpage/").content.decode()
    assert "/admin/pages/create/pages/standardpage" in standard_usage


def test_choosing_a_parent_never_leads_to_a_parent_that_refuses_the_page():
    factories.home_page()
    client = logged_in(staff("bianji", "编辑"))
    response = client.get("/admin/pages/create/pages/homepage", follow=True)
    assert not any("/admin/pages/add/" in hop for hop, _ in response.redirect_chain)
    assert "没有权限" not in response.content.decode()
    # A type with one valid parent still goes straight to its form.
    response = client.get("/admin/pages/create/pages/standardpage")
    assert (
        response.status_code == 302
        and "/admin/pages/add/pages/standardpage/" in response["Location"]
    )
