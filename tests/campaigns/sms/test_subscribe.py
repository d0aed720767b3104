"""SMS sign-up by double opt-in, and unsubscribing by link."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from campaigns.models import ConsentRecord, Subscriber, VerificationCode
from campaigns.sms import subscriptions
from campaigns.sms.sending.backends import locmem
from tests.campaigns.sms import factories
from website.taxonomy.models import Audience, Region

pytestmark = pytest.mark.django_db

SUBSCRIBE = "/sms/subscribe/"
VERIFY = "/sms/subscribe/verify/"
DONE = "/sms/subscribe/done/"
PHONE = "13912345678"
E164 = "+8613912345678"


def sign_up(client, phone=PHONE, region=None, audiences=(), consent=True, ip="10.0.0.1"):
    data = {"phone": phone, "audiences": [str(a) for a in audiences]}
    if region is not None:
        data["region"] = str(region)
    if consent:
        data["consent"] = "on"
    return client.post(SUBSCRIBE, data, REMOTE_ADDR=ip)


def last_code(phone=E164):
    message = [m for m in locmem.outbox if m.to == phone][-1]
    return re.search(r"\d{6}", message.text).group()


def test_sign_up_page_has_labelled_fields_and_exact_consent_text(client):
    response = client.get(SUBSCRIBE)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<label for="id_phone">手机号码</label>' in html
    assert 'aria-describedby="id_phone_helptext"' in html
    assert (
        "我同意接收示范市防范和处置非法集资工作领导小组办公室发送的防范非法集资风险提示短信，"
        "可随时回复TD或点击短信中的链接退订。" in html
    )
    # Regions indented by level, audiences as checkboxes.
    assert "\u3000\u3000\u3000\u3000花果山村" in html
    assert html.count('type="checkbox" name="audiences"') == Audience.objects.count()
    assert "no-store" in response["Cache-Control"]
    assert "短信订阅" in html  # nav link


@pytest.mark.parametrize(
    ("phone", "message"),
    [
        ("010-12345678", "这是固定电话号码，请输入手机号码。"),
        ("+1 650 253 0000", "目前只支持中国大陆手机号码。"),
        ("abcdefghijk", "请输入 11 位手机号码。"),
        ("1391234", "这个手机号码无效"),
        ("139123456789999", "这个手机号码无效"),
        ("1" * 45, "请输入 11 位手机号码。"),
        ("", "请输入手机号码。"),
    ],
)
def test_junk_numbers_are_refused_with_a_clear_message(client, phone, message):
    response = sign_up(client, phone=phone)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert 'role="alert"' in html
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_phone_helptext id_phone_error"' in html
    assert locmem.outbox == []
    assert not VerificationCode.objects.exists()


def test_consent_is_required(client):
    response = sign_up(client, consent=False)
    assert "请阅读并勾选同意" in response.content.decode()
    assert locmem.outbox == []


def test_junk_region_and_audience_values_are_refused(client):
    response = client.post(
        SUBSCRIBE,
        {"phone": PHONE, "consent": "on", "region": "1\x00; drop", "audiences": ["x", "99999"]},
    )
    html = response.content.decode()
    assert "请从列表中选择地区。" in html and "请从列表中选择人群。" in html
    assert locmem.outbox == []


def test_happy_path_creates_active_subscriber_with_consent_evidence(client):
    region = Region.objects.get(code="430922100201")
    elderly = Audience.objects.get(slug="elderly")
    response = sign_up(client, region=region.pk, audiences=[elderly.pk], ip="203.0.113.9")
    assert response.status_code == 302 and response["Location"] == VERIFY
    # Nothing about the number in the page: it stays in the server-side session.
    assert client.session["campaigns_sms_signup"]["phone"] == E164
    assert not Subscriber.objects.exists()

    (message,) = locmem.outbox
    assert message.to == E164 and message.key.startswith("c")
    assert message.text.startswith("【防非】")
    code = last_code()
    stored = VerificationCode.objects.get()
    assert code not in stored.code_hash and len(stored.code_hash) == 64

    page = client.get(VERIFY)
    assert "验证码已发送（如号码有效）至 139****5678" in page.content.decode()
    response = client.post(VERIFY, {"code": code}, REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 302 and response["Location"] == DONE
    assert "订阅成功" in client.get(DONE).content.decode()

    person = Subscriber.objects.get(phone=E164)
    assert person.status == Subscriber.Status.ACTIVE and person.confirmed_at
    assert person.region == region and list(person.audiences.all()) == [elderly]
    consent = person.consents.get()
    assert consent.action == ConsentRecord.Action.SUBSCRIBE
    assert consent.text.startswith("我同意接收") and "TD" in consent.text
    assert consent.source == "http://testserver/sms/subscribe/"
    assert consent.ip_hash and "203.0.113.9" not in consent.ip_hash and len(consent.ip_hash) == 24
    assert "campaigns_sms_signup" not in client.session


def test_code_is_stored_as_a_salted_hmac_bound_to_the_number(client):
    sign_up(client)
    code = last_code()
    stored = VerificationCode.objects.get().code_hash
    assert stored == subscriptions.code_hash(E164, code)
    assert stored != subscriptions.code_hash("+8613800000000", code)
    assert stored != subscriptions._legacy_code_hash(E164, code)


def test_code_sent_before_the_salted_hmac_switch_still_confirms(client):
    # A code sent by the previous release, minutes before a deploy, must still work.
    sign_up(client)
    code = last_code()
    VerificationCode.objects.update(code_hash=subscriptions._legacy_code_hash(E164, code))
    wrong = "000000" if code != "000000" else "111111"
    assert client.post(VERIFY, {"code": wrong}).status_code == 200  # asked again
    assert client.post(VERIFY, {"code": code})["Location"] == DONE


def test_full_width_code_is_accepted(client):
    sign_up(client)
    full_width = last_code().translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    assert client.post(VERIFY, {"code": f" {full_width} "})["Location"] == DONE


def test_verify_without_a_pending_number_asks_for_one(client):
    response = client.get(VERIFY)
    assert "请先填写手机号码" in response.content.decode()
    response = client.post(VERIFY, {"code": "123456"})
    assert "请先填写手机号码" in response.content.decode()
    assert not Subscriber.objects.exists()


def wrong(code):
    return f"{(int(code) + 1) % 1_000_000:06d}"


def test_five_wrong_codes_kill_the_code(client):
    sign_up(client)
    code = last_code()
    for left in (4, 3, 2, 1):
        html = client.post(VERIFY, {"code": wrong(code)}).content.decode()
        assert f"验证码不正确，还可以再试 {left} 次。" in html
    html = client.post(VERIFY, {"code": wrong(code)}).content.decode()
    assert "验证码错误次数太多，已失效" in html
    html = client.post(VERIFY, {"code": code}).content.decode()
    assert "这个验证码已失效，请重新获取验证码。" in html
    assert not Subscriber.objects.exists()
    assert VerificationCode.objects.get().attempts == 5


def test_malformed_code_is_not_counted_as_a_try(client):
    sign_up(client)
    html = client.post(VERIFY, {"code": "12ab"}).content.decode()
    assert "验证码是 6 位数字" in html
    assert VerificationCode.objects.get().attempts == 0


def test_expired_code_is_refused(client):
    sign_up(client)
    code = last_code()
    VerificationCode.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    html = client.post(VERIFY, {"code": code}).content.decode()
    assert "这个验证码已失效" in html
    assert not Subscriber.objects.exists()


def test_replayed_code_is_refused(client):
    sign_up(client)
    code = last_code()
    assert subscriptions.confirm_code(E164, code, "10.0.0.1").ok
    replay = subscriptions.confirm_code(E164, code, "10.0.0.1")
    assert not replay.ok and "已失效" in replay.message
    assert ConsentRecord.objects.count() == 1


def test_only_the_newest_code_counts(client, settings):
    settings.SMS_CODE_COOLDOWN_SECONDS = 0
    sign_up(client)
    first = last_code()
    sign_up(client)
    second = last_code()
    if first != second:
        assert not subscriptions.confirm_code(E164, first, "10.0.0.1").ok
    assert subscriptions.confirm_code(E164, second, "10.0.0.1").ok


def normalise(html):
    """A response with the per-visitor CSRF token taken out."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


@pytest.mark.parametrize("status", ["active", "unsubscribed", "pending"])
def test_same_answer_for_known_and_unknown_numbers(client, django_user_model, status):
    from django.test import Client

    factories.subscriber(phone="+8613911112222", status=status)
    known, unknown = Client(), Client()
    steps = []
    for c, phone in ((known, "13911112222"), (unknown, "13933334444")):
        c.get(SUBSCRIBE)
        r1 = sign_up(c, phone=phone)
        r2 = c.get(VERIFY)
        r3 = c.post(
            VERIFY, {"code": "000000" if last_code(f"+86{phone}") != "000000" else "111111"}
        )
        steps.append(
            [
                (
                    r.status_code,
                    r.get("Location"),
                    normalise(r.content.decode()).replace(phone[-4:], "XXXX"),
                )
                for r in (r1, r2, r3)
            ]
        )
    assert steps[0] == steps[1]
    assert len(locmem.outbox) == 2  # both got a code; nothing tells them apart


def test_known_active_number_reconfirming_updates_its_choices(client):
    person = factories.subscriber(phone=E164, audiences=("elderly",), region="430104")
    rural = Audience.objects.get(slug="rural")
    region = Region.objects.get(code="430922")
    sign_up(client, region=region.pk, audiences=[rural.pk])
    client.post(VERIFY, {"code": last_code()})
    person.refresh_from_db()
    assert person.status == Subscriber.Status.ACTIVE
    assert person.region == region and list(person.audiences.all()) == [rural]
    assert Subscriber.objects.count() == 1


def test_resubscribing_after_unsubscribing_needs_the_full_flow_and_fresh_consent(client):
    person = factories.subscriber(phone=E164)
    person.unsubscribe(via="link")
    sign_up(client)
    person.refresh_from_db()
    assert person.status == Subscriber.Status.UNSUBSCRIBED  # a code alone changes nothing
    client.post(VERIFY, {"code": last_code()})
    person.refresh_from_db()
    assert person.status == Subscriber.Status.ACTIVE and person.unsubscribed_at is None
    actions = list(person.consents.order_by("at", "pk").values_list("action", flat=True))
    assert actions == ["unsubscribe", "subscribe"]


def test_cooldown_message(client):
    sign_up(client)
    response = sign_up(client, ip="10.9.9.9")
    assert response.status_code == 429
    assert re.search(r"请 \d+ 秒后再获取验证码", response.content.decode())
    assert int(response["Retry-After"]) <= 60
    assert len(locmem.outbox) == 1


def test_limit_messages_are_shown_in_an_alert(client, settings):
    settings.SMS_CODE_COOLDOWN_SECONDS = 0
    for _ in range(5):
        assert sign_up(client).status_code == 302
    html = sign_up(client).content.decode()
    assert 'role="alert"' in html and "今天获取验证码的次数已达上限" in html
    assert len(locmem.outbox) == 5


# -- unsubscribe by link ---------------------------------------------------------------------
def test_unsubscribe_link_get_asks_and_post_unsubscribes(client):
    person = factories.subscriber()
    url = f"/u/{person.unsubscribe_token}"
    assert reverse("campaigns:unsubscribe", args=[person.unsubscribe_token]) == url
    response = client.get(url)
    assert response.status_code == 200
    assert "确认退订" in response.content.decode()
    person.refresh_from_db()
    assert person.status == Subscriber.Status.ACTIVE  # a link scanner's GET does nothing

    response = client.post(url)
    assert response.status_code == 200
    assert "不会再收到" in response.content.decode()
    person.refresh_from_db()
    assert person.status == Subscriber.Status.UNSUBSCRIBED
    assert person.unsubscribed_via == "link"


def test_unsubscribe_post_needs_csrf():
    from django.test import Client

    person = factories.subscriber()
    response = Client(enforce_csrf_checks=True).post(f"/u/{person.unsubscribe_token}")
    assert response.status_code == 403
    person.refresh_from_db()
    assert person.status == Subscriber.Status.ACTIVE


def test_unknown_token_gets_the_same_pages(client):
    person = factories.subscriber()
    real_get = client.get(f"/u/{person.unsubscribe_token}")
    fake_get = client.get("/u/AAAAAAAA")
    assert normalise(real_get.content.decode()).replace(person.unsubscribe_token, "T") == normalise(
        fake_get.content.decode()
    ).replace("AAAAAAAA", "T")
    real_post = client.post(f"/u/{person.unsubscribe_token}")
    fake_post = client.post("/u/AAAAAAAA")
    assert real_post.status_code == fake_post.status_code == 200
    assert real_post.content.decode().replace(
        person.unsubscribe_token, "T"
    ) == fake_post.content.decode().replace("AAAAAAAA", "T")


def test_unsubscribe_link_matches_sms_text():
    from campaigns.sms import text as sms_text

    person = factories.subscriber()
    assert sms_text.unsubscribe_url(person.unsubscribe_token).endswith(
        reverse("campaigns:unsubscribe", args=[person.unsubscribe_token])
    )


def test_home_page_links_to_sign_up(client):
    from django.core.management import call_command

    call_command("load_demo", stdout=open("/dev/null", "w"))
    html = client.get("/").content.decode()
    assert "短信提醒" in html and 'href="/sms/subscribe/"' in html


@hsettings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    phone=st.text(max_size=50),
    region=st.text(max_size=20),
    audiences=st.lists(st.text(max_size=10), max_size=3),
    code=st.text(max_size=30),
)
def test_junk_in_every_field_never_errors(client, phone, region, audiences, code):
    data = {"phone": phone, "region": region, "audiences": audiences, "consent": "on"}
    response = client.post(SUBSCRIBE, data)
    assert response.status_code in (200, 302, 429)
    response = client.post(VERIFY, {"code": code})
    assert response.status_code == 200
