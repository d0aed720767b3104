"""Every phone number on the site is a tap-to-call link (the ``phone_links`` filter and the
``phone`` tag), and nothing that only looks like a number is touched."""

import pytest
from django.template import Context, Template
from django.utils.safestring import mark_safe

from website.core.templatetags.fangfei_tags import phone_links, tel_href


@pytest.mark.parametrize(
    "text, href",
    [
        ("请拨打0737-1234567咨询", "tel:07371234567"),
        ("电话 0737 1234567", "tel:07371234567"),
        ("（0737）1234567", "tel:07371234567"),
        ("手机 13812345678", "tel:13812345678"),
        ("手机 138 1234 5678", "tel:13812345678"),
        ("客服 400-123-4567", "tel:4001234567"),
        ("请拨打 110 报警", "tel:110"),
        ("市民热线12345", "tel:12345"),
    ],
)
def test_phone_numbers_in_text_become_tel_links(text, href):
    html = phone_links(text)
    assert f'<a class="tel" href="{href}">' in html


@pytest.mark.parametrize(
    "text",
    ["涉案金额 12345678 元", "2026-05-15 发布", "受害 1100 人", "版本 3.110", "编号 A1101234567"],
)
def test_amounts_dates_and_codes_are_left_alone(text):
    assert "href" not in phone_links(text)


def test_numbers_already_in_a_link_are_not_linked_twice():
    html = mark_safe('<p>拨打 <a href="tel:110">110</a>，或 0737-1234567</p>')
    out = phone_links(html)
    assert out.count('href="tel:110"') == 1
    assert 'href="tel:07371234567"' in out


def test_plain_text_is_escaped_before_linking():
    out = phone_links("<script>alert(1)</script> 110")
    assert "<script>" not in out and 'href="tel:110"' in out


def test_tel_href_keeps_only_digits_and_plus():
    assert tel_href("+86 (0737) 123-4567") == "tel:+8607371234567"


def test_phone_tag_renders_a_link_that_never_breaks():
    html = Template("{% load fangfei_tags %}{% phone n %}").render(Context({"n": "0737-1234567"}))
    assert html == '<a class="tel" href="tel:07371234567">0737-1234567</a>'
    assert Template("{% load fangfei_tags %}{% phone n %}").render(Context({"n": ""})) == ""


@pytest.mark.django_db
def test_numbers_in_list_cards_and_search_results_are_links_too(client):
    from tests import factories

    factories.notice("拨打电话提示", summary="发现线索请拨打0737-1234567举报")
    listing = client.get("/notices/").content.decode()
    assert 'href="tel:07371234567"' in listing
    results = client.get("/search/?q=拨打电话提示").content.decode()
    assert 'href="tel:07371234567"' in results
