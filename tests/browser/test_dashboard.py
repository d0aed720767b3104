"""The dashboard tells each role what waits for them (issue 13 §2), seen in headless Chromium
at desktop size: an editor sees their drafts and the blast sent back to them, a reviewer the
page and the blast awaiting review, the 七进 event without its record and the open alert."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from campaigns.models import StaffAlert
from campaigns.sms import blast_actions
from tests import factories
from tests.campaigns.outreach import factories as outreach
from tests.campaigns.sms import factories as sms
from website.pages.models import RiskNoticePage

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def draft(editor, title, slug):
    page = RiskNoticePage(title=title, slug=slug, summary="摘要", body=factories.body("正文"))
    factories.notice_index().add_child(instance=page)
    page.save_revision(user=editor)
    page.unpublish()
    return RiskNoticePage.objects.get(pk=page.pk)


def blast(author, title):
    made = sms.blast(author=author)
    made.title = title
    made.save(update_fields=["title"])
    return made


def test_each_role_sees_what_waits_for_them(staff_page, live_server, screenshot):
    editor = factories.staff("bianji", "编辑")
    reviewer = factories.staff("shenhe", "审核员")
    draft(editor, "养老机构高息揽储风险提示（草稿）", "draft-a")
    submitted = draft(editor, "警惕虚拟货币投资骗局", "submitted-b")
    submitted.get_workflow().start(submitted, editor)
    sent_back = blast(editor, "五一假期防骗提醒")
    blast_actions.submit(sent_back, editor)
    sent_back.refresh_from_db()
    blast_actions.reject(
        sent_back, reviewer, reason="请写明举报电话", fingerprint=sent_back.fingerprint()
    )
    waiting = blast(editor, "重阳节老年人防非短信")
    blast_actions.submit(waiting, editor)
    ended = timezone.now() - datetime.timedelta(days=2)
    outreach.event(title="进社区防非宣讲", start=ended)
    StaffAlert.objects.create(kind="sms_code_daily_cap", message="今天的短信验证码已达每日上限。")

    page = staff_page(editor)
    page.goto(f"{live_server.url}/admin/")
    expect(page.get_by_role("heading", name="您的页面草稿")).to_be_visible()
    drafts = page.locator("#own-page-drafts-section")
    expect(drafts.get_by_role("link", name="养老机构高息揽储风险提示（草稿）")).to_be_visible()
    blasts = page.locator("#own-blast-drafts-section")
    expect(blasts.get_by_role("link", name="五一假期防骗提醒")).to_be_visible()
    expect(blasts.get_by_text(re.compile("^被退回.*请写明举报电话"))).to_be_visible()
    expect(page.get_by_text("等待您审批的短信群发")).to_have_count(0)
    screenshot(page, "admin-dashboard-editor")

    page = staff_page(reviewer)
    page.goto(f"{live_server.url}/admin/")
    expect(page.get_by_role("heading", name="等待您审批的短信群发")).to_be_visible()
    expect(
        page.locator("#blasts-awaiting-approval-section").get_by_role(
            "link", name="重阳节老年人防非短信"
        )
    ).to_be_visible()
    expect(page.get_by_role("link", name="警惕虚拟货币投资骗局").first).to_be_visible()
    expect(page.get_by_role("link", name="进社区防非宣讲")).to_be_visible()
    expect(page.get_by_text("今天的短信验证码已达每日上限。")).to_be_visible()
    screenshot(page, "admin-dashboard-reviewer")
    page.get_by_role("button", name="标为已处理").click()
    expect(page.get_by_text("已标为已处理。")).to_be_visible()
    expect(page.get_by_text("今天的短信验证码已达每日上限。")).to_have_count(0)
