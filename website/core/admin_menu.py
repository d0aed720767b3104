"""Admin menu items and submenus whose entries each need their own permission (短信, 七进活动,
知识测试, the reports menu)."""

from django.urls import reverse_lazy
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem

from website.core.admin_views import has_permissions


class PermissionMenuItem(MenuItem):
    """A menu item shown only to users holding ``permission`` (one "app.codename" or a tuple,
    all needed). ``url`` may be lazy (reverse_lazy): menus are built before the URLconf."""

    def __init__(self, label, url, permission, **kwargs):
        super().__init__(label, url, **kwargs)
        self.permission = permission

    def is_shown(self, request):
        return has_permissions(request.user, self.permission)


def permission_submenu(label, name, icon, order, entries):
    """Return a submenu of ``entries``: (label, url name, permission, item name, icon) each,
    listed in the order given."""
    items = [
        PermissionMenuItem(
            item_label,
            reverse_lazy(url_name),
            permission,
            name=item_name,
            icon_name=item_icon,
            order=100 * position,
        )
        for position, (item_label, url_name, permission, item_name, item_icon) in enumerate(
            entries, start=1
        )
    ]
    return SubmenuMenuItem(label, Menu(items=items), name=name, icon_name=icon, order=order)
