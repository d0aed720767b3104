"""The 七进 room's dashboard panel: events that have ended without their after-event record
(attendance, materials), for the staff who can fill it in."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as __
from django.utils.translation import gettext_lazy as _

from campaigns.models import OutreachEvent
from website.core.admin_panels import WorkPanel, WorkRow
from website.core.admin_views import local_time

SHOWN = 5


def add_missing_records_panel(request, panels):
    """List ended events without a record (``construct_homepage_panels``)."""
    if not request.user.has_perm("campaigns.change_outreachevent"):
        return
    events = list(
        OutreachEvent.objects.missing_record(timezone.now())
        .select_related("region", "channel")
        .order_by("end_at")[: SHOWN + 1]
    )
    if not events:
        return
    rows = [
        WorkRow(
            label=event.title,
            detail=__("%(region)s 进%(channel)s，%(end)s 结束，未填参与人数")
            % {
                "region": event.region.name,
                "channel": event.channel.name,
                "end": local_time(event.end_at),
            },
            url=reverse("outreach_events:edit", args=[event.pk]),
        )
        for event in events[:SHOWN]
    ]
    panels.append(
        WorkPanel(
            name="outreach-missing-records",
            heading=_("已结束、待填活动记录的七进活动"),
            rows=rows,
            order=35,
            more_url=reverse("outreach_events:index"),
            more_label=_("打开活动列表"),
        )
    )
