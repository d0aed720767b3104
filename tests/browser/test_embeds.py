"""A partner's page on another origin embeds our notices widget and our quiz: the frames
render, embed.js sizes them from postMessage, and a whole quiz attempt completes inside the
frame in a browser that blocks third-party cookies. Our other pages refuse to be framed."""

import functools
import http.server
import threading
import time

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command

from quiz.models import Attempt, QuizPage
from tests.browser.axe import AXE_OPTIONS
from tests.browser.conftest import PHONE, launch

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

FIXED = 150  # the snippet's fixed height; embed.js should replace it with the content's

PARTNER_PAGE = """<!DOCTYPE html>
<html lang="zh-Hans"><head><meta charset="utf-8"><title>某县融媒体中心</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="margin:0;font-family:sans-serif">
<h1>本地新闻</h1>
<iframe id="notices" src="{ours}/embed/notices/?count=3" title="风险提示" width="100%" height="{fixed}" style="border:0" data-fangfei-embed></iframe>
<p style="height:400px">正文……</p>
<iframe id="quiz" src="{ours}/embed/quiz/{quiz_id}/" title="测一测" width="100%" height="{fixed}" style="border:0" data-fangfei-embed></iframe>
<iframe id="forbidden" src="{ours}/notices/" title="不该被嵌入的页面" width="100%" height="{fixed}"></iframe>
<script async src="{ours}/static/embeds/embed.js"></script>
</body></html>
"""


@pytest.fixture
def demo(live_server):
    call_command("load_demo", stdout=open("/dev/null", "w"))
    return live_server


@pytest.fixture
def partner(demo, tmp_path):
    """Serve the partner's page from 127.0.0.1 while our site is on localhost: another
    origin and another site, so our frames are third-party there."""
    quiz_id = QuizPage.objects.live().first().pk
    (tmp_path / "index.html").write_text(
        PARTNER_PAGE.format(ours=demo.url, quiz_id=quiz_id, fixed=FIXED), encoding="utf-8"
    )
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    assert "localhost" in demo.url
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


@pytest.fixture
def cookie_blocking_browser(playwright):
    """Chromium with third-party cookies blocked, as more and more browsers ship."""
    blocking = launch(playwright, "--test-third-party-cookie-phaseout")
    yield blocking
    blocking.close()


def frame_height(page, selector):
    return page.eval_on_selector(selector, "e => e.getBoundingClientRect().height")


def content_height(page, selector):
    return (
        page.frame_locator(selector)
        .locator("html")
        .evaluate("e => Math.ceil(e.getBoundingClientRect().height)")
    )


def wait_for_fit(page, selector, timeout=10):
    """Wait until embed.js has sized the iframe to its content; return the height."""
    deadline = time.monotonic() + timeout
    while True:
        height = frame_height(page, selector)
        styled = page.eval_on_selector(selector, "e => e.style.height")
        if styled and abs(height - content_height(page, selector)) <= 2:
            return height
        assert time.monotonic() < deadline, (
            f"{selector}: {height}px, content {content_height(page, selector)}px"
        )
        page.wait_for_timeout(100)


def test_a_partner_page_embeds_notices_and_a_quiz_that_can_be_taken(
    cookie_blocking_browser, partner, demo, screenshot
):
    finished_before = Attempt.objects.filter(completed_at__isnull=False).count()
    context = cookie_blocking_browser.new_context(viewport=PHONE, locale="zh-CN")
    page = context.new_page()
    page.goto(partner)

    notices = page.frame_locator("#notices")
    assert notices.locator(".w-item").count() == 3
    height = wait_for_fit(page, "#notices")
    assert height > FIXED

    # A message from anyone but our frame (here the partner's own page) changes nothing.
    page.evaluate("window.postMessage({type: 'fangfei:height', height: 5}, '*')")
    page.wait_for_timeout(200)
    assert frame_height(page, "#notices") == height

    # Our ordinary pages refuse to be framed (CSP frame-ancestors 'none').
    forbidden = page.frame_locator("#forbidden")
    assert forbidden.locator(".site-header").count() == 0

    # The frame's own Frame object lives across its navigations: each step waits for the
    # next page instead of reading the one being left. Answered with the keyboard, as many older readers do: the frames above may still
    # change height while fonts and images arrive, and a mouse click aimed at a moving
    # target lands beside it.
    quiz = page.locator("#quiz").element_handle().content_frame()
    with quiz.expect_navigation():
        quiz.get_by_role("button", name="开始答题").focus()
        page.keyboard.press("Enter")
    answered = 0
    while "/result/" not in quiz.url:
        height = wait_for_fit(page, "#quiz")
        if answered == 0:
            first_question_height = height
        quiz.locator("input[name=choice]").first.focus()
        page.keyboard.press("Space")
        assert quiz.locator("input[name=choice]").first.is_checked()
        with quiz.expect_navigation():
            quiz.locator("form.quiz-question button[type=submit]").focus()
            page.keyboard.press("Enter")
        if quiz.locator(".quiz-lesson").count():  # the answer's response explains it
            with quiz.expect_navigation():
                quiz.locator("a.quiz-next").focus()
                page.keyboard.press("Enter")
        answered += 1
        assert answered <= 50
    assert answered == 10
    assert "逐题讲解" in quiz.locator("main").inner_text()
    # The long result page: the frame grew with it.
    assert wait_for_fit(page, "#quiz") > first_question_height
    screenshot(page, "embed-partner-page")

    assert Attempt.objects.filter(completed_at__isnull=False).count() == finished_before + 1
    assert context.cookies() == []
    context.close()


def test_without_javascript_the_frames_keep_their_fixed_height_and_still_work(browser, partner):
    context = browser.new_context(viewport=PHONE, java_script_enabled=False, locale="zh-CN")
    page = context.new_page()
    page.goto(partner)
    assert page.frame_locator("#notices").locator(".w-item").count() == 3
    assert frame_height(page, "#notices") == FIXED
    quiz = page.locator("#quiz").element_handle().content_frame()
    with quiz.expect_navigation():
        quiz.get_by_role("button", name="开始答题").click()
    assert quiz.locator(".quiz-choices label").count() >= 2
    context.close()


@pytest.mark.parametrize("query", ["", "?size=large", "?theme=dark", "?theme=dark&size=large"])
def test_widgets_pass_axe_and_fit_a_phone(phone, demo, query, screenshot):
    from website.pages.models import RiskNoticePage

    notice = RiskNoticePage.objects.live().first()
    quiz = QuizPage.objects.live().first()
    problems = {}
    for name, path in [
        ("notices", "/embed/notices/"),
        ("card", f"/embed/page/{notice.pk}/"),
        ("kiosk", "/embed/kiosk/"),
        ("quiz", f"/embed/quiz/{quiz.pk}/"),
    ]:
        response = phone.goto(demo.url + path + query)
        assert response.status == 200
        options = AXE_OPTIONS
        if name == "kiosk":
            # Turning by itself is what a branch screen is for; the page offers a pause
            # link (WCAG 2.2.1), which axe's meta-refresh rule cannot see.
            options = {**AXE_OPTIONS, "rules": {"meta-refresh": {"enabled": False}}}
        results = Axe().run(phone, options=options)
        if results.violations_count:
            problems[name + query] = results.generate_report()
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{name}{query} is {width}px wide"
        if not query:
            screenshot(phone, f"embed-{name}")
    assert not problems, "\n\n".join(f"{k}:\n{v}" for k, v in problems.items())
