"""Admin view helpers shared by every staff page: times in Asia/Shanghai, the permission
check (one permission or several, all needed), and menu items shown only to those allowed."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser, Permission, User
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from django.utils import timezone

from website.core.admin_menu import PermissionMenuItem
from website.core.admin_views import SECONDS, StaffTemplateView, has_permissions, local_time

pytestmark = pytest.mark.django_db


def test_local_time_is_the_sites_zone_whatever_zone_is_active():
    moment = datetime.datetime(2025, 1, 2, 23, 30, 5, tzinfo=datetime.UTC)
    with timezone.override("America/New_York"):
        assert local_time(moment) == "2025-01-03 07:30"
        assert local_time(moment, SECONDS) == "2025-01-03 07:30:05"
    assert local_time(None) == ""


def user_with(*codenames):
    user = User.objects.create_user(f"u{User.objects.count()}", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    return User.objects.get(pk=user.pk)  # a fresh object: permissions are cached per object


def test_several_permissions_are_all_needed():
    both = user_with("add_question", "change_question")
    one = user_with("change_question")
    needed = ("quiz.add_question", "quiz.change_question")
    assert has_permissions(both, needed) and not has_permissions(one, needed)
    assert has_permissions(one, "quiz.change_question") and has_permissions(one, None)


class Page(StaffTemplateView):
    permission_required = ("quiz.add_question", "quiz.change_question")
    template_name = "wagtailadmin/generic/base.html"
    page_title = "页面"


def test_a_staff_page_refuses_anyone_without_every_permission():
    request = RequestFactory().get("/")
    for user in (user_with("change_question"), AnonymousUser()):
        request.user = user
        with pytest.raises(PermissionDenied):
            Page.as_view()(request)
    request.user = user_with("add_question", "change_question")
    response = Page.as_view()(request)
    assert response.status_code == 200
    assert response.context_data["breadcrumbs_items"][-1]["label"] == "页面"


def test_a_permission_menu_item_shows_only_to_those_allowed():
    item = PermissionMenuItem("导入题目", "/admin/quiz/questions/import/", "quiz.change_question")
    request = RequestFactory().get("/admin/")
    request.user = user_with("change_question")
    assert item.is_shown(request)
    request.user = user_with("view_question")
    assert not item.is_shown(request)
