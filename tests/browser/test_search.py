"""The search page in headless Chromium at 360 px: a result page and the no-result page, in
both modes, accessible (axe-core), and usable without JavaScript."""

from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command

from tests.browser.axe import AXE_OPTIONS

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "search"


@pytest.fixture
def demo(live_server):
    call_command("load_demo", stdout=open("/dev/null", "w"))


def visit(page, live_server, path):
    response = page.goto(live_server.url + path)
    assert response.status == 200, path


@pytest.mark.parametrize("elder", [False, True], ids=["standard", "elder"])
def test_result_and_no_result_pages_are_accessible_on_a_phone(phone, live_server, demo, elder):
    if elder:
        phone.context.add_cookies([{"name": "elder", "value": "1", "url": live_server.url}])
    axe = Axe()
    problems = {}
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    mode = "elder" if elder else "standard"
    for name, path in [("results", "/search/?q=退休金"), ("no-result", "/search/?q=足球比赛")]:
        visit(phone, live_server, path)
        results = axe.run(phone, options=AXE_OPTIONS)
        if results.violations_count:
            problems[name] = results.generate_report()
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"{name} is {width}px wide on a 360px phone"
        phone.screenshot(path=str(ARTIFACTS / f"{name}-{mode}.png"), full_page=True)
    call = phone.locator("a.search-call-link")
    assert call.get_attribute("href").startswith("tel:")
    box = call.bounding_box()
    assert box["height"] >= 44
    # The number never breaks across lines: one line of text is far less than two.
    line = phone.evaluate(
        "parseFloat(getComputedStyle(document.querySelector('a.search-call-link')).fontSize)"
    )
    assert box["height"] < line * 2.6
    assert not problems, "\n\n".join(f"{k}:\n{v}" for k, v in problems.items())


def test_search_works_without_javascript(phone_without_js, live_server, demo):
    page = phone_without_js
    visit(page, live_server, "/search/")
    page.get_by_label("想查什么？").fill("yanglao")
    page.get_by_role("button", name="搜索").last.click()
    page.wait_for_load_state()
    assert "看清“以房养老”骗局" in page.content()
    page.get_by_label("想查什么？").fill("足球比赛")
    page.get_by_role("button", name="搜索").last.click()
    page.wait_for_load_state()
    page.get_by_role("link", name="已经投了钱、发现被骗了怎么办").first.click()
    page.wait_for_load_state()
    assert page.url.endswith("/already-paid/")
