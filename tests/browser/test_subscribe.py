"""SMS sign-up on a phone without JavaScript, read the code from the in-memory gateway,
confirm; axe finds nothing on the sign-up and verify pages (with and without errors)."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe

from campaigns.models import Subscriber
from campaigns.sms.sending.backends import locmem
from tests.browser.axe import AXE_OPTIONS

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def no_violations(page, name):
    results = Axe().run(page, options=AXE_OPTIONS)
    assert not results.violations_count, f"{name}:\n{results.generate_report()}"
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"{name} is {width}px wide on a 360px phone"


def test_sign_up_without_javascript_on_a_phone(phone_without_js, live_server, screenshot):
    page = phone_without_js
    page.goto(live_server.url + "/sms/subscribe/")
    screenshot(page, "sms-subscribe")

    # A mistake first: a fixed line is refused with a message tied to the field.
    page.get_by_label("手机号码").fill("010-12345678")
    page.get_by_role("button", name="获取验证码").click()
    page.wait_for_load_state()
    assert page.get_by_role("alert").is_visible()
    assert "这是固定电话号码" in page.locator("#id_phone_error").inner_text()
    screenshot(page, "sms-subscribe-error")

    page.get_by_label("手机号码").fill("139 1234 5678")
    page.get_by_label("所在地区（可不选）").select_option(label="\u3000\u3000桃江县")
    page.get_by_label("老年人").check()
    page.get_by_label(re.compile("我同意接收")).check()
    page.get_by_role("button", name="获取验证码").click()
    page.wait_for_load_state()
    assert page.url == live_server.url + "/sms/subscribe/verify/"
    assert "验证码已发送（如号码有效）" in page.content()
    screenshot(page, "sms-verify")

    (message,) = locmem.outbox
    code = re.search(r"\d{6}", message.text).group()
    page.get_by_label("短信验证码").fill(code)
    page.get_by_role("button", name="确认订阅").click()
    page.wait_for_load_state()
    assert page.url == live_server.url + "/sms/subscribe/done/"
    assert page.get_by_role("heading", level=1).inner_text() == "订阅成功"
    person = Subscriber.objects.get(phone="+8613912345678")
    assert person.status == Subscriber.Status.ACTIVE and person.region.name == "桃江县"


@pytest.mark.parametrize("elder", [False, True], ids=["standard", "elder"])
def test_sign_up_pages_have_no_accessibility_violations(phone, live_server, elder):
    if elder:
        phone.context.add_cookies([{"name": "elder", "value": "1", "url": live_server.url}])
    phone.goto(live_server.url + "/sms/subscribe/")
    no_violations(phone, "subscribe")

    phone.get_by_role("button", name="获取验证码").click()  # nothing filled in: errors
    phone.wait_for_load_state()
    assert phone.get_by_role("alert").count() == 1
    no_violations(phone, "subscribe with errors")

    phone.get_by_label("手机号码").fill("13912345679")
    phone.get_by_label(re.compile("我同意接收")).check()
    phone.get_by_role("button", name="获取验证码").click()
    phone.wait_for_load_state()
    no_violations(phone, "verify")

    phone.get_by_label("短信验证码").fill("12")
    phone.get_by_role("button", name="确认订阅").click()
    phone.wait_for_load_state()
    no_violations(phone, "verify with errors")

    token = Subscriber.objects.create(phone="+8613912345670", status="active").unsubscribe_token
    phone.goto(f"{live_server.url}/u/{token}")
    no_violations(phone, "unsubscribe")
