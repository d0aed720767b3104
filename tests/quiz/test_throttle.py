"""Per-client throttling: too many submissions from one address or for one attempt get a
clear 429 page, and other clients are not affected."""

import pytest
from django.test import Client, override_settings

from quiz.models import Answer, Attempt

from .helpers import choice_ids, start

pytestmark = pytest.mark.django_db


@override_settings(QUIZ_THROTTLE_RATES={"start": (2, 600)})
def test_starting_too_many_attempts_from_one_address_is_refused(client, fixed_quiz):
    start(client, fixed_quiz)
    start(client, fixed_quiz)
    response = client.post(fixed_quiz.url, {})
    assert response.status_code == 429
    assert "操作太频繁" in response.content.decode()
    assert int(response["Retry-After"]) > 0
    assert Attempt.objects.count() == 2
    other = Client(REMOTE_ADDR="10.0.0.2")
    assert other.post(fixed_quiz.url, {}).status_code == 302


@override_settings(QUIZ_THROTTLE_RATES={"token": (3, 60)})
def test_hammering_one_attempt_is_refused_from_any_address(fixed_quiz):
    first = Client(REMOTE_ADDR="10.0.0.1")
    location = start(first, fixed_quiz)
    for n in range(3):
        assert Client(REMOTE_ADDR=f"10.0.1.{n}").post(location, {"choice": "x"}).status_code == 400
    response = Client(REMOTE_ADDR="10.0.2.1").post(location, {"choice": "x"})
    assert response.status_code == 429
    assert "no-store" in response["Cache-Control"]


@override_settings(QUIZ_THROTTLE_RATES={"ip": (2, 60)})
def test_a_throttled_answer_is_not_recorded(client, fixed_quiz):
    location = start(Client(REMOTE_ADDR="10.9.9.9"), fixed_quiz)
    ids = choice_ids(client.get(location))
    client.post(location, {"choice": "junk"})
    client.post(location, {"choice": "junk"})
    response = client.post(location, {"choice": ids[0]})
    assert response.status_code == 429
    assert not Answer.objects.filter(answered_at__isnull=False).exists()


def test_reading_questions_is_never_throttled(client, fixed_quiz):
    location = start(client, fixed_quiz)
    with override_settings(QUIZ_THROTTLE_RATES={"ip": (1, 60), "token": (1, 60)}):
        for _ in range(5):
            assert client.get(location).status_code == 200


def test_sixty_quiz_starts_from_one_address_within_ten_minutes_are_all_served(fixed_quiz):
    """A class of 60 on the school Wi-Fi: one address, sixty phones."""
    statuses = [
        Client(REMOTE_ADDR="100.64.1.1").post(fixed_quiz.url, {}).status_code for _ in range(60)
    ]
    assert statuses == [302] * 60
    assert Attempt.objects.count() == 60


def test_one_client_flooding_starts_without_cookies_is_still_refused(fixed_quiz):
    bot = Client(REMOTE_ADDR="100.64.1.2")
    statuses = [bot.post(fixed_quiz.url, {}).status_code for _ in range(320)]
    assert 429 in statuses
    assert Attempt.objects.count() <= 300  # the per-address ceiling


def test_one_session_flooding_starts_is_refused_while_its_network_is_not(fixed_quiz):
    flooder = Client(REMOTE_ADDR="100.64.1.3")
    flooder.session.save()  # a browser that keeps its session cookie
    statuses = [flooder.post(fixed_quiz.url, {}).status_code for _ in range(25)]
    assert statuses[:20] == [302] * 20 and statuses[20:] == [429] * 5
    assert "同一个浏览器" in flooder.post(fixed_quiz.url, {}).content.decode()
    assert Client(REMOTE_ADDR="100.64.1.3").post(fixed_quiz.url, {}).status_code == 302


@override_settings(QUIZ_THROTTLE_RATES={"start": (2, 600)})
def test_the_refusal_says_the_network_is_limited_not_the_device(fixed_quiz):
    for _ in range(2):
        Client(REMOTE_ADDR="100.64.1.4").post(fixed_quiz.url, {})
    body = Client(REMOTE_ADDR="100.64.1.4").post(fixed_quiz.url, {}).content.decode()
    assert "同一网络" in body and "同一台设备" not in body


@override_settings(QUIZ_THROTTLE_RATES={"start": (2, 600)}, TRUSTED_PROXY_COUNT=1)
def test_behind_a_proxy_each_visitor_has_their_own_address(fixed_quiz):
    """Behind nginx every request comes from the proxy; X-Forwarded-For names the visitor."""

    def via_proxy(visitor):
        return Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=visitor)

    assert [via_proxy("203.0.113.1").post(fixed_quiz.url, {}).status_code for _ in range(3)] == [
        302,
        302,
        429,
    ]
    assert via_proxy("203.0.113.2").post(fixed_quiz.url, {}).status_code == 302
