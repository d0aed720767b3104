"""What every staff view of the project's own admin pages shares: a permission check, the
Wagtail admin chrome, and times shown in the site's zone (Asia/Shanghai)."""

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

MINUTES = "%Y-%m-%d %H:%M"
SECONDS = "%Y-%m-%d %H:%M:%S"


def local_time(value, fmt=MINUTES):
    """Return the aware datetime ``value`` as text in the site's time zone (``TIME_ZONE``,
    whatever zone a request activated), or "" for None."""
    if not value:
        return ""
    return timezone.localtime(value, timezone.get_default_timezone()).strftime(fmt)


def has_permissions(user, permissions):
    """Return whether ``user`` holds every permission in ``permissions`` (one "app.codename"
    string or several)."""
    if not permissions:
        return True
    if isinstance(permissions, str):
        permissions = (permissions,)
    return user.has_perms(permissions)


class PermissionRequiredMixin:
    """Deny (403) unless the user holds ``permission_required``: one "app.codename" string or
    a tuple of them, all needed. Wagtail's admin wrapper has already sent anonymous visitors
    to the login page; this is the check on top."""

    permission_required = None

    def dispatch(self, request, *args, **kwargs):
        if not has_permissions(request.user, self.permission_required):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class StaffView(PermissionRequiredMixin, WagtailAdminTemplateMixin, View):
    """A permission-checked page in the Wagtail admin's chrome (header, icon, title), whose
    breadcrumbs are ``breadcrumbs_items`` (Home, or a listing above it) then its own title
    with its subtitle (宣传品：桃花江社区防非宣讲), which is also the browser tab's title."""

    def get_header_title(self):
        title, subtitle = self.get_page_title(), self.get_page_subtitle()
        # Wagtail joins them with an English colon.
        return f"{title}：{subtitle}" if subtitle else title

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.get_header_title()}]


class StaffTemplateView(StaffView, TemplateView):
    """A StaffView that renders ``template_name`` with its context on GET."""
