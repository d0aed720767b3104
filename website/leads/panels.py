"""The dashboard panel of the month's screening: how many regions have not filed yet, so
staff chase them before the due day instead of after it."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.components import Component

from website.leads import screening
from website.leads.models import month_label

SHOWN = 8


class ScreeningPanel(Component):
    name = "screening_missing"
    template_name = "leads/admin/screening_panel.html"
    order = 60

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        period, due, total, missing_count = screening.summary()
        names = list(screening.missing(period).values_list("name", flat=True)[: SHOWN + 1])
        context.update(
            heading=_("%(m)s风险排查：%(n)s 个单位未报送")
            % {"m": month_label(period), "n": missing_count},
            period=period,
            due=due,
            total=total,
            missing_count=missing_count,
            names=names[:SHOWN],
            more=len(names) > SHOWN,
        )
        return context


def add_screening_panel(request, panels):
    """Add the panel for users who may see filings (``construct_homepage_panels``)."""
    if request.user.has_perm("leads.view_screeningfiling"):
        panels.append(ScreeningPanel())
