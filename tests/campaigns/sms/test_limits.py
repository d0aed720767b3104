"""SMS-bombing defence: cooldown, per-number and per-IP limits, the day's total and its alert."""

import datetime

import pytest
from django.core import mail
from django.test import RequestFactory
from django.utils import timezone

from campaigns.models import StaffAlert, VerificationCode
from campaigns.sms import limits, subscriptions
from campaigns.sms.sending.backends import locmem
from tests.campaigns.sms import factories

pytestmark = pytest.mark.django_db

SUBSCRIBE = "/sms/subscribe/"


def ask(client, phone="13912345678", ip="10.0.0.1"):
    return client.post(SUBSCRIBE, {"phone": phone, "consent": "on"}, REMOTE_ADDR=ip)


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
    assert statuses.count(302) == 5 and statuses.count(429) == 995


def test_with_the_default_cooldown_a_burst_sends_one():
    choices = subscriptions.Choices(None, [], "consent", "http://testserver/sms/subscribe/")
    refusals = [
        subscriptions.request_code("+8613912345678", choices, rotating_ip(i)) for i in range(1000)
    ]
    assert len(locmem.outbox) == 1
    assert refusals[0] is None
    assert {r.kind for r in refusals[1:]} == {"cooldown"}


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


def test_ip_limit_per_hour(client):
    for i in range(10):
        assert ask(client, phone=f"139000000{i:02d}", ip="198.51.100.7").status_code == 302
    response = ask(client, phone="13900000099", ip="198.51.100.7")
    assert response.status_code == 429
    assert "这个网络一小时内获取验证码的次数太多了" in response.content.decode()
    assert len(locmem.outbox) == 10
    # A request refused for its IP spends nothing of the number's budget.
    assert ask(client, phone="13900000099", ip="198.51.100.8").status_code == 302


def test_ipv6_clients_count_per_64(client):
    for i in range(10):
        ask(client, phone=f"139000001{i:02d}", ip=f"2001:db8:1:2::{i + 1:x}")
    response = ask(client, phone="13900000299", ip="2001:db8:1:2:ffff::1")
    assert response.status_code == 429
    assert ask(client, phone="13900000299", ip="2001:db8:1:3::1").status_code == 302


def test_forwarded_for_is_ignored_unless_proxies_are_trusted(settings):
    rf = RequestFactory()
    request = rf.post("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 5.6.7.8")
    assert limits.client_ip(request) == "10.0.0.1"
    settings.SMS_TRUSTED_PROXY_COUNT = 1
    assert limits.client_ip(request) == "5.6.7.8"
    settings.SMS_TRUSTED_PROXY_COUNT = 2
    assert limits.client_ip(request) == "1.2.3.4"
    settings.SMS_TRUSTED_PROXY_COUNT = 3  # fewer entries than proxies: the socket's address
    assert limits.client_ip(request) == "10.0.0.1"
    junk = rf.post("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="\x00not-an-ip")
    settings.SMS_TRUSTED_PROXY_COUNT = 1
    assert limits.client_ip(junk) == ""


def test_global_daily_cap_refuses_and_alerts_staff_once(client, settings):
    settings.SMS_CODE_DAILY_TOTAL = 3
    reviewer = factories.staff("shenhe", "审核员")
    reviewer.email = "shenhe@example.cn"
    reviewer.save()
    editor = factories.staff("bianji", "编辑")  # not a reviewer: no mail
    editor.email = "bianji@example.cn"
    editor.save()
    for i in range(3):
        assert ask(client, phone=f"1390000030{i}", ip=f"10.3.0.{i}").status_code == 302
    assert StaffAlert.objects.count() == 1  # reached with the third code
    for i in range(5):
        response = ask(client, phone=f"1390000031{i}", ip=f"10.3.1.{i}")
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
