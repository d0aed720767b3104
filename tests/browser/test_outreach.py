"""七进 events in headless Chromium: an editor creates an event in the admin, finds it on
the admin calendar, and the public sees it (without contact details) on the campaign page,
which passes axe (WCAG 2.1 AA and best practice) and fits a 360px phone."""

import datetime

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from playwright.sync_api import expect

from campaigns.models import OutreachEvent
from tests.browser.axe import AXE_OPTIONS
from tests.campaigns.outreach import factories as of
from tests.campaigns.sms import factories

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_create_event_see_it_on_calendar_and_campaign_page(
    staff_page, phone, live_server, screenshot
):
    today = timezone.localdate()
    campaign = of.campaign("防范非法集资宣传月", start=today - datetime.timedelta(days=2))
    editor = factories.staff("bianji", "编辑")
    start = timezone.localtime(of.at(1, 10))

    page = staff_page(editor)
    page.goto(f"{live_server.url}/admin/outreach/events/new/")
    page.locator("#id_title").fill("花果山村防非院坝会")
    page.locator("#id_campaign").select_option(label=campaign.title)
    page.locator("#id_channel").select_option(label="村组")
    page.locator("#id_start_at").fill(start.strftime("%Y-%m-%d %H:%M"))
    page.locator("#id_end_at").fill(
        (start + datetime.timedelta(hours=2)).strftime("%Y-%m-%d %H:%M")
    )
    page.locator("#id_title").click()  # closes the date pickers
    # The region picker shows full paths; typing in its search box picks the first match.
    page.locator("#id_region-search").fill("花果山")
    expect(page.locator("#id_region option:checked")).to_have_text(
        "湖南省 › 益阳市 › 桃江县 › 桃花江镇 › 花果山村"
    )
    page.locator("#id_venue").fill("花果山村村部")
    page.locator("#id_organiser").fill("桃花江镇")
    page.locator("#id_contact_person").fill("赵六")
    page.locator("#id_contact_phone").fill("13912345678")
    screenshot(page, "admin-outreach-event-new")
    page.get_by_role("button", name="创建").click()
    page.wait_for_load_state()
    event = OutreachEvent.objects.get(title="花果山村防非院坝会")
    assert event.campaign_id == campaign.pk and event.contact_phone == "13912345678"

    # The admin calendar shows it and links to its edit page.
    page.goto(f"{live_server.url}/admin/outreach-tools/calendar/?date={start.date().isoformat()}")
    link = page.locator("[data-outreach-calendar]").get_by_role("link", name="花果山村防非院坝会")
    expect(link).to_be_visible()
    screenshot(page, "admin-outreach-calendar")
    link.click()
    expect(page.locator("#id_title")).to_have_value("花果山村防非院坝会")

    # The public campaign page lists it, without the contact person or phone.
    response = phone.goto(live_server.url + campaign.url)
    assert response.status == 200
    expect(phone.get_by_role("heading", name="花果山村防非院坝会")).to_be_visible()
    html = phone.content()
    assert "13912345678" not in html and "139****5678" not in html and "赵六" not in html
    results = Axe().run(phone, options=AXE_OPTIONS)
    assert results.violations_count == 0, results.generate_report()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(phone, "campaign-page")

    # And on the home page's campaign slot.
    phone.goto(live_server.url + "/")
    expect(phone.locator(".campaign-slot")).to_contain_text("花果山村防非院坝会")
    results = Axe().run(phone, options=AXE_OPTIONS)
    assert results.violations_count == 0, results.generate_report()
