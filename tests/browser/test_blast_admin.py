"""SMS blasts in the admin, in headless Chromium: an editor composes and submits, a reviewer
approves, delivery runs in-process and the detail page's progress bar reaches 100 %."""

import pytest
from playwright.sync_api import expect

from campaigns.models import SmsBlast, SmsDelivery
from campaigns.sms import delivery
from campaigns.sms import text as sms_text
from campaigns.sms.sending.backends import locmem
from tests.campaigns.sms import factories

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

BODY = "警惕以“养老服务”为名的非法集资，高额回报不可信。"


def test_compose_submit_approve_and_watch_progress_reach_100_percent(
    staff_page, live_server, screenshot
):
    people = [factories.subscriber(("elderly",), "430922100201") for _ in range(23)]
    factories.subscriber(("students",), "430922100201")  # not in the audience
    editor = factories.staff("bianji", "编辑")
    reviewer = factories.staff("shenhe", "审核员")

    # The editor composes: the counter follows the typing.
    page = staff_page(editor)
    page.goto(f"{live_server.url}/admin/sms/blasts/new/")
    page.get_by_label("标题（内部）").fill("养老诈骗提醒")
    page.get_by_label("短信正文").fill(BODY)
    expected = sms_text.compose(BODY)
    expect(page.locator("[data-sms-chars]")).to_have_text(str(len(expected)))
    expect(page.locator("[data-sms-segments]")).to_have_text(str(sms_text.segments(expected)))
    page.get_by_label("老年人").check()
    screenshot(page, "admin-blast-compose")
    page.get_by_role("button", name="保存并预览").click()

    # Preview: the exact text and the number of recipients, then submit.
    expect(page.locator("[data-preview-text]")).to_have_text(expected)
    expect(page.locator("[data-preview-recipients]")).to_have_text("23")
    screenshot(page, "admin-blast-preview")
    page.get_by_role("button", name="提交审批").click()
    expect(page.locator("[data-blast-status]").first).to_have_text("待审批")
    expect(page.get_by_role("button", name="批准")).to_have_count(0)  # not for the author
    blast = SmsBlast.objects.get()
    assert blast.status == SmsBlast.Status.PENDING

    # The reviewer approves and lands on the detail page.
    review = staff_page(reviewer)
    review.goto(f"{live_server.url}/admin/sms/blasts/{blast.pk}/preview/")
    review.get_by_role("button", name="批准").click()
    expect(review.get_by_role("progressbar")).to_have_attribute("aria-valuenow", "0")
    assert review.url.endswith(f"/admin/sms/blasts/{blast.pk}/")
    expect(review.locator("[data-live-note]")).to_be_visible()

    # Delivery runs here, in-process, while the page polls for progress.
    assert delivery.plan_blast(blast.pk) == 23
    expect(review.locator('[data-field="planned"]')).to_have_text("23")
    while delivery.send_one_batch(SmsBlast.objects.get(pk=blast.pk), size=5):
        pass
    delivery.finish_blasts()

    bar = review.get_by_role("progressbar")
    expect(bar).to_have_attribute("aria-valuenow", "100", timeout=15_000)
    expect(review.locator('[data-field="submitted"]')).to_have_text("23")
    expect(review.locator("[data-blast-status]").first).to_have_text("已完成")
    expect(review.locator("[data-live-note]")).to_be_hidden()  # polling stopped
    assert review.locator(".sms-progress__fill").evaluate("e => e.style.width") == "100%"
    assert review.locator('[data-bar-label="submitted"]').text_content() == "23"

    assert len(locmem.outbox) == 23
    assert {m.to for m in locmem.outbox} == {p.phone for p in people}
    assert all(m.text.startswith(f"【防非】{BODY}") for m in locmem.outbox)
    assert SmsDelivery.objects.filter(status=SmsDelivery.Status.SUBMITTED).count() == 23
    actions = list(blast.audit_log.values_list("action", "actor__username"))
    assert actions == [("create", "bianji"), ("submit", "bianji"), ("approve", "shenhe")]
    screenshot(review, "admin-blast-progress-100")
