"""The admin sign-in is throttled by django-axes: per username and address, with a cool-off,
in Chinese."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.test import Client

from tests.factories import staff

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"
PASSWORD = "pw-123456789"
ATTACKER = "203.0.113.50"
OFFICE = "198.51.100.20"


def sign_in(client, username, password, ip, **extra):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip, **extra)


def signed_in(client):
    return "_auth_user_id" in client.session


@pytest.fixture
def editor():
    return staff("editor", "编辑")


def test_a_hundred_wrong_passwords_lock_the_right_one_out_from_that_address(editor):
    attacker = Client()
    for i in range(100):
        sign_in(attacker, "editor", f"wrong-{i}", ATTACKER)
    response = sign_in(attacker, "editor", PASSWORD, ATTACKER)
    assert response.status_code == 429
    assert not signed_in(attacker)


def test_the_real_editor_on_another_address_still_signs_in(editor):
    attacker = Client()
    for i in range(100):
        sign_in(attacker, "editor", f"wrong-{i}", ATTACKER)
    office = Client()
    response = sign_in(office, "editor", PASSWORD, OFFICE)
    assert response.status_code == 302
    assert signed_in(office)


def test_other_accounts_on_the_locked_address_still_sign_in(editor):
    staff("reviewer", "审核员")
    client = Client()
    for i in range(10):
        sign_in(client, "editor", f"wrong-{i}", ATTACKER)
    assert sign_in(client, "reviewer", PASSWORD, ATTACKER).status_code == 302


def test_the_lock_starts_at_the_fifth_failure(editor):
    client = Client()
    for i in range(4):
        response = sign_in(client, "editor", f"wrong-{i}", ATTACKER)
        assert response.status_code == 200  # the sign-in form again, with its error
    assert sign_in(client, "editor", "wrong-5", ATTACKER).status_code == 429


def test_the_lockout_page_is_chinese_and_looks_like_the_admin(editor):
    client = Client()
    for i in range(5):
        sign_in(client, "editor", f"wrong-{i}", ATTACKER)
    html = sign_in(client, "editor", PASSWORD, ATTACKER).content.decode()
    assert "登录已暂时锁定" in html
    assert "连续 5 次登录失败" in html and "15 分钟后再试" in html
    # Wagtail's own sign-in skeleton: its stylesheet, and the body class of its login page.
    assert '<body id="wagtail" class="login' in html
    assert "Account locked" not in html and "too many" not in html.lower()


def test_the_lock_ends_after_the_cool_off(editor):
    client = Client()
    for i in range(5):
        sign_in(client, "editor", f"wrong-{i}", ATTACKER)
    assert sign_in(client, "editor", PASSWORD, ATTACKER).status_code == 429
    # Sixteen minutes later (the cool-off is fifteen).
    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.get().attempt_time - datetime.timedelta(minutes=16)
    )
    assert sign_in(client, "editor", PASSWORD, ATTACKER).status_code == 302
    assert signed_in(client)


def test_behind_a_proxy_the_lock_keys_on_the_forwarded_address(editor, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.1"
    client = Client()
    for i in range(5):
        sign_in(client, "editor", f"wrong-{i}", proxy, HTTP_X_FORWARDED_FOR=ATTACKER)
    locked = sign_in(client, "editor", PASSWORD, proxy, HTTP_X_FORWARDED_FOR=ATTACKER)
    assert locked.status_code == 429
    office = Client()
    assert (
        sign_in(office, "editor", PASSWORD, proxy, HTTP_X_FORWARDED_FOR=OFFICE).status_code == 302
    )


def test_a_success_clears_the_earlier_failures(editor):
    client = Client()
    for i in range(4):
        sign_in(client, "editor", f"wrong-{i}", OFFICE)
    assert sign_in(client, "editor", PASSWORD, OFFICE).status_code == 302
    client = Client()
    for i in range(4):
        assert sign_in(client, "editor", f"again-{i}", OFFICE).status_code == 200
