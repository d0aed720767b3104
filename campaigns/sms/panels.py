"""The admin dashboard's panels of the SMS room: recent system alerts (e.g. a surge of
verification-code requests) and blasts waiting for a reviewer, so staff see them where they
start their day instead of in a mailbox nobody reads.
"""

from django.urls import reverse
from django.utils.translation import gettext as __
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.components import Component

from campaigns.models import SmsBlast
from campaigns.sms.limits import recent_alerts
from website.core.admin_panels import WorkPanel, WorkRow
from website.core.admin_views import local_time

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


def add_blasts_awaiting_approval_panel(request, panels):
    """Blasts submitted for approval that this user may approve: approvers only, never their own
    (``construct_homepage_panels``)."""
    user = request.user
    if not user.has_perm("campaigns.approve_smsblast"):
        return
    waiting = list(
        SmsBlast.objects.filter(status=SmsBlast.Status.PENDING)
        .exclude(created_by=user)
        .select_related("created_by")
        .order_by("created_at")[: SHOWN + 1]
    )
    if not waiting:
        return
    rows = [
        WorkRow(
            label=blast.title,
            detail=__("%(who)s 撰写于 %(when)s")
            % {
                "who": blast.created_by.get_full_name() or blast.created_by.get_username(),
                "when": local_time(blast.created_at),
            },
            url=reverse("campaigns_admin:blast_detail", args=[blast.pk]),
        )
        for blast in waiting[:SHOWN]
    ]
    panels.append(
        WorkPanel(
            name="blasts-awaiting-approval",
            heading=_("等待您审批的短信群发"),
            rows=rows,
            order=30,
            more_url=reverse("campaigns_admin:blasts") + "?status=pending",
            more_label=_("查看全部待审批短信"),
        )
    )
