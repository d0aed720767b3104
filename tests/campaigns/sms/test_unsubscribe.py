"""Unsubscribe tokens: long enough not to be guessed, renewed on a new sign-up, and POST /u/
limited per address."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Subscriber
from campaigns.models.subscribers import UNSUBSCRIBE_TOKEN_LENGTH, new_unsubscribe_token
from campaigns.sms import subscriptions
from campaigns.sms import text as sms_text
from tests.campaigns.sms import factories

pytestmark = pytest.mark.django_db


def test_new_tokens_carry_at_least_72_random_bits():
    tokens = {new_unsubscribe_token() for _ in range(2000)}
    assert len(tokens) == 2000
    for token in tokens:
        # URL-safe base64: 6 bits a character.
        assert re.fullmatch(r"[A-Za-z0-9_-]+", token)
        assert len(token) * 6 >= 72
    assert factories.subscriber().unsubscribe_token.__len__() == UNSUBSCRIBE_TOKEN_LENGTH


def test_a_blast_carries_no_personal_token_so_its_counted_length_is_what_everyone_gets():
    # Blasts opt out by reply (回T退订); the personal /u/<token> link lives in the welcome SMS
    # only, so no recipient's message is longer than the one the counter measured.
    body = "警惕以养老服务为名的非法集资。"
    text = sms_text.compose(body)
    assert text.endswith(sms_text.OPT_OUT) and "/u/" not in text


def test_a_token_sent_before_the_change_still_unsubscribes(client):
    person = factories.subscriber()
    Subscriber.objects.filter(pk=person.pk).update(unsubscribe_token="Ab3_-x9Q")  # 48-bit era
    assert client.post("/u/Ab3_-x9Q").status_code == 200
    person.refresh_from_db()
    assert person.status == Subscriber.Status.UNSUBSCRIBED


def test_tokens_up_to_the_fields_length_are_routed(client):
    token = "A" * 32
    assert reverse("campaigns:unsubscribe", args=[token]) == f"/u/{token}"
    assert client.get(f"/u/{token}").status_code == 200


def sign_up_again(person):
    return subscriptions.apply_sign_up(
        person.phone,
        {"region": None, "audiences": [], "consent_text": "同意", "source": "test"},
        "10.0.0.9",
        timezone.now(),
    )


def test_signing_up_again_after_unsubscribing_renews_the_token(client):
    person = factories.subscriber()
    old = person.unsubscribe_token
    client.post(f"/u/{old}")
    renewed = sign_up_again(Subscriber.objects.get(pk=person.pk))
    assert renewed.status == Subscriber.Status.ACTIVE
    assert renewed.unsubscribe_token != old
    assert len(renewed.unsubscribe_token) == UNSUBSCRIBE_TOKEN_LENGTH
    # The link in the messages sent before no longer touches the new sign-up.
    client.post(f"/u/{old}")
    renewed.refresh_from_db()
    assert renewed.status == Subscriber.Status.ACTIVE
    client.post(f"/u/{renewed.unsubscribe_token}")
    renewed.refresh_from_db()
    assert renewed.status == Subscriber.Status.UNSUBSCRIBED


def test_an_active_subscriber_changing_choices_keeps_the_token_already_sent():
    person = factories.subscriber()
    assert sign_up_again(person).unsubscribe_token == person.unsubscribe_token


def test_unsubscribe_posts_are_limited_per_address(client, settings):
    settings.SMS_UNSUBSCRIBE_HOURLY_PER_IP = 3
    person = factories.subscriber()
    for i in range(3):
        assert client.post(f"/u/guess{i}", REMOTE_ADDR="203.0.113.5").status_code == 200
    refused = client.post(f"/u/{person.unsubscribe_token}", REMOTE_ADDR="203.0.113.5")
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    html = refused.content.decode()
    assert "次数太多" in html and "TD" in html
    person.refresh_from_db()
    assert person.status == Subscriber.Status.ACTIVE
    # Another address is not affected.
    assert (
        client.post(f"/u/{person.unsubscribe_token}", REMOTE_ADDR="198.51.100.7").status_code == 200
    )
    person.refresh_from_db()
    assert person.status == Subscriber.Status.UNSUBSCRIBED


def test_the_limit_answers_the_same_for_known_and_unknown_tokens(client, settings):
    settings.SMS_UNSUBSCRIBE_HOURLY_PER_IP = 1
    person = factories.subscriber()
    client.post("/u/first", REMOTE_ADDR="203.0.113.6")
    real = client.post(f"/u/{person.unsubscribe_token}", REMOTE_ADDR="203.0.113.6")
    fake = client.post("/u/AAAAAAAAAAAA", REMOTE_ADDR="203.0.113.6")
    assert real.status_code == fake.status_code == 429

    def page(response, token):
        html = response.content.decode().replace(token, "T")
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)

    assert page(real, person.unsubscribe_token) == page(fake, "AAAAAAAAAAAA")


def test_behind_a_proxy_the_limit_counts_the_forwarded_address(client, settings):
    settings.SMS_UNSUBSCRIBE_HOURLY_PER_IP = 2
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    for _ in range(2):
        client.post("/u/guess", HTTP_X_FORWARDED_FOR="203.0.113.8", **proxy)
    assert client.post("/u/guess", HTTP_X_FORWARDED_FOR="203.0.113.8", **proxy).status_code == 429
    assert client.post("/u/guess", HTTP_X_FORWARDED_FOR="203.0.113.9", **proxy).status_code == 200


def test_looking_at_the_link_is_never_limited(client, settings):
    settings.SMS_UNSUBSCRIBE_HOURLY_PER_IP = 1
    for _ in range(5):
        assert client.get("/u/guess", REMOTE_ADDR="203.0.113.10").status_code == 200
