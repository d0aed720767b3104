"""The 编辑's 您的页面草稿 panel: their unpublished work that is not in review."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import RequestFactory
from wagtail.models import Workflow, WorkflowState

from tests import factories
from website.core.admin_panels import add_own_drafts_panel
from website.pages.models import RiskNoticePage
from website.taxonomy.models import Region

pytestmark = pytest.mark.django_db


def draft(editor, title, slug):
    page = RiskNoticePage(
        title=title, slug=slug, summary="摘要", body=factories.body("x"), live=False
    )
    factories.notice_index().add_child(instance=page)
    page.save_revision(user=editor)
    return page


def shown(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    panels = []
    add_own_drafts_panel(request, panels)
    return [row.label for panel in panels for row in panel.rows]


def test_drafts_in_review_are_left_out_but_an_unrelated_review_hides_nothing():
    editor = factories.staff("bianji", "编辑")
    waiting = draft(editor, "正在审核的稿子", "waiting")
    mine = draft(editor, "还没写完的稿子", "mine")
    waiting.get_workflow().start(waiting, editor)
    # Another kind of object under review whose id is the same number as the draft's.
    region_type = ContentType.objects.get_for_model(Region)
    WorkflowState.objects.create(
        content_type=region_type,
        base_content_type=region_type,
        object_id=str(mine.pk),
        workflow=Workflow.objects.first(),
        status=WorkflowState.STATUS_IN_PROGRESS,
        requested_by=editor,
    )
    assert shown(editor) == ["还没写完的稿子"]
    assert shown(factories.staff("other", "编辑")) == []
