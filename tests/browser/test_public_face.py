"""The public face at 360×740 in both modes: the first warning and the call button on the
first screen, a compact elder header, read-aloud where the phone can speak Chinese, the
search button without JavaScript, accessibility of the new pages, and the printed page."""

from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from wagtail.models import Site

from tests.browser.axe import AXE_OPTIONS
from tests.browser.conftest import PHONE
from website.core.models import ReportingSettings, SiteSettings
from website.pages.models import CaseStudyPage, RiskNoticePage

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "front"
MODES = pytest.mark.parametrize("elder", [False, True], ids=["standard", "elder"])


@pytest.fixture
def demo(live_server):
    call_command("load_demo", stdout=open("/dev/null", "w"))
    info = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    return {
        "url": live_server.url,
        "notice": RiskNoticePage.objects.live().order_by("pk").first().url,
        "case": CaseStudyPage.objects.live().order_by("pk").first().url,
        "after-paying": info.after_paying_page.url,
        "verify": info.verify_page.url,
        "privacy": info.privacy_page.url,
        "report": ReportingSettings.for_site(
            Site.objects.get(is_default_site=True)
        ).report_page.url,
        "campaigns": "/campaigns/",
        "campaign": "/campaigns/publicity-month-2026/",
    }


def set_mode(page, demo, elder):
    if elder:
        page.context.add_cookies([{"name": "elder", "value": "1", "url": demo["url"]}])


def go(page, demo, path):
    response = page.goto(demo["url"] + path)
    assert response.status == 200, path


def box(page, selector):
    return page.locator(selector).first.bounding_box()


@MODES
def test_first_warning_and_call_button_are_on_the_first_screen(phone, demo, elder):
    set_mode(phone, demo, elder)
    go(phone, demo, "/")
    call = box(phone, ".call-button")
    warning = box(phone, ".home-notices .card")
    assert call["y"] + call["height"] <= PHONE["height"]
    assert warning["y"] < PHONE["height"] - 60, f"first warning starts at {warning['y']}px"
    # The number stays on one line.
    number = phone.locator(".call-number").first
    line = phone.evaluate(
        "e => parseFloat(getComputedStyle(e).lineHeight)", number.element_handle()
    )
    assert number.bounding_box()["height"] < 1.6 * line
    if elder:
        header = box(phone, ".site-header")
        assert header["height"] <= 0.3 * PHONE["height"], header
    # The online report form, the way-to-report page and the after-paying guide put the call
    # button on the first screen too.
    for path in ("/report/", demo["report"], demo["after-paying"]):
        go(phone, demo, path)
        call = box(phone, ".call-button")
        assert call["y"] + call["height"] <= PHONE["height"], path


@MODES
def test_with_all_five_quick_actions_the_first_warning_still_starts_on_the_first_screen(
    phone, demo, elder
):
    set_mode(phone, demo, elder)
    go(phone, demo, "/")
    assert phone.locator(".quick-actions a").count() == 5
    call = box(phone, ".call-button")
    warning = box(phone, ".home-notices .card")
    assert call["y"] + call["height"] <= PHONE["height"]
    assert warning["y"] < PHONE["height"] - 60, f"first warning starts at {warning['y']}px"
    if not elder:
        actions = box(phone, ".quick-actions")
        assert actions["y"] + actions["height"] <= PHONE["height"]


@MODES
def test_header_keeps_the_logo_round_and_report_with_company(phone, demo, elder):
    set_mode(phone, demo, elder)
    for path in ("/", demo["notice"]):
        go(phone, demo, path)
        mark = box(phone, ".brand-mark")
        assert abs(mark["width"] - mark["height"]) < 1
        tops = phone.eval_on_selector_all(
            ".site-nav > ul > li", "els => els.map(e => Math.round(e.getBoundingClientRect().top))"
        )
        report_top = round(box(phone, ".nav-report")["y"])
        assert tops.count(report_top) >= 2, "我要举报 is alone on its line"
        # No heading breaks one character per line.
        narrow = phone.eval_on_selector_all(
            "main h1, main h2, main h3",
            """els => els.filter(e => e.innerText.trim().length > 3).filter(e => {
                const size = parseFloat(getComputedStyle(e).fontSize);
                return e.getBoundingClientRect().width < 3 * size;
            }).map(e => e.innerText)""",
        )
        assert not narrow


def test_elder_search_opens_from_one_button_without_javascript(phone_without_js, demo):
    page = phone_without_js
    set_mode(page, demo, True)
    go(page, demo, "/")
    box_ = page.get_by_role("searchbox", name="搜索本站")
    assert not box_.is_visible()
    page.locator(".nav-search summary").click()
    box_.fill("养老")
    box_.press("Enter")
    page.wait_for_load_state()
    assert "/search/?q=" in page.url


def test_elder_mode_hides_tag_chips_and_the_embed_panel(phone, demo):
    set_mode(phone, demo, True)
    go(phone, demo, "/notices/")
    assert phone.locator(".card-tags").count() >= 1
    assert not phone.locator(".card-tags").first.is_visible()
    go(phone, demo, demo["case"])
    assert phone.locator(".share-panel").count() == 0


SPEECH_STUB = """
(() => {
  const mode = %r;
  window.__spoken = []; window.__cancelled = 0;
  window.SpeechSynthesisUtterance = function (text) { this.text = text; };
  const voices = mode === "none" ? [] : [{ lang: "zh-CN", name: "测试中文" }];
  const synth = {
    getVoices: () => voices,
    addEventListener: () => {},
    cancel: () => { window.__cancelled += 1; },
    speak: (u) => {
      window.__spoken.push(u.text);
      if (mode === "fail") { setTimeout(() => u.onerror && u.onerror({ error: "synthesis-failed" }), 10); }
      else { setTimeout(() => u.onstart && u.onstart(), 5); }
    },
  };
  Object.defineProperty(window, "speechSynthesis", { value: synth, configurable: true });
})();
"""


def test_read_aloud_reads_the_article_and_stops(phone, demo):
    phone.add_init_script(SPEECH_STUB % "ok")
    go(phone, demo, demo["notice"])
    start = phone.get_by_role("button", name="朗读全文")
    start.click()
    stop = phone.get_by_role("button", name="停止朗读")
    assert stop.is_visible() and not start.is_visible()
    spoken = "".join(phone.evaluate("window.__spoken"))
    title = phone.locator("h1").inner_text()
    assert title in spoken
    assert "幌子与行业" not in spoken and "重点人群" not in spoken  # the facts box is skipped
    stop.click()
    assert phone.evaluate("window.__cancelled") >= 2 and start.is_visible()


def test_read_aloud_says_when_the_phone_cannot_speak(phone, demo):
    phone.add_init_script(SPEECH_STUB % "fail")
    go(phone, demo, demo["after-paying"])
    phone.get_by_role("button", name="朗读全文").click()
    status = phone.get_by_role("status").filter(has_text="不能朗读")
    status.wait_for()
    assert phone.get_by_role("button", name="朗读全文").is_visible()


def test_read_aloud_stays_hidden_without_a_chinese_voice_or_javascript(
    phone, phone_without_js, demo
):
    phone.add_init_script(SPEECH_STUB % "none")
    go(phone, demo, demo["case"])
    phone.wait_for_timeout(3500)  # the script waits for voices to load, then gives up
    assert not phone.locator(".read-aloud-bar").is_visible()
    go(phone_without_js, demo, demo["case"])
    assert not phone_without_js.locator(".read-aloud-bar").is_visible()
    assert phone_without_js.locator("article .body p").count() >= 1


@MODES
def test_new_pages_have_no_accessibility_violations(phone, demo, elder):
    set_mode(phone, demo, elder)
    axe = Axe()
    problems = {}
    for name in ("after-paying", "verify", "privacy", "campaigns", "campaign", "notice", "case"):
        go(phone, demo, demo[name])
        if elder:
            phone.locator(".nav-search summary").click()  # the open search box too
        results = axe.run(phone, options=AXE_OPTIONS)
        if results.violations_count:
            problems[name] = results.generate_report()
        assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], name
    assert not problems, "\n\n".join(f"{k}:\n{v}" for k, v in problems.items())


def test_a_printed_page_is_black_on_white_without_navigation(phone, demo):
    go(phone, demo, demo["notice"])
    phone.emulate_media(media="print")
    assert not phone.locator(".site-header").is_visible()
    assert not phone.locator(".share-panel").is_visible()
    meta = phone.locator(".print-meta")
    assert meta.is_visible()
    assert demo["notice"] in meta.inner_text() and "最后更新" in meta.inner_text()
    colour = phone.evaluate("getComputedStyle(document.body).color")
    background = phone.evaluate("getComputedStyle(document.body).backgroundColor")
    assert colour == "rgb(0, 0, 0)" and background == "rgb(255, 255, 255)"
    assert phone.evaluate("getComputedStyle(document.querySelector('h1')).color") == "rgb(0, 0, 0)"


def test_elder_mode_screenshots(phone, demo):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    set_mode(phone, demo, True)
    for name, path in (("home", "/"), ("notice", demo["notice"]), ("guide", demo["after-paying"])):
        go(phone, demo, path)
        phone.screenshot(path=str(ARTIFACTS / f"{name}-elder-first-screen.png"))
        phone.screenshot(path=str(ARTIFACTS / f"{name}-elder.png"), full_page=True)
