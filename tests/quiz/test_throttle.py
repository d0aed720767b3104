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
