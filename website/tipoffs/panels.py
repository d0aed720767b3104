"""The admin dashboard's panel of overdue tip-offs (no first response by their due date)."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.components import Component

from website.tipoffs import services

SHOWN = 8


class OverdueReportsPanel(Component):
    name = "overdue_tipoffs"
    template_name = "tipoffs/admin/overdue_panel.html"
    order = 60
    heading = _("逾期未响应的举报")

    def __init__(self, reports, total):
        self.reports = reports
        self.total = total

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        context.update(reports=self.reports, total=self.total, heading=self.heading)
        return context


def add_overdue_panel(request, panels):
    """Add the overdue panel for staff who handle reports, when anything is overdue
    (``construct_homepage_panels``)."""
    if not request.user.has_perm("tipoffs.view_report"):
        return
    overdue = services.overdue()
    reports = list(overdue[: SHOWN + 1])
    if reports:
        panels.append(OverdueReportsPanel(reports[:SHOWN], overdue.count()))
