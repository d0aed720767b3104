"""SMS blasts in the Wagtail admin: compose, preview, the two-person rule, actions, progress."""

import datetime
import re

import pytest
from django.contrib.auth.models import Permission, User
from django.contrib.messages import get_messages
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone
from wagtail.admin.menu import admin_menu

from campaigns.models import SmsBlast, SmsDelivery
from campaigns.sms import blast_actions as actions
from campaigns.sms import delivery
from campaigns.sms import text as sms_text
from tests.campaigns.sms import factories
from tests.factories import logged_in
from website.taxonomy.models import Audience, Region

pytestmark = pytest.mark.django_db
S = SmsBlast.Status


@pytest.fixture
def author():
    return factories.staff("author", "编辑")


@pytest.fixture
def reviewer():
    return factories.staff("reviewer", "审核员")


@pytest.fixture
def other_editor():
    return factories.staff("other", "编辑")


@pytest.fixture
def outsider():
    """A staff member who may use the admin but holds no SMS permission."""
    user = User.objects.create_user("outsider", password="pw-123456789")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    return user


def url(name, *args):
    return reverse(f"campaigns_admin:{name}", args=args)


def post_action(client, blast, action, **data):
    """POST an action; approve and reject name the current version unless told otherwise."""
    if action in ("approve", "reject"):
        data.setdefault("fingerprint", SmsBlast.objects.get(pk=blast.pk).fingerprint())
    return client.post(url("blast_action", blast.pk, action), data, follow=True)


def seen_fingerprint(client, blast):
    """The version an approve form on the preview page, as loaded now, carries."""
    html = client.get(url("blast_preview", blast.pk)).content.decode()
    return re.search(r'name="fingerprint" value="(\w+)"', html).group(1)


def message_texts(response):
    return [str(m).strip() for m in get_messages(response.wsgi_request)]


def action_buttons(response):
    """The action URLs offered on a page (each is a POST form)."""
    return set(re.findall(r'action="/admin/sms/blasts/\d+/(\w+)/"', response.content.decode()))


def submitted_blast(author, **kw):
    blast = factories.blast(author=author, **kw)
    actions.record_created(blast, author)
    return actions.submit(blast, author)


# -- permissions -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    "name, args",
    [
        ("blasts", ()),
        ("blast_create", ()),
        ("blast_detail", (1,)),
        ("blast_preview", (1,)),
        ("blast_progress", (1,)),
    ],
)
def test_anonymous_visitors_are_sent_to_the_login_page(client, name, args):
    response = client.get(url(name, *args))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("wagtailadmin_login"))


def test_staff_without_sms_permissions_are_denied(outsider, author):
    blast = factories.blast(author=author)
    client = logged_in(outsider)
    for name, args in [
        ("blasts", ()),
        ("blast_create", ()),
        ("blast_detail", (blast.pk,)),
        ("blast_preview", (blast.pk,)),
        ("blast_progress", (blast.pk,)),
        ("blast_edit", (blast.pk,)),
    ]:
        # Wagtail turns PermissionDenied into its "no permission" message on the dashboard.
        response = client.get(url(name, *args), follow=True)
        assert response.redirect_chain == [(reverse("wagtailadmin_home"), 302)], name
        assert len(message_texts(response)) == 1, name
    xhr = client.get(
        url("blast_progress", blast.pk), headers={"x-requested-with": "XMLHttpRequest"}
    )
    assert xhr.status_code == 403
    client.post(url("blast_action", blast.pk, "submit"))
    assert SmsBlast.objects.get(pk=blast.pk).status == S.DRAFT


def test_sms_menu_shows_each_item_to_those_allowed_to_see_it(author, reviewer, outsider):
    def labels(user):
        request = RequestFactory().get("/admin/")
        request.user = user
        sms = [i for i in admin_menu.menu_items_for_request(request) if i.name == "sms"]
        if not sms:
            return []
        return [str(i.label) for i in sms[0].menu.menu_items_for_request(request)]

    assert labels(author) == ["短信群发", "短信模板", "短信分群", "订阅者"]
    assert labels(reviewer) == ["短信群发", "短信模板", "短信分群", "订阅者", "系统提醒"]
    assert labels(outsider) == []


def test_blast_list_shows_status_counts_author_and_date(author, reviewer):
    for _ in range(3):
        factories.subscriber()
    blast = submitted_blast(author)
    actions.approve(blast, reviewer, fingerprint=blast.fingerprint())
    delivery.plan_blast(blast.pk)
    SmsDelivery.objects.filter(pk=SmsDelivery.objects.first().pk).update(
        status=SmsDelivery.Status.FAILED, error_code="E1"
    )
    SmsDelivery.objects.filter(status=SmsDelivery.Status.QUEUED).update(
        status=SmsDelivery.Status.SUBMITTED
    )
    response = logged_in(author).get(url("blasts"))
    assert response.status_code == 200
    row = re.search(r"<tr[^>]*>(?:(?!</tr>).)*测试群发.*?</tr>", response.content.decode(), re.S)
    cells = [re.sub(r"<[^>]+>|\s+", "", c) for c in re.findall(r"<td.*?</td>", row.group(0), re.S)]
    assert cells[1:6] == ["发送中", "3", "2", "1", "author"]


# -- compose and edit ------------------------------------------------------------------------
def test_compose_form_shows_signature_opt_out_and_a_counter_that_works_without_js(author):
    response = logged_in(author).get(url("blast_create"))
    html = response.content.decode()
    assert "【防非】" in html and "回T退订" in html
    assert "data-sms-counter" in html and "campaigns/blast-admin.js" in html
    empty = sms_text.compose("", "")
    assert re.search(rf"data-sms-chars>{len(empty)}<", html)


def test_composing_saves_a_draft_logs_it_and_shows_the_preview(author):
    elderly = Audience.objects.get(slug="elderly")
    county = Region.objects.get(code="430922")
    response = logged_in(author).post(
        url("blast_create"),
        {
            "title": "养老诈骗提醒",
            "body": "  警惕以养老服务为名的非法集资。  ",
            "audiences": [elderly.pk],
            "regions": [county.pk],
            "send_at": "",
        },
    )
    blast = SmsBlast.objects.get()
    assert response.status_code == 302 and response["Location"] == url("blast_preview", blast.pk)
    assert blast.status == S.DRAFT and blast.created_by == author
    assert blast.body == "警惕以养老服务为名的非法集资。"
    assert list(blast.audiences.all()) == [elderly] and list(blast.regions.all()) == [county]
    assert list(blast.audit_log.values_list("action", "actor__username")) == [("create", "author")]


@pytest.mark.parametrize(
    "body, message",
    [("", "请填写短信正文"), ("   ", "请填写短信正文"), ("字" * 501, "最多 500 个字")],
)
def test_compose_refuses_bad_bodies_with_chinese_messages(author, body, message):
    response = logged_in(author).post(url("blast_create"), {"title": "t", "body": body})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not SmsBlast.objects.exists()


def test_compose_refuses_a_send_time_in_the_past(author):
    response = logged_in(author).post(
        url("blast_create"), {"title": "t", "body": "正文", "send_at": "2020-01-01 09:00"}
    )
    assert "发送时间不能早于现在" in response.content.decode()
    assert not SmsBlast.objects.exists()


def test_editing_a_pending_blast_sends_it_back_to_draft_and_is_logged(author):
    blast = submitted_blast(author)
    response = logged_in(author).post(
        url("blast_edit", blast.pk), {"title": blast.title, "body": "新的正文。"}
    )
    assert response.status_code == 302
    blast.refresh_from_db()
    assert blast.status == S.DRAFT and blast.body == "新的正文。"
    edit = blast.audit_log.last()
    assert (edit.action, edit.actor, edit.detail) == (
        "edit",
        author,
        {"fields": ["body"], "reopened": True},
    )


def test_only_the_author_edits_a_blast(author, reviewer):
    blast = submitted_blast(author)
    client = logged_in(reviewer)
    response = client.post(
        url("blast_edit", blast.pk), {"title": "x", "body": "改过了"}, follow=True
    )
    assert "只有撰写人可以修改" in " ".join(message_texts(response))
    blast.refresh_from_db()
    assert blast.body != "改过了" and blast.status == S.PENDING


@pytest.mark.parametrize("status", [S.APPROVED, S.SENDING, S.PAUSED, S.COMPLETED, S.CANCELLED])
def test_only_draft_and_pending_blasts_are_editable(author, status):
    blast = factories.blast(author=author, status=status)
    client = logged_in(author)
    response = client.get(url("blast_edit", blast.pk), follow=True)
    assert "只有草稿或待审批的群发可以修改" in " ".join(message_texts(response))
    client.post(url("blast_edit", blast.pk), {"title": "x", "body": "改过了"})
    blast.refresh_from_db()
    assert blast.body != "改过了" and blast.status == status
    assert not blast.audit_log.filter(action="edit").exists()


# -- preview -------------------------------------------------------------------------------------
def number(html, name):
    return int(re.search(rf"data-preview-{name}>(\d+)<", html).group(1))


def test_preview_shows_the_exact_message_its_segments_and_recipients_now(author):
    factories.subscriber(("elderly",), "430922100201")
    factories.subscriber(("elderly",), "430922101")
    factories.subscriber(("elderly",), "430104")  # other county
    factories.subscriber(("students",), "430922")  # other audience
    factories.subscriber(("elderly",), "430922", status="unsubscribed")
    blast = factories.blast(author=author, audiences=["elderly"], regions=["430922"])
    html = logged_in(author).get(url("blast_preview", blast.pk)).content.decode()
    text = blast.preview_text()
    assert text.startswith("【防非】警惕以养老服务为名的非法集资。") and text.endswith("回T退订")
    assert text in html
    assert number(html, "chars") == len(text)
    assert number(html, "segments") == 1
    assert number(html, "recipients") == 2 == blast.recipients().count()


def test_preview_and_compose_say_how_links_and_the_opt_out_are_sent(author):
    blast = factories.blast(author=author, audiences=["elderly"], regions=["430922"])
    client = logged_in(author)
    assert "批准后发出的就是这段文字" in client.get(url("blast_preview", blast.pk)).content.decode()
    compose = client.get(url("blast_edit", blast.pk)).content.decode()
    assert "退订语“回T退订”自动加在结尾" in compose and "换成本站短链接" in compose
    assert blast.preview_text().endswith(sms_text.OPT_OUT)


def test_preview_counts_billed_segments_of_a_long_message(author):
    blast = factories.blast(author=author, body="请勿轻信高额回报。" * 12)
    html = logged_in(author).get(url("blast_preview", blast.pk)).content.decode()
    length = len(blast.preview_text())
    assert length > 70
    assert number(html, "chars") == length
    assert number(html, "segments") == -(-length // 67) == blast.segments


# -- the two-person rule -------------------------------------------------------------------------
def test_author_sees_no_approve_button_and_a_forged_approval_fails(author):
    blast = factories.blast(author=author)
    client = logged_in(author)
    assert action_buttons(client.get(url("blast_preview", blast.pk))) == {"submit", "cancel"}
    post_action(client, blast, "submit")
    blast.refresh_from_db()
    assert blast.status == S.PENDING
    assert "approve" not in action_buttons(client.get(url("blast_preview", blast.pk)))
    response = post_action(client, blast, "approve")
    assert any("没有批准" in m for m in message_texts(response))
    blast.refresh_from_db()
    assert blast.status == S.PENDING and blast.approved_by is None


def test_reviewer_who_wrote_the_blast_cannot_approve_it(reviewer):
    blast = submitted_blast(reviewer)
    client = logged_in(reviewer)
    assert "approve" not in action_buttons(client.get(url("blast_preview", blast.pk)))
    response = post_action(client, blast, "approve")
    assert any("撰写人不能批准" in m for m in message_texts(response))
    assert SmsBlast.objects.get(pk=blast.pk).status == S.PENDING


def test_another_editor_cannot_approve(author, other_editor):
    blast = submitted_blast(author)
    client = logged_in(other_editor)
    assert "approve" not in action_buttons(client.get(url("blast_preview", blast.pk)))
    response = post_action(client, blast, "approve")
    assert any("没有批准" in m for m in message_texts(response))
    assert SmsBlast.objects.get(pk=blast.pk).status == S.PENDING


def test_a_reviewer_approves_someone_elses_blast(author, reviewer):
    blast = submitted_blast(author)
    client = logged_in(reviewer)
    assert action_buttons(client.get(url("blast_preview", blast.pk))) == {
        "approve",
        "reject",
        "cancel",
    }
    response = post_action(client, blast, "approve")
    assert "已批准。" in message_texts(response)
    assert response.redirect_chain[-1][0] == url("blast_detail", blast.pk)
    blast.refresh_from_db()
    assert blast.status == S.APPROVED and blast.approved_by == reviewer


def test_rejecting_returns_the_blast_to_draft_with_the_reason(author, reviewer):
    blast = submitted_blast(author)
    post_action(logged_in(reviewer), blast, "reject", reason="请补充举报电话。")
    blast.refresh_from_db()
    assert blast.status == S.DRAFT
    assert blast.audit_log.last().detail == {"reason": "请补充举报电话。"}
    detail = logged_in(author).get(url("blast_detail", blast.pk)).content.decode()
    assert "理由：请补充举报电话。" in detail


def test_an_editor_cannot_reject(author, other_editor):
    blast = submitted_blast(author)
    response = post_action(logged_in(other_editor), blast, "reject", reason="x")
    assert "您没有进行此操作的权限。" in message_texts(response)
    assert SmsBlast.objects.get(pk=blast.pk).status == S.PENDING


def test_a_refused_action_changes_nothing_and_says_why(author, reviewer):
    blast = factories.blast(author=author)  # a draft: nothing to approve yet
    response = post_action(logged_in(reviewer), blast, "approve")
    assert any("当前状态“草稿”下不能进行此操作" in m for m in message_texts(response))
    assert SmsBlast.objects.get(pk=blast.pk).status == S.DRAFT
    assert not blast.audit_log.exists()


def test_actions_need_post_and_a_csrf_token(author):
    blast = factories.blast(author=author)
    client = logged_in(author)
    assert client.get(url("blast_action", blast.pk, "submit")).status_code == 405
    assert client.post(url("blast_action", blast.pk, "explode")).status_code == 404
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(author)
    assert strict.post(url("blast_action", blast.pk, "submit")).status_code == 403
    assert SmsBlast.objects.get(pk=blast.pk).status == S.DRAFT


def test_action_redirects_only_to_this_site(author):
    blast = factories.blast(author=author)
    response = logged_in(author).post(
        url("blast_action", blast.pk, "submit"), {"next": "https://evil.example/"}
    )
    assert response["Location"] == url("blast_detail", blast.pk)


def test_every_action_through_the_admin_is_in_the_audit_log(author, reviewer):
    elderly = Audience.objects.get(slug="elderly")
    writer, approver = logged_in(author), logged_in(reviewer)
    writer.post(url("blast_create"), {"title": "t", "body": "第一版", "audiences": [elderly.pk]})
    blast = SmsBlast.objects.get()
    post_action(writer, blast, "submit")
    post_action(approver, blast, "reject", reason="太短")
    writer.post(url("blast_edit", blast.pk), {"title": "t", "body": "第二版"})
    post_action(writer, blast, "submit")
    post_action(approver, blast, "approve")
    post_action(approver, blast, "pause")
    post_action(writer, blast, "resume")  # refused: only a reviewer lifts a pause
    post_action(approver, blast, "resume")
    post_action(writer, blast, "cancel")
    expected = [
        ("create", "author"),
        ("submit", "author"),
        ("reject", "reviewer"),
        ("edit", "author"),
        ("submit", "author"),
        ("approve", "reviewer"),
        ("pause", "reviewer"),
        ("resume", "reviewer"),
        ("cancel", "author"),
    ]
    assert list(blast.audit_log.values_list("action", "actor__username")) == expected
    html = writer.get(url("blast_detail", blast.pk)).content.decode()
    table = html[html.index("sms-audit-log") :]
    rows = re.findall(r"<tr><td>([\d: -]+)</td><td>(\w+)</td><td>([^<]+)</td>", table)
    assert [(who, what) for _when, who, what in rows] == [
        ("author", "创建"),
        ("author", "提交审批"),
        ("reviewer", "退回"),
        ("author", "修改"),
        ("author", "提交审批"),
        ("reviewer", "批准"),
        ("reviewer", "暂停"),
        ("reviewer", "继续"),
        ("author", "取消"),
    ]
    assert "修改了：人群、短信正文" in table  # the edit cleared the audiences, too
    assert SmsBlast.objects.get(pk=blast.pk).status == S.CANCELLED


def test_audit_log_times_are_shown_in_beijing_time(author):
    blast = factories.blast(author=author)
    actions.record_created(blast, author)
    entry = blast.audit_log.get()
    entry.at = datetime.datetime(2025, 1, 2, 23, 30, 5, tzinfo=datetime.UTC)
    entry.save()
    html = logged_in(author).get(url("blast_detail", blast.pk)).content.decode()
    assert "2025-01-03 07:30:05" in html  # 23:30 UTC is 07:30 the next day in Asia/Shanghai


# -- detail and progress --------------------------------------------------------------------------
def sent_blast(author, reviewer, people=4, fail=1):
    for _ in range(people):
        factories.subscriber()
    blast = submitted_blast(author)
    actions.approve(blast, reviewer, fingerprint=blast.fingerprint())
    delivery.plan_blast(blast.pk)
    while delivery.send_one_batch(SmsBlast.objects.get(pk=blast.pk), size=2):
        pass
    for row in SmsDelivery.objects.filter(blast=blast).order_by("pk")[:fail]:
        SmsDelivery.objects.filter(pk=row.pk).update(
            status=SmsDelivery.Status.FAILED, error_code="E_BLACKLIST"
        )
    return SmsBlast.objects.get(pk=blast.pk)


def test_progress_endpoint_returns_live_counts_as_json(author, reviewer):
    blast = sent_blast(author, reviewer, people=4, fail=1)
    response = logged_in(author).get(url("blast_progress", blast.pk))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    data = response.json()
    assert data["status"] == "sending" and data["status_label"] == "发送中"
    assert {k: data[k] for k in ("planned", "submitted", "failed", "skipped", "in_flight")} == {
        "planned": 4,
        "submitted": 3,
        "failed": 1,
        "skipped": 0,
        "in_flight": 0,
    }
    assert data["percent"] == 100 and data["finished"] is False and data["quiet_note"] == ""


def test_progress_endpoint_of_a_blast_not_yet_planned(author):
    blast = factories.blast(author=author)
    data = logged_in(author).get(url("blast_progress", blast.pk)).json()
    assert data["planned"] == 0 and data["percent"] == 0


def test_detail_page_has_a_progress_bar_chart_and_error_breakdown(author, reviewer):
    blast = sent_blast(author, reviewer, people=4, fail=1)
    html = logged_in(author).get(url("blast_detail", blast.pk)).content.decode()
    assert 'role="progressbar"' in html and 'aria-valuenow="100"' in html
    assert '<dd data-field="planned">4</dd>' in html
    assert '<dd data-field="submitted">3</dd>' in html
    assert '<dd data-field="failed">1</dd>' in html
    assert "<svg" in html and 'data-bar="submitted"' in html
    assert "E_BLACKLIST" in html
    assert 'http-equiv="refresh"' not in html
    assert "data-refresh-link" in html  # the no-JavaScript fallback
    assert f'data-progress-url="{url("blast_progress", blast.pk)}"' in html


def test_detail_page_says_when_quiet_hours_hold_the_blast(author, settings, monkeypatch):
    settings.SMS_QUIET_HOURS = ("21:00", "08:00")
    monkeypatch.setattr(delivery, "in_quiet_hours", lambda now=None: True)
    resume = timezone.make_aware(datetime.datetime(2025, 3, 5, 8, 0))
    monkeypatch.setattr(delivery, "quiet_hours_end", lambda now=None: resume)
    blast = factories.blast(author=author, status=S.SENDING)
    html = logged_in(author).get(url("blast_detail", blast.pk)).content.decode()
    assert "静默时段（21:00–08:00）暂停发送，将于 03月05日 08:00 恢复" in html
    assert "静默时段" in logged_in(author).get(url("blast_progress", blast.pk)).json()["quiet_note"]
    draft = factories.blast(author=author)
    assert "静默时段（" not in logged_in(author).get(url("blast_detail", draft.pk)).content.decode()


def test_pause_resume_and_cancel_from_the_detail_page(author, reviewer):
    blast = sent_blast(author, reviewer, people=0, fail=0)
    SmsBlast.objects.filter(pk=blast.pk).update(status=S.SENDING)
    client = logged_in(author)
    assert action_buttons(client.get(url("blast_detail", blast.pk))) == {"pause", "cancel"}
    post_action(client, blast, "pause")
    assert SmsBlast.objects.get(pk=blast.pk).status == S.PAUSED
    assert action_buttons(client.get(url("blast_detail", blast.pk))) == {"cancel"}
    approver = logged_in(reviewer)
    assert action_buttons(approver.get(url("blast_detail", blast.pk))) == {"resume", "cancel"}
    post_action(approver, blast, "resume")
    assert SmsBlast.objects.get(pk=blast.pk).status == S.SENDING
    post_action(client, blast, "cancel")
    assert SmsBlast.objects.get(pk=blast.pk).status == S.CANCELLED
    assert action_buttons(client.get(url("blast_detail", blast.pk))) == set()


def test_only_a_blast_that_may_be_sending_is_polled(author):
    client = logged_in(author)
    for status, polled in [
        (S.DRAFT, False),
        (S.PENDING, False),
        (S.APPROVED, True),
        (S.SENDING, True),
        (S.PAUSED, True),
        (S.COMPLETED, False),
        (S.CANCELLED, False),
    ]:
        blast = factories.blast(author=author, status=status)
        html = client.get(url("blast_detail", blast.pk)).content.decode()
        assert ("data-finished" not in html) == polled, status


def test_approval_of_a_scheduled_blast_shows_the_send_time_in_the_log(author, reviewer):
    send_at = timezone.now().replace(microsecond=0) + datetime.timedelta(days=1)
    blast = submitted_blast(author, send_at=send_at)
    post_action(logged_in(reviewer), blast, "approve")
    html = logged_in(author).get(url("blast_detail", blast.pk)).content.decode()
    shanghai = timezone.localtime(send_at, datetime.timezone(datetime.timedelta(hours=8)))
    assert f"计划发送时间：{shanghai:%Y-%m-%d %H:%M:%S}" in html


# -- an approval binds to what the reviewer saw --------------------------------------------------
def test_a_stale_approval_is_refused_and_nothing_is_sent(author, reviewer):
    factories.subscriber()
    blast = submitted_blast(author, body="五一假期前后，警惕养老服务类非法集资。")
    writer, approver = logged_in(author), logged_in(reviewer)
    seen = seen_fingerprint(approver, blast)  # the reviewer opens the preview …
    # (An http:// address of another site is refused by the form itself, see test_blast_cost.)
    writer.post(url("blast_edit", blast.pk), {"title": "t", "body": "领补贴请登录 evil.example"})
    post_action(writer, blast, "submit")  # … the author changes the text and submits again
    assert SmsBlast.objects.get(pk=blast.pk).status == S.PENDING

    response = post_action(approver, blast, "approve", fingerprint=seen)

    assert any("在您打开页面后已被修改" in m for m in message_texts(response))
    assert response.redirect_chain[-1][0] == url("blast_preview", blast.pk)
    blast.refresh_from_db()
    assert blast.status == S.PENDING and blast.approved_by is None
    delivery.plan_blast(blast.pk)
    assert not SmsDelivery.objects.filter(blast=blast).exists()
    assert blast.audit_log.last().action == "stale"
    detail = writer.get(url("blast_detail", blast.pk)).content.decode()
    assert "页面打开后内容已被修改，未执行“批准”" in detail

    # Reloaded, the preview shows the new text, and approving what is shown goes through.
    assert "evil.example" in approver.get(url("blast_preview", blast.pk)).content.decode()
    post_action(approver, blast, "approve", fingerprint=seen_fingerprint(approver, blast))
    assert SmsBlast.objects.get(pk=blast.pk).status == S.APPROVED


def test_a_stale_rejection_is_refused(author, reviewer):
    blast = submitted_blast(author)
    approver = logged_in(reviewer)
    seen = seen_fingerprint(approver, blast)
    writer = logged_in(author)
    writer.post(url("blast_edit", blast.pk), {"title": "t", "body": "第二版"})
    post_action(writer, blast, "submit")
    response = post_action(approver, blast, "reject", fingerprint=seen, reason="第一版太短")
    assert any("在您打开页面后已被修改" in m for m in message_texts(response))
    assert SmsBlast.objects.get(pk=blast.pk).status == S.PENDING


def test_an_approval_that_names_no_version_is_refused(author, reviewer):
    blast = submitted_blast(author)
    response = post_action(logged_in(reviewer), blast, "approve", fingerprint="")
    assert any("在您打开页面后已被修改" in m for m in message_texts(response))
    assert SmsBlast.objects.get(pk=blast.pk).status == S.PENDING


def test_a_segment_change_after_submission_goes_back_for_review_and_is_logged(author, reviewer):
    blast = submitted_blast(author, audiences=["elderly"])
    approver = logged_in(reviewer)
    seen = seen_fingerprint(approver, blast)
    writer = logged_in(author)
    writer.post(url("blast_edit", blast.pk), {"title": "测试群发", "body": blast.body})
    blast.refresh_from_db()
    assert blast.status == S.DRAFT
    assert blast.audit_log.last().detail == {"fields": ["audiences"], "reopened": True}
    assert "已退回草稿，需重新审批" in writer.get(url("blast_detail", blast.pk)).content.decode()
    post_action(writer, blast, "submit")
    post_action(approver, blast, "approve", fingerprint=seen)
    assert SmsBlast.objects.get(pk=blast.pk).status == S.PENDING


def test_approve_and_reject_are_offered_only_beside_the_full_text(author, reviewer):
    blast = submitted_blast(author)
    approver = logged_in(reviewer)
    detail = approver.get(url("blast_detail", blast.pk))
    assert action_buttons(detail) == {"cancel"}
    assert "批准或退回请在预览页进行" in detail.content.decode()
    preview = approver.get(url("blast_preview", blast.pk)).content.decode()
    assert preview.count(f'name="fingerprint" value="{blast.fingerprint()}"') == 2


# -- a pause is lifted only by someone who may approve --------------------------------------------
def test_an_editor_cannot_resume_a_reviewers_pause(author, reviewer):
    blast = sent_blast(author, reviewer, people=0, fail=0)
    SmsBlast.objects.filter(pk=blast.pk).update(status=S.SENDING)
    approver, writer = logged_in(reviewer), logged_in(author)
    post_action(approver, blast, "pause")

    assert "resume" not in action_buttons(writer.get(url("blast_detail", blast.pk)))
    response = post_action(writer, blast, "resume")

    assert any("只有有批准权限的审核员可以继续发送" in m for m in message_texts(response))
    assert SmsBlast.objects.get(pk=blast.pk).status == S.PAUSED
    post_action(approver, blast, "resume")
    assert SmsBlast.objects.get(pk=blast.pk).status == S.SENDING
    assert blast.audit_log.last().action == "resume"
    assert blast.audit_log.last().actor == reviewer
    html = writer.get(url("blast_detail", blast.pk)).content.decode()
    table = html[html.index("sms-audit-log") :]
    assert re.search(r"<td>reviewer</td><td>继续</td>", table)


def test_an_editor_may_still_pause_a_running_blast(author, reviewer):
    blast = sent_blast(author, reviewer, people=0, fail=0)
    SmsBlast.objects.filter(pk=blast.pk).update(status=S.SENDING)
    post_action(logged_in(factories.staff("other", "编辑")), blast, "pause")
    assert SmsBlast.objects.get(pk=blast.pk).status == S.PAUSED
