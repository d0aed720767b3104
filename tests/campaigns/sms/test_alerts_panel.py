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
