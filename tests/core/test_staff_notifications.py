"""Staff are told that work waits for them by the channel each chose (issue 13 §2): e-mail, SMS
through the one sending layer (its ledger, its rate limit), both, or neither."""

import pytest
from django.core import mail
from django.utils import timezone

from campaigns.models import StaffSms
from campaigns.sms import blast_actions, staff_texts
from campaigns.sms.sending.backends import locmem
from tests import factories
from tests.campaigns.sms import factories as sms_factories
from website.core.models import StaffNotificationPreference
from website.pages.models import RiskNoticePage

pytestmark = pytest.mark.django_db
Channel = StaffNotificationPreference.Channel


def person(username, group, channel, phone="", email=True):
    user = factories.staff(username, group)
    if email:
        user.email = f"{username}@example.gov.cn"
        user.save()
    StaffNotificationPreference.objects.create(user=user, channel=channel, phone=phone)
    return user


def submit_page(editor, title="待审核的提示"):
    page = RiskNoticePage(
        title=title, slug=f"p{editor.pk}", summary="摘要", body=factories.body("x")
    )
    factories.notice_index().add_child(instance=page)
    page.save_revision(user=editor)
    return page.get_workflow().start(page, editor)


@pytest.fixture
def sending_now(settings):
    """Quiet hours off, the locmem gateway: what the dispatcher tick would send, sent now."""
    settings.SMS_QUIET_HOURS = None
    settings.SMS_BACKEND = "campaigns.sms.sending.backends.locmem.LocmemBackend"


def test_a_reviewer_who_chose_sms_gets_a_text_and_no_mail(sending_now):
    reviewer = person("shenhe", "审核员", Channel.SMS, "+8613800138000")
    editor = factories.staff("bianji", "编辑")
    submit_page(editor)
    assert mail.outbox == []
    row = StaffSms.objects.get()
    assert row.user == reviewer and row.phone == "+8613800138000"
    assert row.status == StaffSms.Status.QUEUED
    assert staff_texts.send_due() == 1
    (sent,) = locmem.outbox
    assert sent.to == "+8613800138000" and sent.key == row.key
    assert "待您审核" in sent.text and "待审核的提示" in sent.text
    row.refresh_from_db()
    assert row.status == StaffSms.Status.SENT
    assert str(row).endswith("138****8000")  # shown masked


def test_each_reviewer_is_told_as_they_chose(sending_now):
    person("mail", "审核员", Channel.EMAIL)
    person("both", "审核员", Channel.BOTH, "+8613800138001")
    person("none", "审核员", Channel.NONE, "+8613800138002")
    factories.staff("default", "审核员").__class__.objects.filter(username="default").update(
        email="default@example.gov.cn"
    )
    submit_page(factories.staff("bianji", "编辑"))
    assert sorted(m.to[0] for m in mail.outbox) == [
        "both@example.gov.cn",
        "default@example.gov.cn",  # no choice made: e-mail, as before
        "mail@example.gov.cn",
    ]
    assert list(StaffSms.objects.values_list("phone", flat=True)) == ["+8613800138001"]


def test_a_notice_fired_twice_is_texted_once(sending_now):
    person("shenhe", "审核员", Channel.SMS, "+8613800138000")
    state = submit_page(factories.staff("bianji", "编辑"))
    from website.core.moderation import task_submitted_notifier

    task_submitted_notifier(state.current_task_state)
    assert StaffSms.objects.count() == 1


def test_a_notice_fired_again_does_not_spend_the_persons_hourly_allowance(sending_now, settings):
    settings.STAFF_SMS_PER_HOUR = 1
    person("shenhe", "审核员", Channel.SMS, "+8613800138000")
    state = submit_page(factories.staff("bianji", "编辑"))
    from website.core.moderation import task_submitted_notifier

    task_submitted_notifier(state.current_task_state)
    settings.STAFF_SMS_PER_HOUR = 2
    submit_page(factories.staff("bianji2", "编辑"), title="第二篇")
    assert list(StaffSms.objects.order_by("id").values_list("status", flat=True)) == [
        StaffSms.Status.QUEUED,
        StaffSms.Status.QUEUED,
    ]


def test_an_sms_layer_failure_does_not_stop_a_page_submission(sending_now, monkeypatch):
    from website.core import notify

    def broken(texts):
        raise RuntimeError("ledger unavailable")

    monkeypatch.setattr(notify, "send_sms", broken)
    person("shenhe", "审核员", Channel.SMS, "+8613800138000")
    state = submit_page(factories.staff("bianji", "编辑"))
    assert state.status == state.STATUS_IN_PROGRESS
    assert StaffSms.objects.count() == 0


def test_the_editor_hears_of_approval_by_sms(sending_now):
    reviewer = factories.staff("shenhe", "审核员")
    editor = person("bianji", "编辑", Channel.SMS, "13800138003")
    state = submit_page(editor)
    task_state = state.current_task_state
    task_state.task.specific.on_action(task_state, reviewer, "approve")
    texts = StaffSms.objects.filter(user=editor)
    assert [t.text.split("】", 1)[1] for t in texts] == ["您提交的“待审核的提示”已通过审核。"]


def test_staff_texts_are_rate_limited_per_person(sending_now, settings):
    settings.STAFF_SMS_PER_HOUR = 2
    person("shenhe", "审核员", Channel.SMS, "+8613800138000")
    editor = factories.staff("bianji", "编辑")
    for i in range(4):
        page = RiskNoticePage(
            title=f"第{i}篇", slug=f"n{i}", summary="摘要", body=factories.body("x")
        )
        factories.notice_index().add_child(instance=page)
        page.save_revision(user=editor)
        page.get_workflow().start(page, editor)
    statuses = list(StaffSms.objects.order_by("id").values_list("status", "error"))
    assert statuses[:2] == [("queued", "")] * 2
    assert statuses[2:] == [("skipped", "rate_limited")] * 2
    assert staff_texts.send_due() == 2
    assert len(locmem.outbox) == 2


def test_review_texts_wait_for_the_end_of_quiet_hours_but_alerts_do_not(settings):
    settings.SMS_BACKEND = "campaigns.sms.sending.backends.locmem.LocmemBackend"
    person("shenhe", "审核员", Channel.SMS, "+8613800138000")
    submit_page(factories.staff("bianji", "编辑"))
    from campaigns.sms import limits

    limits.alert_pressure(timezone.now())
    assert StaffSms.objects.count() == 2
    assert staff_texts.send_due(quiet=True) == 1
    assert [m.text for m in locmem.outbox if "短信验证码请求异常增多" in m.text]
    assert StaffSms.objects.filter(status="queued", urgent=False).count() == 1


def test_blasts_submitted_for_approval_reach_the_approvers_not_the_author(
    sending_now, django_capture_on_commit_callbacks
):
    approver = person("shenhe", "审核员", Channel.BOTH, "+8613800138000")
    author = person("bianji", "编辑", Channel.BOTH, "+8613800138009")
    blast = sms_factories.blast(author=author)
    with django_capture_on_commit_callbacks(execute=True):
        blast_actions.submit(blast, author)
    assert [m.to for m in mail.outbox] == [[approver.email]]
    assert "测试群发" in mail.outbox[0].subject
    assert f"/admin/sms/blasts/{blast.pk}/" in mail.outbox[0].body
    (row,) = StaffSms.objects.all()
    assert row.user == approver and "待您审批" in row.text


def test_a_mail_server_down_does_not_stop_a_submission(
    sending_now, monkeypatch, django_capture_on_commit_callbacks
):
    from website.core import notify

    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("no mail server")

    monkeypatch.setattr(notify, "send_mail", refuse)
    approver = person("shenhe", "审核员", Channel.BOTH, "+8613800138000")
    author = factories.staff("bianji", "编辑")
    with django_capture_on_commit_callbacks(execute=True):
        blast = blast_actions.submit(sms_factories.blast(author=author), author)
    assert blast.status == "pending"
    assert StaffSms.objects.get().user == approver


def test_staff_choose_their_channel_in_account_settings():
    from campaigns.sms.staff_settings import NotificationChannelForm

    editor = factories.staff("bianji", "编辑")
    body = factories.logged_in(editor).get("/admin/account/").content.decode()
    assert "通知方式" in body and "邮件和短信" in body
    assert 'name="notification_channel-phone"' in body
    form = NotificationChannelForm(
        {"channel": "sms", "phone": "138 0013 8000"},
        instance=StaffNotificationPreference(user=editor),
    )
    assert form.is_valid(), form.errors
    form.save()
    choice = StaffNotificationPreference.objects.get(user=editor)
    assert (choice.channel, choice.phone) == ("sms", "+8613800138000")


@pytest.mark.parametrize(
    "phone, message",
    [
        ("", "选择短信通知时，请填写手机号码。"),
        ("0731-84567890", "这是固定电话号码，请输入手机号码。"),
    ],
)
def test_sms_without_a_usable_mobile_is_refused_with_a_reason(phone, message):
    from campaigns.sms.staff_settings import NotificationChannelForm

    editor = factories.staff("bianji", "编辑")
    form = NotificationChannelForm(
        {"channel": "both", "phone": phone}, instance=StaffNotificationPreference(user=editor)
    )
    assert not form.is_valid()
    assert form.errors["phone"] == [message]
