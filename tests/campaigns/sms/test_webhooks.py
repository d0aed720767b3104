"""The gateway's signed webhooks: replies (TD / T / 退订 unsubscribe) and delivery receipts."""

import json
import logging
import time

import pytest
from django.core.cache import cache
from django.test import Client, RequestFactory
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from campaigns.models import SmsBlast, SmsDelivery, Subscriber
from campaigns.sms import signing
from campaigns.sms.webhooks import is_opt_out
from tests.campaigns.sms import factories

pytestmark = pytest.mark.django_db

INBOUND = "/sms/webhooks/inbound/"
RECEIPTS = "/sms/webhooks/receipts/"
SECRET = "test-webhook-secret"


def post(client, url, payload, secret=SECRET, timestamp=None, raw=None):
    body = raw if raw is not None else json.dumps(payload, ensure_ascii=False).encode()
    headers = signing.sign(body, secret, timestamp)
    return client.post(
        url,
        body,
        content_type="application/json",
        headers=headers,
    )


@pytest.mark.parametrize(
    "text",
    [
        "TD",
        "td",
        " Td ",
        "T",
        "t",
        "退订",
        "ＴＤ",
        "ｔｄ",
        "【TD】",
        "TD。",
        "“退订”",
        "TD!",
        "\tT\n",
        "T D",
        "TD退订",
    ],
)
def test_opt_out_words_in_every_form(text):
    assert is_opt_out(text)


@pytest.mark.parametrize("text", ["", "TDD", "不要退订", "谢谢", "stop", "回复", "TTD", None, 5])
def test_other_texts_are_not_opt_outs(text):
    assert not is_opt_out(text)


def test_reply_td_unsubscribes_at_once(client, caplog):
    person = factories.subscriber(phone="+8613812340001")
    caplog.set_level(logging.INFO)
    response = post(client, INBOUND, {"from": "+8613812340001", "text": "ＴＤ"})
    assert response.status_code == 200
    assert response.json() == {"ok": True, "unsubscribed": 1, "ignored": 0}
    person.refresh_from_db()
    assert person.status == Subscriber.Status.UNSUBSCRIBED and person.unsubscribed_via == "reply"
    assert "13812340001" not in caplog.text and "138****0001" in caplog.text


def test_reply_list_with_variants_and_other_texts(client, caplog):
    a = factories.subscriber(phone="+8613812340002")
    b = factories.subscriber(phone="+8613812340003")
    c = factories.subscriber(phone="+8613812340004")
    caplog.set_level(logging.INFO)
    response = post(
        client,
        INBOUND,
        [
            {"from": "8613812340002", "text": "退订"},
            {"from": "13812340003", "text": " t "},
            {"from": "+8613812340004", "text": "请问13812340004这个号码是谁"},
            {"from": "+8613999999999", "text": "TD"},  # not a subscriber
            {"from": "garbage", "text": "TD"},
        ],
    )
    assert response.json() == {"ok": True, "unsubscribed": 2, "ignored": 3}
    for person, status in ((a, "unsubscribed"), (b, "unsubscribed"), (c, "active")):
        person.refresh_from_db()
        assert person.status == status
    assert "13812340004" not in caplog.text and "13999999999" not in caplog.text


def test_repeated_td_is_harmless(client):
    person = factories.subscriber(phone="+8613812340005")
    # Two replies sent a second apart: two requests, each signed afresh.
    for age in (1, 0):
        response = post(
            client, INBOUND, {"from": "+8613812340005", "text": "TD"}, timestamp=time.time() - age
        )
        assert response.status_code == 200
    assert person.consents.filter(action="unsubscribe").count() == 1


def test_bad_signature_is_refused(client, caplog):
    person = factories.subscriber(phone="+8613812340006")
    response = post(client, INBOUND, {"from": "+8613812340006", "text": "TD"}, secret="wrong")
    assert response.status_code == 403
    assert response.json() == {"ok": False, "error": "bad signature"}
    person.refresh_from_db()
    assert person.status == Subscriber.Status.ACTIVE
    assert "13812340006" not in caplog.text and "rejected" in caplog.text


def test_stale_timestamp_is_refused(client):
    response = post(
        client, INBOUND, {"from": "+8613812340007", "text": "TD"}, timestamp=time.time() - 3600
    )
    assert response.status_code == 403 and response.json()["error"] == "stale timestamp"


def test_missing_headers_are_refused(client):
    response = client.post(INBOUND, b"{}", content_type="application/json")
    assert response.status_code == 403


def test_webhooks_are_post_only_and_need_no_csrf():
    csrf_client = Client(enforce_csrf_checks=True)
    assert csrf_client.get(INBOUND).status_code == 405
    assert csrf_client.get(RECEIPTS).status_code == 405
    assert post(csrf_client, RECEIPTS, []).status_code == 200


@pytest.mark.parametrize(
    "raw",
    [b"not json", b"\xff\xfe", b"[1, 2]", b'"TD"', b"[" * 5000 + b"]" * 5000, b'{"from": 1}'],
)
def test_signed_junk_is_a_400_with_a_message(client, raw):
    response = post(client, INBOUND, None, raw=raw)
    assert response.status_code == 400
    assert response.json()["ok"] is False and response.json()["error"]


def test_unconfigured_secret_refuses_everything(client, settings):
    settings.SMS_WEBHOOK_SECRET = ""
    response = post(client, INBOUND, {"from": "+8613812340008", "text": "TD"}, secret="")
    assert response.status_code == 403


# -- receipts --------------------------------------------------------------------------------
def submitted_rows(n=3):
    blast = factories.blast(status=SmsBlast.Status.SENDING)
    rows = []
    for i in range(n):
        rows.append(
            SmsDelivery.objects.create(
                blast=blast,
                subscriber=factories.subscriber(),
                status=SmsDelivery.Status.SUBMITTED,
                gateway_id=f"gw-{i}",
            )
        )
    return rows


def test_receipts_update_rows_by_gateway_id(client, caplog):
    delivered, failed, untouched = submitted_rows()
    long_error = "E" * 100
    response = post(
        client,
        RECEIPTS,
        [
            {"message_id": "gw-0", "status": "delivered"},
            {"message_id": "gw-1", "status": "failed", "error": long_error},
            {"message_id": "nope", "status": "delivered"},
            {"message_id": "gw-2", "status": "sent"},
        ],
    )
    assert response.status_code == 200
    assert response.json() == {"ok": True, "updated": 2, "unknown": 1, "ignored": 1}
    delivered.refresh_from_db()
    failed.refresh_from_db()
    untouched.refresh_from_db()
    assert delivered.status == SmsDelivery.Status.DELIVERED and delivered.delivered_at
    assert failed.status == SmsDelivery.Status.FAILED and failed.error_code == "E" * 40
    assert untouched.status == SmsDelivery.Status.SUBMITTED
    assert "unknown" in caplog.text


def test_repeated_or_late_receipts_change_nothing(client):
    row, *_ = submitted_rows(1)
    post(client, RECEIPTS, [{"message_id": "gw-0", "status": "delivered"}])
    row.refresh_from_db()
    first = row.delivered_at
    response = post(client, RECEIPTS, [{"message_id": "gw-0", "status": "failed", "error": "x"}])
    assert response.json()["updated"] == 0
    row.refresh_from_db()
    assert row.status == SmsDelivery.Status.DELIVERED and row.delivered_at == first


@pytest.mark.parametrize(
    "payload",
    [
        [{"status": "delivered"}],
        [{"message_id": None, "status": "delivered"}],
        [{"message_id": "x" * 65, "status": "delivered"}],
        [{"message_id": "gw-0", "status": 3}],
        [{"message_id": "gw-0", "status": "failed", "error": ["x"]}],
        ["gw-0"],
        [{"message_id": "gw-0", "status": "delivered"}] * 1001,
    ],
)
def test_receipts_of_the_wrong_shape_are_refused(client, payload):
    row, *_ = submitted_rows(1)
    response = post(client, RECEIPTS, payload)
    assert response.status_code == 400 and response.json()["error"]
    row.refresh_from_db()
    assert row.status == SmsDelivery.Status.SUBMITTED


JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(["from", "text", "message_id", "status", "error", "x"])
            | st.text(max_size=5),
            children,
            max_size=4,
        )
    ),
    max_leaves=12,
)
HEADER_TEXT = st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0xFF), max_size=80)


@hsettings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    url=st.sampled_from([INBOUND, RECEIPTS]),
    payload=JSONISH,
    raw=st.none() | st.binary(max_size=200),
    signed=st.booleans(),
    timestamp=st.none() | HEADER_TEXT,
    signature=st.none() | HEADER_TEXT,
)
def test_junk_bodies_and_headers_never_cause_a_server_error(
    client, url, payload, raw, signed, timestamp, signature
):
    # Hypothesis may draw the same signed body twice in one second: that is a replay (409),
    # which another test proves; here each example must stand on its own.
    cache.clear()
    body = raw if raw is not None else json.dumps(payload).encode()
    headers = signing.sign(body, SECRET) if signed else {}
    if timestamp is not None:
        headers[signing.TIMESTAMP_HEADER] = timestamp
    if signature is not None:
        headers[signing.SIGNATURE_HEADER] = signature
    response = client.post(url, body, content_type="application/json", headers=headers)
    assert response.status_code in (200, 400, 403)
    if response.status_code == 200:
        assert response.json()["ok"] is True
    else:
        assert response.json()["error"]


# -- control characters and replays ----------------------------------------------------------
@pytest.mark.parametrize(
    "bad", ["gw-\x00", "\x00", "gw\x1b[31m", "gw-\x7f", "gw-\x85", "gw-\ud800"]
)
def test_control_characters_in_a_receipt_are_a_400(client, bad):
    row, *_ = submitted_rows(1)
    body = json.dumps([{"message_id": bad, "status": "delivered"}]).encode()
    response = post(client, RECEIPTS, None, raw=body)
    assert response.status_code == 400
    assert "control characters" in response.json()["error"]
    row.refresh_from_db()
    assert row.status == SmsDelivery.Status.SUBMITTED


@pytest.mark.parametrize(
    "item",
    [
        {"message_id": "gw-0", "status": "failed", "error": "E\x00"},
        {"message_id": "gw-0", "status": "deliv\x00ered"},
        {"message_id": "gw-0", "status": "delivered", "x\x00": 1},
    ],
)
def test_control_characters_anywhere_in_a_receipt_are_a_400(client, item):
    submitted_rows(1)
    assert post(client, RECEIPTS, [item]).status_code == 400


def test_control_characters_in_a_reply_are_a_400_but_line_breaks_are_text(client):
    person = factories.subscriber(phone="+8613812340009")
    refused = post(client, INBOUND, {"from": "+86138123\x0040009", "text": "TD"})
    assert refused.status_code == 400
    refused = post(client, INBOUND, {"from": "+8613812340009", "text": "T\x00D"})
    assert refused.status_code == 400
    person.refresh_from_db()
    assert person.status == Subscriber.Status.ACTIVE
    accepted = post(client, INBOUND, {"from": "+8613812340009", "text": "\tTD\r\n"})
    assert accepted.json() == {"ok": True, "unsubscribed": 1, "ignored": 0}


def replay(client, url, payload):
    """Post one signed request twice, byte for byte; return both responses."""
    body = json.dumps(payload).encode()
    headers = signing.sign(body, SECRET)
    return [
        client.post(url, body, content_type="application/json", headers=headers) for _ in range(2)
    ]


def test_a_replayed_reply_is_refused_and_changes_nothing(client):
    person = factories.subscriber(phone="+8613812340010")
    body = json.dumps({"from": "+8613812340010", "text": "TD"}).encode()
    headers = signing.sign(body, SECRET)
    first = client.post(INBOUND, body, content_type="application/json", headers=headers)
    assert first.status_code == 200 and first.json()["unsubscribed"] == 1
    # The person signs up again; a captured copy of the old TD must not undo that.
    Subscriber.objects.filter(pk=person.pk).update(status=Subscriber.Status.ACTIVE)
    again = client.post(INBOUND, body, content_type="application/json", headers=headers)
    assert again.status_code == 409 and again.json()["error"]
    person.refresh_from_db()
    assert person.status == Subscriber.Status.ACTIVE
    assert person.consents.filter(action="unsubscribe").count() == 1


def test_a_replayed_receipt_is_refused(client):
    submitted_rows(1)
    first, second = replay(client, RECEIPTS, [{"message_id": "gw-0", "status": "delivered"}])
    assert first.status_code == 200 and first.json()["updated"] == 1
    assert second.status_code == 409


def test_the_same_body_signed_afresh_is_accepted(client):
    submitted_rows(1)
    payload = [{"message_id": "gw-0", "status": "delivered"}]
    assert post(client, RECEIPTS, payload, timestamp=time.time() - 5).status_code == 200
    assert post(client, RECEIPTS, payload).status_code == 200


def test_a_badly_signed_request_does_not_use_up_a_signature(client):
    body = json.dumps([]).encode()
    good = signing.sign(body, SECRET)
    bad = {**good, signing.SIGNATURE_HEADER: "0" * 64}
    assert (
        client.post(RECEIPTS, body, content_type="application/json", headers=bad).status_code == 403
    )
    assert (
        client.post(RECEIPTS, body, content_type="application/json", headers=good).status_code
        == 200
    )


def test_a_request_that_failed_inside_can_be_retried_with_the_same_signature(client, monkeypatch):
    from campaigns.sms import webhooks

    person = factories.subscriber(phone="+8613812340011")
    body = json.dumps({"from": "+8613812340011", "text": "TD"}).encode()
    headers = signing.sign(body, SECRET)

    def database_down(items):
        raise RuntimeError("database went away")

    request = RequestFactory().post(INBOUND, body, content_type="application/json", headers=headers)
    with pytest.raises(RuntimeError):
        webhooks._webhook(database_down)(request)
    retried = client.post(INBOUND, body, content_type="application/json", headers=headers)
    assert retried.status_code == 200 and retried.json()["unsubscribed"] == 1
    person.refresh_from_db()
    assert person.status == Subscriber.Status.UNSUBSCRIBED


def test_when_replays_cannot_be_checked_the_gateway_is_told_to_retry(client, monkeypatch):
    from django.core.cache import cache

    def unreachable(*args, **kwargs):
        raise ConnectionError("redis is down")

    monkeypatch.setattr(cache, "add", unreachable)
    person = factories.subscriber(phone="+8613812340012")
    response = post(client, INBOUND, {"from": "+8613812340012", "text": "TD"})
    assert response.status_code == 503 and response.json()["error"]
    person.refresh_from_db()
    assert person.status == Subscriber.Status.ACTIVE
