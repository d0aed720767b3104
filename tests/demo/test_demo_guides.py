"""The demo's guides and privacy notice: reachable from the site settings, and saying what
the issue asks them to say."""

import pytest
from django.core.management import call_command
from wagtail.models import Site

from website.core.models import SiteSettings
from website.pages.models import RiskNoticePage


def page_text(client, page):
    response = client.get(page.url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_demo_guides_and_privacy_notice_are_linked_and_complete(client):
    call_command("load_demo", stdout=open("/dev/null", "w"))
    info = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    after, verify, privacy = info.after_paying_page, info.verify_page, info.privacy_page
    assert after.live and verify.live and privacy.live

    text = page_text(client, after)
    for words in ("停止", "拉", "证据", 'href="tel:110"', "处非办", "追损", "维权", "代理费"):
        assert words in text, words
    text = page_text(client, verify)
    for words in ("牌照", "国家企业信用信息公示系统", "个人账户", "保本保息"):
        assert words in text, words
    text = page_text(client, privacy)
    for words in ("手机号码", "地区和年龄段", "同意记录", "加密", "办结后保存一年", "期满删除"):
        assert words in text, words

    home = page_text(client, Site.objects.get(is_default_site=True).root_page)
    assert f'href="{after.url}"' in home and f'href="{verify.url}"' in home
    assert f'href="{privacy.url}">隐私声明</a>' in home
    # Every notice says how long it is valid, including the two with no end date.
    for notice in RiskNoticePage.objects.live():
        text = page_text(client, notice)
        assert "长期有效" in text or "有效期至" in text or "到期" in text, notice.title
