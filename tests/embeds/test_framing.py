"""Only the widgets under /embed/ may be framed, by anyone the site allows; every other page
refuses framing both ways browsers understand."""

import pytest
from django.test import override_settings

from tests import factories

pytestmark = pytest.mark.django_db


def frame_ancestors(response):
    policy = response.get("Content-Security-Policy", "")
    directives = [d.strip() for d in policy.split(";")]
    found = [d for d in directives if d.startswith("frame-ancestors")]
    assert len(found) == 1, policy
    return found[0]


@pytest.mark.parametrize("path", ["/", "/notices/", "/search/?q=养老", "/sms/subscribe/"])
def test_site_pages_refuse_framing(client, path):
    factories.notice()
    response = client.get(path)
    assert response.status_code == 200
    assert response["X-Frame-Options"] == "DENY"
    assert frame_ancestors(response) == "frame-ancestors 'none'"


def test_a_cached_page_still_refuses_framing(client):
    notice = factories.notice()
    client.get(notice.url)
    again = client.get(notice.url)
    assert again["X-Cache"] == "HIT"
    assert again["X-Frame-Options"] == "DENY"
    assert frame_ancestors(again) == "frame-ancestors 'none'"


def test_the_admin_refuses_framing_but_its_preview_pane_may_be_framed_by_the_admin(client):
    assert frame_ancestors(client.get("/admin/login/")) == "frame-ancestors 'none'"
    notice = factories.notice()
    editor = factories.logged_in(factories.staff("editor", "编辑"))
    preview = editor.get(f"/admin/pages/{notice.pk}/edit/preview/")
    assert preview.status_code == 200
    assert preview["X-Frame-Options"] == "SAMEORIGIN"
    assert frame_ancestors(preview) == "frame-ancestors 'self'"


@pytest.mark.parametrize("widget", ["notices", "kiosk", "page", "quiz"])
def test_widgets_may_be_framed_by_any_site_by_default(client, widget):
    path = widget_path(widget)
    response = client.get(path)
    assert response.status_code == 200, path
    assert "X-Frame-Options" not in response
    assert frame_ancestors(response) == "frame-ancestors *"


@override_settings(EMBED_FRAME_ANCESTORS=["https://news.example.cn", "https://bank.example.com"])
def test_widgets_may_be_limited_to_named_partners(client):
    response = client.get(widget_path("notices"))
    assert frame_ancestors(response) == (
        "frame-ancestors https://news.example.cn https://bank.example.com"
    )


def test_widget_pages_forbid_inline_and_foreign_scripts(client):
    response = client.get(widget_path("notices"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "'unsafe-inline'" not in policy
    assert "object-src 'none'" in policy
    assert response["X-Robots-Tag"] == "noindex"


def test_a_widget_error_page_may_be_framed_so_the_partner_sees_it(client):
    response = client.get("/embed/notices/?count=abc")
    assert response.status_code == 400
    assert "X-Frame-Options" not in response
    assert frame_ancestors(response) == "frame-ancestors *"


def widget_path(widget):
    if widget == "notices":
        factories.notice()
        return "/embed/notices/"
    if widget == "kiosk":
        factories.notice()
        return "/embed/kiosk/"
    if widget == "page":
        return f"/embed/page/{factories.notice().pk}/"
    from tests.quiz.conftest import make_question, make_quiz

    return f"/embed/quiz/{make_quiz([make_question()]).pk}/"


@override_settings(MEDIA_URL="https://media.example.cn/fangfei/")
def test_widget_images_may_come_from_media_storage_on_another_origin(client):
    policy = client.get(widget_path("notices"))["Content-Security-Policy"]
    assert "img-src 'self' data: https://media.example.cn;" in policy
