"""Staff handling of tip-offs: permissions, the identity audit, exports, handling, rewards,
statistics, the overdue panel and the status SMS ledger."""

import datetime
import io

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from campaigns.sms.sending.backends import locmem
from tests.factories import logged_in, staff
from tests.tipoffs.helpers import make_report, pdf
from website.tipoffs import services, status_sms
from website.tipoffs.models import Department, Evidence, IdentityAccess, Report, StatusSms

pytestmark = pytest.mark.django_db

PHONE = "+8613912345678"


def url(name, *args):
    return reverse(f"tipoffs_admin:{name}", args=args)


@pytest.fixture(autouse=True)
def _private_evidence(settings, tmp_path):
    settings.TIPOFF_EVIDENCE_ROOT = tmp_path / "evidence"


@pytest.fixture
def handler():
    return staff("handler", "举报受理")


@pytest.fixture
def guardian():
    user = staff("guardian", "举报受理")
    user.groups.add(Group.objects.get(name="举报人信息查看"))
    return User.objects.get(pk=user.pk)


@pytest.fixture
def named_report():
    report, _secret = make_report(
        anonymous=False, name="李建国", phone=PHONE, contact="0737-1234567"
    )
    return report


def test_departments_are_seeded_and_editable():
    names = set(Department.objects.values_list("name", flat=True))
    assert {"公安机关", "市场监管部门", "金融监管部门", "行业主管部门"} <= names


def test_handler_sees_the_report_but_not_the_identity(handler, named_report):
    client = logged_in(handler)
    page = client.get(url("detail", named_report.pk))
    assert page.status_code == 200
    html = page.content.decode()
    assert named_report.reference in html
    assert "李建国" not in html and "13912345678" not in html
    refused = client.get(url("identity", named_report.pk))
    assert refused.status_code == 302 and refused.url == reverse("wagtailadmin_home")
    assert not IdentityAccess.objects.exists()


def test_identity_view_needs_its_permission_and_is_logged(guardian, named_report):
    client = logged_in(guardian)
    html = client.get(url("identity", named_report.pk)).content.decode()
    assert "李建国" in html and PHONE in html
    (access,) = IdentityAccess.objects.all()
    assert (access.user, access.report, access.action) == (guardian, named_report, "view")
    assert access.reference == named_report.reference


def test_public_and_staff_without_permission_get_no_queue(client, named_report):
    assert client.get(url("queue")).status_code == 302  # to the login page
    nobody = User.objects.create_user("nobody", password="x")
    assert logged_in(nobody).get(url("queue")).status_code in (302, 403)


def _sheet(response):
    book = load_workbook(io.BytesIO(b"".join(response)))
    return [[c for c in row] for row in book.active.iter_rows(values_only=True)]


def test_export_leaves_identity_out_without_the_permission(handler, named_report):
    rows = _sheet(logged_in(handler).get(url("export") + "?identity=1"))
    flat = " ".join(str(c) for row in rows for c in row)
    assert named_report.reference in flat
    assert "李建国" not in flat and "13912345678" not in flat
    assert not IdentityAccess.objects.exists()


def test_export_with_identity_is_logged(guardian, named_report):
    rows = _sheet(logged_in(guardian).get(url("export") + "?identity=1"))
    assert "李建国" in " ".join(str(c) for row in rows for c in row)
    assert IdentityAccess.objects.get().action == "export"


def test_evidence_is_served_only_with_permission_and_logged(handler, named_report, client):
    report, _ = make_report(evidence=[_checked_pdf()])
    item = Evidence.objects.get(report=report)
    assert client.get(url("evidence", item.pk)).status_code == 302
    nobody = User.objects.create_user("nobody", password="x")
    nobody.groups.add(Group.objects.get(name="举报人信息查看"))  # identity, not evidence
    refused = logged_in(nobody).get(url("evidence", item.pk))
    assert refused.status_code == 302 and refused.url == reverse("wagtailadmin_home")
    response = logged_in(handler).get(url("evidence", item.pk))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert IdentityAccess.objects.get().action == "evidence"


def _checked_pdf():
    from website.tipoffs.evidence import inspect_upload

    return inspect_upload(pdf())


def test_transfer_needs_a_department_and_close_needs_a_result(handler, named_report):
    client = logged_in(handler)
    response = client.post(
        url("detail", named_report.pk), {"action": "handle", "status": "transferred"}
    )
    assert response.status_code == 400
    assert "移交时请选择移交部门" in response.content.decode()
    response = client.post(url("detail", named_report.pk), {"action": "handle", "status": "closed"})
    assert "办结时请填写办理结果" in response.content.decode()
    assert Report.objects.get().status == "received"


def test_handling_walks_through_every_status_and_texts_each_change_once(handler, named_report):
    Report.objects.filter(pk=named_report.pk).update(phone_confirmed=True)
    client = logged_in(handler)
    police = Department.objects.get(name="公安机关")
    steps = [
        {"status": "verifying"},
        {"status": "transferred", "department": police.pk},
        {"status": "closed", "department": police.pk, "result": "已移送公安机关立案"},
    ]
    for step in steps:
        response = client.post(url("detail", named_report.pk), {"action": "handle", **step})
        assert response.status_code == 302
    report = Report.objects.get()
    assert report.status == "closed" and report.closed_at and report.first_response_at
    assert list(report.status_changes.values_list("status", flat=True)) == [
        "received",
        "verifying",
        "transferred",
        "closed",
    ]
    daytime = timezone.make_aware(datetime.datetime(2026, 6, 1, 10, 0))
    assert status_sms.tick(daytime) == 3
    assert status_sms.tick(daytime) == 0  # a second tick sends nothing again
    texts = [m.text for m in locmem.outbox]
    assert len(texts) == 3 and all(m.to == PHONE for m in locmem.outbox)
    assert "已办结" in texts[-1] and report.reference in texts[-1]
    assert "立案" not in " ".join(texts)  # the result stays internal
    assert set(StatusSms.objects.values_list("status", flat=True)) == {"sent"}


def test_no_status_sms_without_a_confirmed_number(handler, named_report):
    services.change_status(named_report, Report.Status.VERIFYING)
    assert not StatusSms.objects.exists()


def test_status_sms_waits_through_quiet_hours(named_report, settings):
    settings.SMS_QUIET_HOURS = ("21:00", "08:00")
    Report.objects.filter(pk=named_report.pk).update(phone_confirmed=True)
    named_report.refresh_from_db()
    services.change_status(named_report, Report.Status.VERIFYING)
    night = timezone.make_aware(datetime.datetime(2026, 6, 1, 23, 0))
    assert status_sms.tick(night) == 0 and locmem.outbox == []
    assert status_sms.tick(night + datetime.timedelta(hours=10)) == 1


def test_duplicates_are_suggested_and_linkable(handler):
    first, _ = make_report(firm_name="金丰养老服务有限公司")
    second, _ = make_report(firm_name="金丰养老服务 公司")
    unrelated, _ = make_report(firm_name="别的公司", credit_code="")
    assert list(services.duplicates_of(second)) == [first]
    client = logged_in(handler)
    html = client.get(url("detail", second.pk)).content.decode()
    assert first.reference in html and unrelated.reference not in html
    client.post(url("detail", second.pk), {"action": "duplicate", "other": first.pk})
    assert Report.objects.get(pk=second.pk).duplicate_of == first


def test_first_report_rule_for_rewards(handler):
    first, _ = make_report(credit_code="91430900MA4L0000XX")
    later, _ = make_report(firm_name="另一个名字", credit_code="91430900MA4L0000XX")
    client = logged_in(handler)
    refused = client.post(
        url("detail", later.pk),
        {"action": "reward", "reward_eligible": "true", "reward_amount": "500"},
    )
    assert refused.status_code == 400 and first.reference in refused.content.decode()
    ok = client.post(
        url("detail", first.pk),
        {
            "action": "reward",
            "reward_eligible": "true",
            "reward_amount": "500",
            "reward_paid_on": "2026-06-01",
        },
    )
    assert ok.status_code == 302
    first.refresh_from_db()
    assert first.reward_eligible and first.reward_first_report and first.reward_amount == 500


def test_notes_are_internal_and_count_as_first_response(handler, named_report, client):
    logged_in(handler).post(
        url("detail", named_report.pk), {"action": "note", "body": "已电话联系社区"}
    )
    report = Report.objects.get()
    assert report.notes.get().body == "已电话联系社区" and report.first_response_at


def test_overdue_reports_show_on_the_dashboard(handler):
    late, _ = make_report()
    Report.objects.filter(pk=late.pk).update(
        respond_by=timezone.localdate() - datetime.timedelta(days=1)
    )
    make_report()
    html = logged_in(handler).get(reverse("wagtailadmin_home")).content.decode()
    assert "逾期未响应的举报" in html and late.reference in html
    assert list(services.overdue()) == [Report.objects.get(pk=late.pk)]


def test_statistics_and_their_xlsx(handler):
    make_report(channel="wechat")
    make_report(channel="offline")
    client = logged_in(handler)
    html = client.get(url("stats")).content.decode()
    assert "<svg" in html and "微信群或朋友圈" in html
    rows = _sheet(client.get(url("stats_export")))
    assert rows[0] == ["幌子", "举报数"]


def test_identity_is_erased_after_the_retention_period(named_report, settings):
    settings.TIPOFF_IDENTITY_RETENTION_DAYS = 30
    services.change_status(named_report, Report.Status.CLOSED)
    assert services.erase_expired_identities() == 0
    later = timezone.now() + datetime.timedelta(days=31)
    assert services.erase_expired_identities(later) == 1
    report = Report.objects.get()
    assert report.identity_token == "" and report.identity_erased_at
    assert services.identity_of(report) == {}


def test_key_rotation_reencrypts_with_the_new_key(named_report, settings):
    from cryptography.fernet import Fernet
    from django.core.management import call_command

    from website.tipoffs import crypto

    old = crypto._keys()[0]
    settings.TIPOFF_ENCRYPTION_KEYS = [Fernet.generate_key().decode(), old]
    call_command("rotate_tipoff_keys", stdout=io.StringIO())
    settings.TIPOFF_ENCRYPTION_KEYS = settings.TIPOFF_ENCRYPTION_KEYS[:1]
    assert services.identity_of(Report.objects.get())["name"] == "李建国"


@pytest.mark.parametrize(
    "query",
    ["", "?status=all", "?status=closed&q=JB", "?overdue=1&mine=1", "?status=%00&q=%00&p=x"],
)
def test_queue_lists_and_filters_without_identity(handler, named_report, query):
    response = logged_in(handler).get(url("queue") + query)
    assert response.status_code == 200
    assert "李建国" not in response.content.decode()


def test_audit_log_is_for_identity_holders_only(handler, guardian, named_report):
    logged_in(guardian).get(url("identity", named_report.pk))
    html = logged_in(guardian).get(url("audit")).content.decode()
    assert named_report.reference in html and "guardian" in html
    assert logged_in(handler).get(url("audit")).status_code == 302
