"""Taking the quiz in headless Chromium on a 360-px phone: with JavaScript, in elder mode
and without JavaScript; axe-core finds no violations on quiz pages and the result."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command

from quiz.models import Attempt
from tests.browser.axe import AXE_OPTIONS
from tests.browser.conftest import SCREENSHOTS

ARTIFACTS = SCREENSHOTS.parent / "quizteach"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def demo(live_server):
    call_command("load_demo", stdout=open("/dev/null", "w"))
    return live_server


def check_page(page, name, problems, screenshot=None):
    if not page.context_has_js:
        return  # axe and layout checks run scripts in the page; the JS tests cover them
    results = Axe().run(page, options=AXE_OPTIONS)
    if results.violations_count:
        problems[name] = results.generate_report()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"{name} is {width}px wide on a 360px phone"
    if screenshot:
        screenshot(page, name)


def take_quiz(page, base_url, problems, label, screenshot=None, profile=True, js=True):
    """Start the demo quiz, answer every question with its first choice; return the count."""
    page.context_has_js = js
    response = page.goto(base_url + "/quiz/")
    assert response.status == 200
    check_page(page, f"quiz-start-{label}", problems, screenshot)
    if profile:
        page.get_by_label("您的身份").select_option("elderly")
        page.get_by_label("您所在的地区").select_option("430922100")
    page.get_by_role("button", name="开始答题").click()
    page.wait_for_load_state()
    answered = 0
    while "/result/" not in page.url:
        assert page.locator("input[name=choice]").count() >= 2
        if answered == 0:
            check_page(page, f"quiz-question-{label}", problems, screenshot)
        page.locator(".quiz-choices label").first.click()
        page.locator("form.quiz-question button[type=submit]").click()
        page.wait_for_load_state()
        if page.locator(".quiz-lesson").count():  # the answer's response explains it
            if answered == 0:
                check_page(page, f"quiz-explain-{label}", problems, screenshot)
                if screenshot and label == "elder":
                    ARTIFACTS.mkdir(parents=True, exist_ok=True)
                    page.screenshot(path=str(ARTIFACTS / "quiz-explain-elder.png"), full_page=True)
            page.locator("a.quiz-next").click()
            page.wait_for_load_state()
        answered += 1
        assert answered <= 50
    assert page.get_by_role("heading", name="测试结果").is_visible()
    check_page(page, f"quiz-result-{label}", problems, screenshot)
    return answered


def test_take_a_quiz_on_a_phone(phone, demo, screenshot):
    problems = {}
    answered = take_quiz(phone, demo.url, problems, "standard", screenshot)
    assert answered == 10
    assert "逐题讲解" in phone.content()
    attempt = Attempt.objects.filter(completed_at__isnull=False, audience__slug="elderly").latest(
        "completed_at"
    )
    assert attempt.region.code == "430922100"
    image = phone.request.get(phone.url.replace("/result/", "/image/"))
    assert image.status == 200 and image.headers["content-type"] == "image/png"
    phone.goto(demo.url + "/quiz/leaderboard/")
    phone.context_has_js = True
    check_page(phone, "quiz-leaderboard", problems, screenshot)
    assert not problems, "\n\n".join(f"{k}:\n{v}" for k, v in problems.items())


def test_read_aloud_appears_only_where_the_browser_can_speak(phone, demo):
    phone.goto(demo.url + "/quiz/")
    phone.get_by_role("button", name="开始答题").click()
    phone.wait_for_load_state()
    # Shown only with a Chinese voice; the script waits up to 3 s for voices to load.
    phone.wait_for_timeout(3500)
    can_speak = phone.evaluate(
        "'speechSynthesis' in window && speechSynthesis.getVoices()"
        ".some(v => /^(zh|cmn)/i.test(v.lang))"
    )
    button = phone.get_by_role("button", name="朗读题目")
    assert button.is_visible() == can_speak
    if can_speak:
        button.click()  # must not break the page
        assert phone.locator(".quiz-choices label").count() >= 2


def test_take_a_quiz_in_elder_mode(phone, demo, screenshot):
    phone.context.add_cookies([{"name": "elder", "value": "1", "url": demo.url}])
    problems = {}
    take_quiz(phone, demo.url, problems, "elder", screenshot, profile=False)
    assert "elder" in (phone.get_attribute("html", "class") or "")
    size = phone.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert size >= 22
    # The result is short: each question folds into one line, the share card is inline.
    height = phone.evaluate("document.documentElement.scrollHeight")
    assert height <= 8 * 740, f"the elder-mode result is {height}px long"
    card = phone.locator(".quiz-share-figure img")
    assert (
        card.is_visible()
        and phone.evaluate("document.querySelector('.quiz-share-figure img').naturalWidth") == 1200
    )
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    phone.screenshot(path=str(ARTIFACTS / "quiz-result-elder.png"), full_page=True)
    phone.screenshot(path=str(ARTIFACTS / "quiz-result-elder-first-screen.png"))
    phone.locator(".quiz-review details").first.locator("summary").click()
    phone.screenshot(path=str(ARTIFACTS / "quiz-result-elder-one-open.png"), full_page=True)
    assert not problems, "\n\n".join(f"{k}:\n{v}" for k, v in problems.items())


def test_take_a_quiz_without_javascript(phone_without_js, demo):
    page = phone_without_js
    problems = {}
    answered = take_quiz(page, demo.url, problems, "nojs", js=False)
    assert answered == 10
    # The read-aloud button needs JavaScript: without it, it stays hidden.
    assert page.locator("button.read-aloud").first.is_hidden()
    # The profile after the quiz is a plain form too.
    assert Attempt.objects.filter(completed_at__isnull=False).exists()
