"""The admin dashboard's panels of the SMS room: recent system alerts (e.g. a surge of
verification-code requests) and blasts waiting for a reviewer, so staff see them where they
start their day instead of in a mailbox nobody reads.
"""

from django.db.models import Case, OuterRef, Subquery, When
from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils.translation import gettext as __
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.components import Component

from campaigns.models import BlastAuditLog, SmsBlast
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

    def __init__(self, alerts):
        # Up to SHOWN + 1, read once by add_alerts_panel: the extra one says there are more.
        self.alerts = alerts

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        request = parent_context["request"]
        context.update(
            alerts=self.alerts[:SHOWN],
            more=len(self.alerts) > SHOWN,
            heading=self.heading,
            can_resolve=request.user.has_perm("campaigns.change_staffalert"),
            next=request.get_full_path(),
            # A component renders with its own context: the resolve forms need the token.
            csrf_token=get_token(request),
        )
        return context


def add_alerts_panel(request, panels):
    """Add the panel of open alerts for users who may see alerts (``construct_homepage_panels``);
    an alert someone has marked resolved leaves it."""
    if not request.user.has_perm("campaigns.view_staffalert"):
        return
    alerts = list(recent_alerts(DAYS).open()[: SHOWN + 1])
    if alerts:
        panels.append(StaffAlertsPanel(alerts))


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


def add_own_blast_drafts_panel(request, panels):
    """The user's own blasts still in draft, those a reviewer sent back first
    (``construct_homepage_panels``): finish them and submit them again."""
    user = request.user
    if not user.has_perm("campaigns.change_smsblast"):
        return
    # Whether a reviewer sent it back is its latest submit, reject or edit: decided in the
    # query, so a draft sent back long ago is not cut off by newer ones before it is sorted.
    latest = (
        BlastAuditLog.objects.filter(blast=OuterRef("pk"), action__in=("submit", "reject", "edit"))
        .order_by("-at", "-pk")
        .values("action")[:1]
    )
    drafts = list(
        SmsBlast.objects.filter(status=SmsBlast.Status.DRAFT, created_by=user)
        .annotate(latest_action=Subquery(latest))
        .annotate(waiting_first=Case(When(latest_action="reject", then=0), default=1))
        .order_by("waiting_first", "-created_at")[: SHOWN + 1]
    )
    if not drafts:
        return
    last = {}
    for entry in BlastAuditLog.objects.filter(
        blast__in=drafts, action__in=("submit", "reject", "edit")
    ).order_by("at", "pk"):
        last[entry.blast_id] = entry
    rows = []
    for blast in drafts[:SHOWN]:
        entry = last.get(blast.pk)
        if entry and entry.action == "reject":
            reason = entry.detail.get("reason") or __("未写理由")
            detail = __("被退回（%(when)s）：%(reason)s") % {
                "when": local_time(entry.at),
                "reason": reason,
            }
        else:
            detail = __("草稿，撰写于 %(when)s") % {"when": local_time(blast.created_at)}
        rows.append(
            WorkRow(
                label=blast.title,
                detail=detail,
                url=reverse("campaigns_admin:blast_detail", args=[blast.pk]),
            )
        )
    panels.append(
        WorkPanel(
            name="own-blast-drafts",
            heading=_("您的短信群发草稿（含被退回的）"),
            rows=rows,
            order=206,
            more_url=reverse("campaigns_admin:blasts") + "?status=draft",
            more_label=_("查看全部草稿"),
        )
    )
