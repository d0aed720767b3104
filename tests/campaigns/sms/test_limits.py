"""SMS-bombing defence: cooldown, per-number, per-session and per-address limits, the human
check under pressure, the paced day's total and the staff alerts."""

import datetime
import re

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from campaigns.models import StaffAlert, VerificationCode
from campaigns.sms import challenge, limits, subscriptions
from campaigns.sms.sending.backends import locmem
from tests.campaigns.sms import factories

pytestmark = pytest.mark.django_db

SUBSCRIBE = "/sms/subscribe/"


def ask(client, phone="13912345678", ip="10.0.0.1", **extra):
    return client.post(SUBSCRIBE, {"phone": phone, "consent": "on", **extra}, REMOTE_ADDR=ip)


def ask_as_new_person(phone, ip="10.0.0.1"):
    """A request from a browser of its own (its own session), as each person's phone is."""
    return ask(Client(), phone=phone, ip=ip)


def staff_with_email(username, group="审核员"):
    user = factories.staff(username, group)
    user.email = f"{username}@example.cn"
    user.save()
    return user


@pytest.fixture
def midday(monkeypatch):
    """Run at 12:00 Shanghai time: the paced day's budget grows through the day, so just after
    midnight even a real person waits, which is right, but not what these tests are about."""
    real_now = timezone.now
    noon = timezone.localtime(real_now()).replace(hour=12, minute=0, second=0, microsecond=0)
    start = real_now()
    monkeypatch.setattr(timezone, "now", lambda: noon + (real_now() - start))
    return noon


def rotating_ip(i):
    return f"10.{i // 65536 % 256}.{i // 256 % 256}.{i % 256}"


def test_a_thousand_requests_for_one_number_from_rotating_ips_send_at_most_five(client, settings):
    """Reliability target: 1,000 code requests for one number give ≤ 5 messages that day.

    The cooldown is off here, so the daily cap alone must hold the line.
    """
    settings.SMS_CODE_COOLDOWN_SECONDS = 0
    statuses = [ask(client, ip=rotating_ip(i)).status_code for i in range(1000)]
    assert len(locmem.outbox) <= 5
    assert len(locmem.outbox) == 5
    assert VerificationCode.objects.count() == 5
    # The rest are refused, or asked the human check once the site is under pressure.
    assert statuses.count(302) == 5 and statuses.count(429) + statuses.count(200) == 995


def test_with_the_default_cooldown_a_burst_sends_one():
    choices = subscriptions.Choices(None, [], "consent", "http://testserver/sms/subscribe/")
    refusals = [
        subscriptions.request_code("+8613912345678", choices, rotating_ip(i)) for i in range(1000)
    ]
    assert len(locmem.outbox) == 1
    assert refusals[0] is None
    assert refusals[1].kind == "cooldown"
    # Once the burst has put the site under pressure, the human check comes first.
    assert {r.kind for r in refusals[1:]} <= {"cooldown", "challenge"}


def test_cooldown_refuses_and_says_how_long(client):
    now = timezone.now()
    assert limits.check_code_request("+8613912345678", "10.0.0.1", now) is None
    refusal = limits.check_code_request("+8613912345678", "10.0.0.2", now)
    assert refusal.kind == "cooldown"
    assert (
        refusal.message.startswith("验证码刚刚发过，请 ") and "秒后再获取验证码" in refusal.message
    )
    assert 1 <= refusal.retry_after <= 60
    # Another number is not affected.
    assert limits.check_code_request("+8613912345679", "10.0.0.1", now) is None


def test_daily_cap_per_number(settings):
    settings.SMS_CODE_COOLDOWN_SECONDS = 0
    now = timezone.now()
    for i in range(5):
        assert limits.check_code_request("+8613912345678", f"10.0.1.{i}", now) is None
    refusal = limits.check_code_request("+8613912345678", "10.0.1.9", now)
    assert refusal.kind == "number_daily"
    assert "今天获取验证码的次数已达上限（5 次）" in refusal.message
    # The next day starts afresh.
    tomorrow = now + datetime.timedelta(days=1)
    assert limits.check_code_request("+8613912345678", "10.0.1.9", tomorrow) is None


def test_ip_limit_per_hour(settings):
    settings.SMS_CODE_HOURLY_PER_IP = 10
    for i in range(10):
        assert ask_as_new_person(f"139000000{i:02d}", ip="198.51.100.7").status_code == 302
    response = ask_as_new_person("13900000099", ip="198.51.100.7")
    assert response.status_code == 429
    assert "这个网络一小时内获取验证码的次数太多了" in response.content.decode()
    assert len(locmem.outbox) == 10
    # A request refused for its IP spends nothing of the number's budget.
    assert ask_as_new_person("13900000099", ip="198.51.100.8").status_code == 302


def test_ipv6_clients_count_per_64(settings):
    settings.SMS_CODE_HOURLY_PER_IP = 10
    for i in range(10):
        ask_as_new_person(f"139000001{i:02d}", ip=f"2001:db8:1:2::{i + 1:x}")
    response = ask_as_new_person("13900000299", ip="2001:db8:1:2:ffff::1")
    assert response.status_code == 429
    assert ask_as_new_person("13900000299", ip="2001:db8:1:3::1").status_code == 302


def test_global_daily_cap_refuses_and_alerts_staff_once(settings):
    settings.SMS_CODE_DAILY_TOTAL = 3
    staff_with_email("shenhe")
    staff_with_email("bianji", "编辑")  # not a reviewer: no mail
    for i in range(3):
        assert ask_as_new_person(f"1390000030{i}", ip=f"10.3.0.{i}").status_code == 302
    assert StaffAlert.objects.count() == 1  # reached with the third code
    for i in range(5):
        response = ask_as_new_person(f"1390000031{i}", ip=f"10.3.1.{i}")
        assert response.status_code == 429
        assert "今天的验证码发送量已达上限" in response.content.decode()
    assert len(locmem.outbox) == 3
    alert = StaffAlert.objects.get()
    assert alert.kind == limits.ALERT_KIND and "3" in alert.message
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["shenhe@example.cn"]


def test_cap_alert_is_not_repeated_after_a_cache_flush(settings):
    from django.core.cache import cache

    now = timezone.now()
    assert limits.alert_daily_cap_reached(now, 10) is not None
    cache.clear()
    assert limits.alert_daily_cap_reached(now, 10) is None
    assert StaffAlert.objects.count() == 1


def test_limits_apply_to_known_numbers_exactly_as_to_unknown_ones(client):
    factories.subscriber(phone="+8613911112222")
    assert ask(client, phone="13911112222").status_code == 302
    assert ask(client, phone="13933334444").status_code == 302
    known = ask(client, phone="13911112222", ip="10.0.0.5")
    unknown = ask(client, phone="13933334444", ip="10.0.0.5")
    assert known.status_code == unknown.status_code == 429


# -- a class on one network, one flooding client ------------------------------------------------
def solve(response):
    """Answer the human check as a person would: read the sum on the page and work it out."""
    numbers = {challenge.chinese_number(n): n for n in range(100)}
    match = re.search(
        r"([一二三四五六七八九十零]+)(加|减)([一二三四五六七八九十零]+)等于几",
        response.content.decode(),
    )
    assert match, "no human check on the page"
    a, op, b = numbers[match[1]], match[2], numbers[match[3]]
    return str(a + b if op == "加" else a - b)


def put_site_under_pressure(settings):
    settings.SMS_CODE_CHALLENGE_SITE = (1, 600)
    assert ask_as_new_person("13700000001", ip="10.7.7.7").status_code == 302


def test_sixty_sign_ups_from_one_address_within_ten_minutes_are_all_served():
    """A village meeting on one carrier address: 60 people, 60 numbers, 60 phones."""
    responses = [ask_as_new_person(f"139100000{i:02d}", ip="100.64.0.1") for i in range(60)]
    assert [r.status_code for r in responses] == [302] * 60
    assert len(locmem.outbox) == 60


def test_one_browser_asking_for_many_numbers_is_refused_while_its_network_is_not(client):
    statuses = [
        ask(client, phone=f"139200000{i:02d}", ip="100.64.0.2").status_code for i in range(8)
    ]
    assert statuses[:6] == [302] * 6  # the first request had no session yet, then five
    refused = ask(client, phone="13920000099", ip="100.64.0.2")
    assert refused.status_code == 429
    assert "这个浏览器一小时内获取验证码的次数太多了" in refused.content.decode()
    assert ask_as_new_person("13920000099", ip="100.64.0.2").status_code == 302


def test_a_cookieless_flood_from_one_address_meets_the_human_check_and_sends_no_more():
    choices = subscriptions.Choices(None, [], "consent", "http://testserver/sms/subscribe/")
    refusals = [
        subscriptions.request_code(f"+86139300{i:05d}", choices, "100.64.0.3") for i in range(300)
    ]
    assert len(locmem.outbox) == 100  # SMS_CODE_CHALLENGE_PER_IP
    assert {r.kind for r in refusals[100:]} == {"challenge"}


def test_two_thousand_requests_from_two_hundred_addresses_do_not_shut_out_a_real_person(midday):
    """The flood is met by the human check, so the day's budget is left for people."""
    choices = subscriptions.Choices(None, [], "consent", "http://testserver/sms/subscribe/")
    for i in range(2000):
        subscriptions.request_code(f"+86139400{i:05d}", choices, rotating_ip(i % 200))
    flood = len(locmem.outbox)
    assert flood <= 120  # SMS_CODE_CHALLENGE_SITE: the rest were asked the human check
    person = Client()
    asked = ask(person, phone="13812345678", ip="10.200.0.1")
    assert asked.status_code == 200 and "请先回答下面的问题" in asked.content.decode()
    answered = ask(person, phone="13812345678", ip="10.200.0.1", human_answer=solve(asked))
    assert answered.status_code == 302
    assert len(locmem.outbox) == flood + 1 and locmem.outbox[-1].to == "+8613812345678"
    assert StaffAlert.objects.filter(kind=limits.PRESSURE_ALERT_KIND).count() == 1


def test_the_days_budget_refills_steadily_so_a_flood_slows_sign_ups_instead_of_stopping_them(
    settings,
):
    settings.SMS_CODE_DAILY_TOTAL = 240  # ten an hour
    settings.SMS_CODE_BURST = 5
    nine = timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0)
    allowance = limits.paced_allowance(nine, 240)
    assert allowance == 5 + 90
    for i in range(allowance):
        assert (
            limits.check_code_request(f"+86139500{i:05d}", rotating_ip(i), nine, human=True) is None
        )
    slowed = limits.check_code_request("+8613950099999", "10.250.0.1", nine, human=True)
    assert slowed.kind == "busy" and "现在获取验证码的人很多" in slowed.message
    assert 0 < slowed.retry_after <= 360  # one code every six minutes, not at midnight
    # Meanwhile everyone is asked the human check, and staff are told.
    asked = limits.check_code_request("+8613950088888", "10.250.0.2", nine)
    assert asked.kind == "challenge"
    assert StaffAlert.objects.filter(kind=limits.PRESSURE_ALERT_KIND).exists()
    later = nine + datetime.timedelta(seconds=slowed.retry_after)
    assert limits.check_code_request("+8613950099999", "10.250.0.1", later, human=True) is None


def test_nobody_meets_the_human_check_while_nothing_is_under_pressure(client):
    page = client.get(SUBSCRIBE)
    assert "等于几" not in page.content.decode()
    response = ask(client, phone="13960000001")
    assert response.status_code == 302


def test_a_wrong_answer_to_the_human_check_sends_nothing_and_asks_again(client, settings):
    put_site_under_pressure(settings)
    sent = len(locmem.outbox)
    asked = ask(client, phone="13960000002")
    assert asked.status_code == 200
    body = asked.content.decode()
    assert "<script" not in body and 'name="human_answer"' in body
    right = solve(asked)
    wrong = ask(client, phone="13960000002", human_answer=str(int(right) + 1))
    assert wrong.status_code == 400 and "答案不对" in wrong.content.decode()
    assert len(locmem.outbox) == sent
    passed = ask(client, phone="13960000002", human_answer=solve(wrong))
    assert passed.status_code == 302 and len(locmem.outbox) == sent + 1


def test_the_human_check_accepts_chinese_numerals_and_full_width_digits(client, settings):
    put_site_under_pressure(settings)
    asked = ask(client, phone="13960000003")
    answer = int(solve(asked))
    typed = challenge.chinese_number(answer)
    assert ask(client, phone="13960000003", human_answer=typed).status_code == 302
    other = Client()
    asked = ask(other, phone="13960000004")
    full_width = solve(asked).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    assert ask(other, phone="13960000004", human_answer=full_width).status_code == 302


def test_a_client_that_keeps_no_cookies_can_never_pass_the_human_check(settings):
    put_site_under_pressure(settings)
    sent = len(locmem.outbox)
    for guess in range(19):
        response = ask(Client(), phone="13960000005", human_answer=str(guess))
        assert response.status_code in (200, 400)
    assert len(locmem.outbox) == sent


# -- telling staff ------------------------------------------------------------------------------
def test_alerts_never_email_or_fail_when_email_is_not_configured(settings, monkeypatch):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "localhost"
    staff_with_email("shenhe2")

    def refuse(*args, **kwargs):
        raise AssertionError("no mail server is configured")

    monkeypatch.setattr(limits, "send_mail", refuse)
    alert = limits.alert_daily_cap_reached(timezone.now(), 10)
    assert alert is not None and StaffAlert.objects.count() == 1


def test_a_broken_mail_server_does_not_break_a_sign_up(settings, monkeypatch):
    settings.SMS_CODE_DAILY_TOTAL = 1
    staff_with_email("shenhe3")

    def broken(*args, **kwargs):
        raise OSError("connection refused")

    monkeypatch.setattr(limits, "send_mail", broken)
    assert ask_as_new_person("13970000001").status_code == 302
    assert StaffAlert.objects.filter(kind=limits.ALERT_KIND).exists()


def test_alerts_go_by_sms_to_the_configured_staff_numbers(settings):
    settings.STAFF_ALERT_PHONES = ["13800001111", "not a number"]
    limits.alert_pressure(timezone.now())
    assert [m.to for m in locmem.outbox] == ["+8613800001111"]
    assert "短信验证码请求异常增多" in locmem.outbox[0].text
