"""The firm lookup in headless Chromium on a 360-px phone: axe-core finds nothing in standard
and elder mode, nothing is wider than the phone, and it works without JavaScript.
Screenshots go to test-artifacts/firms/."""

from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.axe import AXE_OPTIONS
from website.demo.firms import build_demo_firms
from website.firms.models import Entity

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "firms"


@pytest.fixture
def lookups(live_server):
    from wagtail.models import Site

    from website.core.models import ReportingSettings

    build_demo_firms()
    reporting = ReportingSettings.for_site(Site.objects.get(is_default_site=True))
    reporting.hotline = "0737-12345678"
    reporting.save()
    live = Entity.objects.filter(live=True)
    warned = live.filter(kind__name="警示名单", status="in_force").order_by("pk").first()
    licensed = live.filter(kind__name="持牌机构").order_by("pk").first()
    lifted = live.filter(status="lifted").order_by("pk").first()
    return {
        "form": "/lookup/",
        "warning": f"/lookup/?q={warned.name}",
        "licensed": f"/lookup/?q={licensed.name}",
        "lifted": f"/lookup/?q={lifted.name}",
        "not-found": "/lookup/?q=查无此名的投资公司",
        "fragment": "/lookup/?q=养老服务",
    }


@pytest.mark.parametrize("elder", [False, True], ids=["standard", "elder"])
def test_lookup_pages_are_accessible_and_fit_a_phone(phone, live_server, lookups, elder):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    if elder:
        phone.context.add_cookies([{"name": "elder", "value": "1", "url": live_server.url}])
    axe = Axe()
    problems = {}
    mode = "elder" if elder else "standard"
    for name, path in lookups.items():
        response = phone.goto(live_server.url + path)
        assert response.status == 200, path
        results = axe.run(phone, options=AXE_OPTIONS)
        if results.violations_count:
            problems[name] = results.generate_report()
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"{name} is {width}px wide on a 360px phone"
        phone.screenshot(path=str(ARTIFACTS / f"{name}-{mode}.png"), full_page=True)
    assert not problems, "\n\n".join(f"{k}:\n{v}" for k, v in problems.items())


def test_the_lookup_works_without_javascript(phone_without_js, live_server, lookups):
    page = phone_without_js
    page.goto(live_server.url + "/lookup/")
    page.get_by_label("机构名称、简称、平台名或统一社会信用代码").fill("查无此名的投资公司")
    page.get_by_role("button", name="查询").click()
    page.wait_for_load_state()
    assert "q=" in page.url
    assert page.get_by_role("heading", name="没查到不等于安全").is_visible()
    assert "0737-12345678" in page.content()

    page.goto(live_server.url + lookups["warning"])
    assert page.locator("article.firm-warning").count() >= 1
    assert page.locator(".badge-severe").first.is_visible()
