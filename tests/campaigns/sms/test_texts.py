"""What subscribers read: the code warns not to share it, a welcome after subscribing says how
to leave (sent exactly once, outside quiet hours), opt-out replies are a list staff edit, and
the unsubscribe page says plainly that it worked."""

import datetime

import pytest
from django.db import transaction
from django.utils import timezone

from campaigns.models import SmsSettings, Subscriber, WelcomeMessage
from campaigns.sms import subscriptions, tasks, welcome
from campaigns.sms import text as sms_text
from campaigns.sms.sending.backends import locmem
from campaigns.sms.webhooks import inbound, is_opt_out
from tests.campaigns.sms import factories

pytestmark = pytest.mark.django_db

E164 = "+8613912345679"
DAYTIME = timezone.make_aware(datetime.datetime(2026, 5, 15, 10, 0))
NIGHT = timezone.make_aware(datetime.datetime(2026, 5, 15, 23, 0))


def confirm(phone=E164, now=None):
    """Run a sign-up through request_code and confirm_code; return the subscriber."""
    choices = subscriptions.Choices(None, [], "我同意接收短信。回复TD退订。", "http://testserver/")
    assert subscriptions.request_code(phone, choices, "10.0.0.1", now=now) is None
    code = next(m for m in reversed(locmem.outbox) if m.to == phone).text
    code = "".join(ch for ch in code if ch.isdigit())[:6]
    outcome = subscriptions.confirm_code(phone, code, "10.0.0.1", now=now)
    assert outcome.ok, outcome.message
    return outcome.subscriber


def welcomes(phone=E164):
    return [m for m in locmem.outbox if m.to == phone and m.key.startswith("w")]


def test_the_code_message_says_never_to_share_it_and_fits_one_sms():
    text = subscriptions.code_text("123456")
    assert "验证码请勿告诉他人" in text and "123456" in text
    assert sms_text.segments(text) == 1


def test_a_new_subscriber_is_welcomed_once_with_how_to_opt_out(settings):
    settings.SMS_QUIET_HOURS = ()
    person = confirm(now=DAYTIME)
    assert WelcomeMessage.objects.filter(subscriber=person).count() == 1
    assert welcome.send_due() == 1
    assert welcome.send_due() == 0  # a second tick finds nothing to send
    (message,) = welcomes()
    assert "回复TD" in message.text and sms_text.unsubscribe_url(person.unsubscribe_token) in (
        message.text
    )
    assert message.text.startswith(sms_text.signature()) and sms_text.segments(message.text) == 1
    assert WelcomeMessage.objects.get().status == WelcomeMessage.Status.SENT


def test_changing_ones_choices_is_not_welcomed_again_but_coming_back_is(settings):
    settings.SMS_QUIET_HOURS = ()
    person = confirm()
    payload = {"region": None, "audiences": [], "consent_text": "同意", "source": "x"}
    with transaction.atomic():  # already active: only the choices change
        subscriptions.apply_sign_up(E164, payload, "10.0.0.1", timezone.now())
    assert WelcomeMessage.objects.count() == 1
    person.unsubscribe(via="link")
    with transaction.atomic():
        subscriptions.apply_sign_up(E164, payload, "10.0.0.1", timezone.now())
    assert WelcomeMessage.objects.count() == 2


def test_no_welcome_in_quiet_hours_until_they_end(settings):
    settings.SMS_QUIET_HOURS = ("21:00", "08:00")
    confirm()
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(timezone, "now", lambda: NIGHT)
        tasks.dispatch()
    assert welcomes() == []
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(timezone, "now", lambda: DAYTIME)
        tasks.dispatch()
        tasks.dispatch()
    assert len(welcomes()) == 1


def test_who_leaves_before_the_welcome_never_gets_it(settings):
    settings.SMS_QUIET_HOURS = ()
    person = confirm()
    person.unsubscribe(via="reply")
    assert welcome.send_due() == 0
    assert welcomes() == []
    assert WelcomeMessage.objects.get().status == WelcomeMessage.Status.SKIPPED


def test_a_welcome_left_in_flight_is_settled_against_the_gateway_not_resent(settings):
    settings.SMS_QUIET_HOURS = ()
    confirm()
    welcome.send_due()
    # A worker died after the gateway accepted the message but before recording it.
    WelcomeMessage.objects.update(
        status=WelcomeMessage.Status.SUBMITTING,
        claimed_at=timezone.now() - datetime.timedelta(hours=1),
    )
    assert welcome.settle_in_flight() == (1, 0)
    assert welcome.send_due() == 0
    assert len(welcomes()) == 1


@pytest.mark.parametrize(
    "text",
    ["取消", "退订短信", "回复TD", "回复td", "N", "ｎ", "【取消】", " 取 消 。", "TD", "退订"],
)
def test_the_default_opt_out_replies_are_wide(text):
    assert is_opt_out(text)


@pytest.mark.parametrize("text", ["不取消", "取消了吗？我想再看看", "NO", "好的"])
def test_longer_texts_are_not_opt_outs(text):
    assert not is_opt_out(text)


def test_staff_edit_the_opt_out_replies_but_td_always_works():
    config = SmsSettings.load()
    config.opt_out_replies = "不要了\n"
    config.save()
    assert is_opt_out("不要了！") and is_opt_out("ＴＤ") and is_opt_out("退订")
    assert not is_opt_out("取消") and not is_opt_out("N")


def test_the_inbound_webhook_uses_the_list():
    person = factories.subscriber(phone="+8613812349999")
    assert inbound([{"from": "+8613812349999", "text": "取消订阅"}]) == {
        "unsubscribed": 1,
        "ignored": 0,
    }
    person.refresh_from_db()
    assert person.status == Subscriber.Status.UNSUBSCRIBED


def test_the_unsubscribe_page_says_plainly_that_it_worked(client):
    person = factories.subscriber()
    html = client.post(f"/u/{person.unsubscribe_token}").content.decode()
    assert "<h1>退订成功</h1>" in html and "不会再收到" in html


def test_reviewers_edit_the_opt_out_list_in_the_admin():
    from tests.factories import logged_in, staff

    client = logged_in(staff("shenhe", "审核员"))
    url = client.get("/admin/settings/campaigns/smssettings/", follow=True).redirect_chain[-1][0]
    page = client.get(url)
    assert page.status_code == 200 and "退订短信" in page.content.decode()
    response = client.post(url, {"opt_out_replies": "TD\n不要了"})
    assert response.status_code == 302
    assert is_opt_out("不要了") and not is_opt_out("取消")
