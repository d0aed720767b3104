"""The compose counter in headless Chromium: a page link pasted into the body is counted as
the short link it will become, with the signature and the opt-out, and the saved blast's
preview has exactly that length."""

import pytest
from playwright.sync_api import expect
from wagtail.models import Site

from campaigns.models import SmsBlast
from campaigns.sms import text as sms_text
from campaigns.sms.admin_views import count_message
from tests.campaigns.outreach import factories as outreach
from tests.campaigns.sms import factories

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

BASE = "https://fangfei.example.cn"


def test_the_compose_counter_counts_a_pasted_link_as_its_short_link(
    staff_page, live_server, screenshot, settings
):
    settings.FANGFEI_BASE_URL = BASE
    Site.objects.update(hostname="fangfei.example.cn", port=443)
    campaign = outreach.campaign(title="2026年岳麓区防范非法集资宣传月")
    campaign.slug = "2026年岳麓区防范非法集资宣传月"
    campaign.save_revision().publish()
    campaign.refresh_from_db()
    long_address = BASE + campaign.url
    body = f"5·15宣传月活动安排请看{long_address} 转告家中长辈，谨防上当受骗！"
    editor = factories.staff("bianji", "编辑")

    page = staff_page(editor)
    page.goto(f"{live_server.url}/admin/sms/blasts/new/")
    expect(page.get_by_role("button", name="更新字数")).to_be_hidden()  # JS counts by itself
    page.get_by_label("标题（内部）").fill("宣传月安排")
    page.get_by_label("短信正文").fill(body)
    expected = count_message(body)
    assert expected["characters"] < len(body)
    expect(page.locator("[data-sms-chars]")).to_have_text(str(expected["characters"]))
    expect(page.locator("[data-sms-segments]")).to_have_text(str(expected["segments"]))
    expect(page.locator("[data-sms-text]")).to_have_text(expected["text"])
    expect(page.locator("[data-sms-text]")).to_contain_text(f"{BASE}/s/")
    expect(page.locator("[data-sms-text]")).to_contain_text(sms_text.OPT_OUT)
    screenshot(page, "admin-blast-compose-with-link")

    page.get_by_role("button", name="保存并预览").click()
    blast = SmsBlast.objects.get()
    sent = blast.preview_text()
    expect(page.locator("[data-preview-text]")).to_have_text(sent)
    expect(page.locator("[data-preview-chars]")).to_have_text(str(expected["characters"]))
    assert len(sent) == expected["characters"] and "%E5" not in sent
    screenshot(page, "admin-blast-preview-with-link")

    # Two people follow the short link: the blast's page counts the clicks, nobody's identity.
    from website.shortlinks.models import ShortLink
    from website.shortlinks.service import record_visit

    code = ShortLink.objects.get(kind="blast", ref=str(blast.pk)).code
    record_visit(code)
    record_visit(code)
    page.goto(f"{live_server.url}/admin/sms/blasts/{blast.pk}/")
    expect(page.locator("[data-blast-clicks]")).to_have_text("2")
    expect(page.locator("[data-blast-segments]")).to_have_text(str(expected["segments"]))
    screenshot(page, "admin-blast-detail-clicks")
