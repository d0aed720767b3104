"""The public site in headless Chromium at phone size: accessibility (axe-core), layout,
elder mode and use without JavaScript."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command

from tests.browser.axe import AXE_OPTIONS
from website.pages.models import CaseStudyPage, RiskNoticePage

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def demo(live_server):
    call_command("load_demo", stdout=open("/dev/null", "w"))
    notice = RiskNoticePage.objects.live().order_by("pk").first()
    expired = next(p for p in RiskNoticePage.objects.live() if p.is_expired)
    case = CaseStudyPage.objects.live().order_by("pk").first()
    return {
        "home": "/",
        "notices": "/notices/",
        "notices-filtered": "/notices/?audience=elderly",
        "cases": "/cases/",
        "case": case.url,
        "notice": notice.url,
        "expired-notice": expired.url,
        "search": "/search/?q=养老",
        "audience": "/for/elderly/",
    }


def visit(page, live_server, path):
    response = page.goto(live_server.url + path)
    assert response.status == 200, path
    return response


@pytest.mark.parametrize("elder", [False, True], ids=["standard", "elder"])
def test_pages_have_no_accessibility_violations_and_fit_a_phone(
    phone, live_server, demo, screenshot, elder
):
    if elder:
        phone.context.add_cookies([{"name": "elder", "value": "1", "url": live_server.url}])
    axe = Axe()
    problems = {}
    for name, path in demo.items():
        visit(phone, live_server, path)
        assert ("elder" in (phone.get_attribute("html", "class") or "")) == elder
        results = axe.run(phone, options=AXE_OPTIONS)
        if results.violations_count:
            problems[name] = results.generate_report()
        overflow = phone.evaluate("document.documentElement.scrollWidth")
        assert overflow <= 360, f"{name} is {overflow}px wide on a 360px phone"
        screenshot(phone, f"{name}-{'elder' if elder else 'standard'}")
    assert not problems, "\n\n".join(f"{k}:\n{v}" for k, v in problems.items())


def test_elder_mode_enlarges_text(phone, live_server, demo):
    visit(phone, live_server, "/")
    standard = phone.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    phone.get_by_role("link", name="长辈模式").click()
    phone.wait_for_load_state()
    elder = phone.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert elder >= standard * 1.25
    assert phone.url == live_server.url + "/"


def test_elder_switch_and_filters_work_without_javascript(phone_without_js, live_server, demo):
    page = phone_without_js
    visit(page, live_server, "/notices/")
    page.get_by_role("link", name="长辈模式").click()
    page.wait_for_load_state()
    assert '<html lang="zh-Hans" class="elder">' in page.content()
    assert page.url.endswith("/notices/")

    page.get_by_label("人群").select_option("elderly")
    page.get_by_role("button", name="筛选").click()
    page.wait_for_load_state()
    assert "audience=elderly" in page.url
    assert 'class="elder"' in page.content()  # the mode survives navigation
    cards = page.locator("article.card")
    assert cards.count() >= 1


def test_search_from_the_header(phone, live_server, demo):
    visit(phone, live_server, "/")
    box = phone.get_by_role("searchbox", name="搜索本站")
    box.fill("养老")
    box.press("Enter")
    phone.wait_for_load_state()
    assert "/search/?q=" in phone.url
    results = phone.locator(".search-results li")
    assert results.count() >= 1
    assert "养老" in results.first.inner_text()
