"""The admin dashboard's panel of recent system alerts (e.g. a surge of verification-code
requests), so staff see them where they start their day instead of in a mailbox nobody reads.
"""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.components import Component

from campaigns.sms.limits import recent_alerts

SHOWN = 5
DAYS = 7


class StaffAlertsPanel(Component):
    name = "staff_alerts"
    template_name = "campaigns/sms/admin/alerts_panel.html"
    order = 50  # above Wagtail's own panels: these need acting on
    heading = _("系统提醒（近 7 天）")

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        alerts = list(recent_alerts(DAYS)[: SHOWN + 1])
        context.update(alerts=alerts[:SHOWN], more=len(alerts) > SHOWN, heading=self.heading)
        return context


def add_alerts_panel(request, panels):
    """Add the alerts panel for users who may see alerts (``construct_homepage_panels``)."""
    if request.user.has_perm("campaigns.view_staffalert") and recent_alerts(DAYS).exists():
        panels.append(StaffAlertsPanel())
