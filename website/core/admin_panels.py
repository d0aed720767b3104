"""The dashboard's "work waiting for you" panels: each room (blasts, 七进, tip-offs…) says what
waits and for whom; this module draws them all the same way, once.

A room writes ``WorkPanel(name=…, heading=…, rows=[WorkRow(…), …], more_url=…)`` in its
``construct_homepage_panels`` hook, only for users who can act on the rows, and only when there
are rows: an empty panel teaches staff to stop looking.
"""

from dataclasses import dataclass

from wagtail.admin.ui.components import Component


@dataclass
class WorkRow:
    label: str  # what it is (a blast's title, an event's name)
    detail: str  # why it waits or since when
    url: str  # where to act on it


class WorkPanel(Component):
    template_name = "core/admin/work_panel.html"

    def __init__(self, *, name, heading, rows, order=40, more_url="", more_label=""):
        self.name = name
        self.heading = heading
        self.rows = rows
        self.order = order
        self.more_url = more_url
        self.more_label = more_label

    def get_context_data(self, parent_context):
        return {
            "panel_id": self.name,
            "heading": self.heading,
            "rows": self.rows,
            "more_url": self.more_url,
            "more_label": self.more_label,
        }


SHOWN = 5


def add_own_drafts_panel(request, panels):
    """List the pages this user last edited that have changes nobody has published and that are
    not in review (``construct_homepage_panels``): work the editor started and has to finish or
    send for review. Pages sent back by a reviewer are in Wagtail's own workflow panel."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import CharField, Exists, OuterRef
    from django.db.models.functions import Cast
    from django.urls import reverse
    from django.utils.translation import gettext as __
    from django.utils.translation import gettext_lazy as _
    from wagtail.models import Page, WorkflowState

    from website.core.admin_views import local_time

    user = request.user
    if not user.has_perm("wagtailadmin.access_admin"):
        return
    # Keyed on the page base content type, so a snippet in review that happens to share a page's
    # id hides nothing. WorkflowState.object_id is text: PostgreSQL will not compare it with an
    # integer id (Page._workflow_states would), hence the cast.
    in_review = WorkflowState.objects.filter(
        base_content_type=ContentType.objects.get_for_model(Page),
        object_id=Cast(OuterRef("pk"), CharField()),
        status__in=[WorkflowState.STATUS_IN_PROGRESS, WorkflowState.STATUS_NEEDS_CHANGES],
    )
    pages = list(
        Page.objects.filter(has_unpublished_changes=True, latest_revision__user=user)
        .exclude(Exists(in_review))
        .select_related("latest_revision")
        .order_by("-latest_revision__created_at")[: SHOWN + 1]
    )
    if not pages:
        return
    rows = [
        WorkRow(
            label=page.title,
            detail=(__("未发布过") if not page.live else __("有未发布的修改"))
            + __("，最后修改于 %(when)s") % {"when": local_time(page.latest_revision.created_at)},
            url=reverse("wagtailadmin_pages:edit", args=[page.pk]),
        )
        for page in pages[:SHOWN]
    ]
    panels.append(
        WorkPanel(
            name="own-page-drafts",
            heading=_("您的页面草稿"),
            rows=rows,
            order=205,  # beside Wagtail's "your pages in a workflow" (210)
        )
    )
