"""Staff alerts on the Wagtail admin dashboard, for those allowed to see them."""

import datetime

import pytest
from django.contrib.auth.models import Permission, User
from django.utils import timezone

from campaigns.models import StaffAlert
from campaigns.sms import limits
from tests.campaigns.sms import factories
from tests.factories import logged_in

pytestmark = pytest.mark.django_db


def test_the_dashboard_shows_recent_alerts_to_those_who_may_see_them():
    limits.alert_pressure(timezone.now())
    reviewer = factories.staff("shenhe", "审核员")
    page = logged_in(reviewer).get("/admin/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "系统提醒（近 7 天）" in body and "短信验证码请求异常增多" in body


def test_the_dashboard_hides_alerts_from_users_without_the_permission():
    limits.alert_pressure(timezone.now())
    user = User.objects.create_user("guest", password="pw-123456789")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    body = logged_in(user).get("/admin/").content.decode()
    assert "短信验证码请求异常增多" not in body


def test_old_alerts_leave_the_dashboard():
    StaffAlert.objects.create(
        kind="old", message="上个月的提醒", created_at=timezone.now() - datetime.timedelta(days=30)
    )
    reviewer = factories.staff("shenhe", "审核员")
    body = logged_in(reviewer).get("/admin/").content.decode()
    assert "上个月的提醒" not in body and "系统提醒（近 7 天）" not in body


def test_a_resolved_alert_leaves_the_dashboard_and_the_list_says_who_resolved_it():
    limits.alert_pressure(timezone.now())
    alert = StaffAlert.objects.get()
    reviewer = factories.staff("shenhe", "审核员")
    client = logged_in(reviewer)
    assert "标为已处理" in client.get("/admin/").content.decode()
    response = client.post(f"/admin/sms/alerts/{alert.pk}/resolve/", {"next": "/admin/"})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    alert.refresh_from_db()
    assert alert.resolved_by == reviewer and alert.resolved_at is not None
    assert "短信验证码请求异常增多" not in client.get("/admin/").content.decode()
    listing = client.get("/admin/sms/alerts/").content.decode()
    assert "短信验证码请求异常增多" in listing and "shenhe 于" in listing


def test_only_open_alerts_are_on_the_dashboard():
    StaffAlert.objects.create(kind="a", message="已经处理的提醒", resolved_at=timezone.now())
    StaffAlert.objects.create(kind="b", message="还没处理的提醒")
    body = logged_in(factories.staff("shenhe", "审核员")).get("/admin/").content.decode()
    assert "还没处理的提醒" in body and "已经处理的提醒" not in body


def test_resolving_needs_the_permission_and_a_post():
    alert = StaffAlert.objects.create(kind="a", message="提醒")
    editor = factories.staff("bianji", "编辑")
    assert logged_in(editor).post(f"/admin/sms/alerts/{alert.pk}/resolve/").status_code in (
        302,
        403,
    )
    reviewer = logged_in(factories.staff("shenhe", "审核员"))
    assert reviewer.get(f"/admin/sms/alerts/{alert.pk}/resolve/").status_code == 405
    alert.refresh_from_db()
    assert alert.is_open


def test_an_outside_next_address_is_not_followed():
    alert = StaffAlert.objects.create(kind="a", message="提醒")
    client = logged_in(factories.staff("shenhe", "审核员"))
    response = client.post(
        f"/admin/sms/alerts/{alert.pk}/resolve/", {"next": "https://evil.example/"}
    )
    assert response["Location"] == "/admin/sms/alerts/"
