"""Chooser widgets show an "edit" link beside the chosen item (a region on a firm, a tag on a
rule, the parent page on a copy form). Wagtail builds that link without asking who looks, so an
editor was offered links that end in 没有权限. Here the link is built for the signed-in user:
no link to what they may not edit.

The widget is rendered deep inside a form that knows no request, so the middleware below keeps
the user in a context variable for the length of the request.
"""

from contextvars import ContextVar

_user = ContextVar("fangfei_admin_user", default=None)


class AdminUserMiddleware:
    """Remember ``request.user`` while the request is handled (for ``edit_url_for_user``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _user.set(getattr(request, "user", None))
        try:
            return self.get_response(request)
        finally:
            _user.reset(token)


def install():
    """Make every chooser widget's "edit" link depend on the current user's permission to edit
    (called once from the core app's ``ready()``)."""
    from wagtail.admin.admin_url_finder import AdminURLFinder
    from wagtail.admin.widgets.chooser import BaseChooser

    original = BaseChooser.get_value_data_from_instance
    if getattr(original, "for_user", False):
        return

    def get_value_data_from_instance(self, instance):
        data = original(self, instance)
        user = _user.get()
        if data.get("edit_url") and user is not None and user.is_authenticated:
            data["edit_url"] = AdminURLFinder(user).get_edit_url(instance) or ""
        return data

    get_value_data_from_instance.for_user = True
    BaseChooser.get_value_data_from_instance = get_value_data_from_instance
