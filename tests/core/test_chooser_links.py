"""A chooser's "edit" link is only offered to someone who may edit the chosen item."""

import pytest
from wagtail.admin.widgets.chooser import AdminPageChooser
from wagtail.models import Page

from tests import factories
from website.core.chooser_links import _user

pytestmark = pytest.mark.django_db


def edit_url_for(user, page):
    token = _user.set(user)
    try:
        return AdminPageChooser().get_value_data_from_instance(page)["edit_url"]
    finally:
        _user.reset(token)


def test_the_root_page_offers_an_editor_no_edit_link():
    root = Page.get_first_root_node()
    assert AdminPageChooser().get_value_data_from_instance(root)["edit_url"]  # Wagtail's own
    assert edit_url_for(factories.staff("bianji", "编辑"), root) == ""


def test_a_page_the_editor_may_edit_keeps_its_link():
    page = factories.notice_index()
    assert edit_url_for(factories.staff("bianji", "编辑"), page) == f"/admin/pages/{page.pk}/edit/"
