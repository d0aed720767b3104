"""Lists and fact boxes are cached per content version: never stale, even for visitors
who bypass the page cache (editors, anyone with a session)."""

import pytest
from django.contrib.auth.models import User
from wagtail.models import PageViewRestriction

from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client):
    client.force_login(User.objects.create_superuser("ed", "ed@example.com", "pw-123456789"))
    return client


def test_new_notice_shows_at_once_on_home_and_index(editor_client):
    factories.notice("第一条")
    editor_client.get("/"), editor_client.get("/notices/")
    factories.notice("第二条")
    assert "第二条" in editor_client.get("/").content.decode()
    assert "第二条" in editor_client.get("/notices/").content.decode()


def test_listing_cache_keys_on_filters_and_page(editor_client):
    factories.notice("老人提示", audiences=["elderly"])
    factories.notice("学生提示", audiences=["students"])
    elderly = editor_client.get("/notices/", {"audience": "elderly"}).content.decode()
    students = editor_client.get("/notices/", {"audience": "students"}).content.decode()
    assert "老人提示" in elderly and "学生提示" not in elderly
    assert "学生提示" in students and "老人提示" not in students


def test_changed_tags_show_in_the_fact_box_after_publish(editor_client):
    page = factories.notice("提示", tags=["投资理财"])
    assert "投资理财" in editor_client.get(page.url).content.decode()
    page.tags.set(["养老服务"])
    page.save_revision().publish()
    html = editor_client.get(page.url).content.decode()
    assert "养老服务" in html and "投资理财" not in html


def test_a_page_made_private_leaves_cached_lists(client):
    page = factories.notice("将设为私密")
    assert "将设为私密" in client.get("/notices/").content.decode()
    PageViewRestriction.objects.create(page=page, restriction_type="login")
    assert "将设为私密" not in client.get("/notices/").content.decode()
    assert "将设为私密" not in client.get("/").content.decode()
