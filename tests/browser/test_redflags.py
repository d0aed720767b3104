"""The red-flag checker on a 360-px phone: a plain form post without JavaScript, axe in both
display modes, the read-aloud controls only where a Chinese voice exists. Screenshots go to
test-artifacts/redflags/."""

from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.axe import AXE_OPTIONS

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "redflags"
PITCH = (
    "【鑫源养老】叔叔阿姨好！預訂養老床位一次交6万元，每年返还12%的服务补贴，"
    "保 本 保 息，到期全额退还本金。推荐一位老朋友再奖励一千元，名额只剩最后五个！"
)
# A Chinese voice for a browser that has none (headless Chromium has no voices at all).
FAKE_VOICE = """
(() => {
  const voice = {lang: "zh-CN", name: "测试", default: true, localService: true, voiceURI: "t"};
  window.__spoken = [];
  Object.defineProperty(window.speechSynthesis, "getVoices", {value: () => [voice]});
  Object.defineProperty(window.speechSynthesis, "speak", {value: (u) => window.__spoken.push(u.text)});
  Object.defineProperty(window.speechSynthesis, "cancel", {value: () => {}});
})();
"""


def shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def no_violations(page, name):
    results = Axe().run(page, options=AXE_OPTIONS)
    assert not results.violations_count, f"{name}:\n{results.generate_report()}"
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"{name} is {width}px wide on a 360px phone"


@pytest.mark.parametrize("elder", [False, True], ids=["standard", "elder"])
def test_check_a_pitch_without_javascript(phone_without_js, live_server, elder):
    page = phone_without_js
    mode = "elder" if elder else "standard"
    if elder:
        page.context.add_cookies([{"name": "elder", "value": "1", "url": live_server.url}])
    page.goto(live_server.url + "/check/")
    shot(page, f"check-{mode}")

    page.get_by_role("button", name="开始检查").click()  # nothing pasted: a clear message
    page.wait_for_load_state()
    assert "请先粘贴要检查的文字" in page.get_by_role("alert").inner_text()

    page.get_by_label("把可疑的宣传、广告或聊天内容粘贴到这里").fill(PITCH)
    page.get_by_role("button", name="开始检查").click()
    page.wait_for_load_state()
    marks = page.locator("mark").all_inner_texts()
    assert "保 本 保 息" in marks and "預訂養老床位" in marks
    assert "没发现风险信号不等于安全" in page.content()
    assert page.locator(".rf-read-controls").is_hidden()  # read-aloud needs JavaScript
    shot(page, f"check-result-{mode}")


@pytest.mark.parametrize("elder", [False, True], ids=["standard", "elder"])
def test_the_checker_has_no_accessibility_violations(phone, live_server, elder):
    if elder:
        phone.context.add_cookies([{"name": "elder", "value": "1", "url": live_server.url}])
    phone.goto(live_server.url + "/check/")
    no_violations(phone, "form")
    phone.get_by_role("button", name="开始检查").click()
    phone.wait_for_load_state()
    no_violations(phone, "form with an error")
    phone.get_by_label("把可疑的宣传、广告或聊天内容粘贴到这里").fill(PITCH)
    phone.get_by_role("button", name="开始检查").click()
    phone.wait_for_load_state()
    no_violations(phone, "result")


def test_read_aloud_shows_only_with_a_chinese_voice_and_can_stop(phone, live_server):
    phone.goto(live_server.url + "/check/")
    phone.get_by_label("把可疑的宣传、广告或聊天内容粘贴到这里").fill(PITCH)
    phone.get_by_role("button", name="开始检查").click()
    phone.wait_for_load_state()
    if not phone.evaluate("(speechSynthesis.getVoices() || []).some(v => /^zh/i.test(v.lang))"):
        assert phone.locator(".rf-read-controls").is_hidden()

    phone.add_init_script(FAKE_VOICE)
    phone.reload()  # the browser asks to resend the form: reload posts it again
    phone.wait_for_load_state()
    read = phone.get_by_role("button", name="朗读结果")
    read.wait_for(state="visible")
    read.click()
    spoken = phone.evaluate("window.__spoken")
    assert spoken and "风险信号" in spoken[0]
    stop = phone.get_by_role("button", name="停止朗读")
    assert stop.is_visible()
    stop.click()
    assert read.is_visible()
