"""编辑 submits, 审核员 approves: editors cannot publish on their own."""

import pytest
from django.contrib.auth.models import Group, User
from wagtail.models import TaskState, Workflow

from tests import factories
from website.pages.models import RiskNoticePage

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    user = User.objects.create_user("bianji", password="pw-123456789")
    user.groups.add(Group.objects.get(name="编辑"))
    return user


@pytest.fixture
def reviewer():
    user = User.objects.create_user("shenhe", password="pw-123456789")
    user.groups.add(Group.objects.get(name="审核员"))
    return user


def draft_notice():
    index = factories.notice_index()
    page = RiskNoticePage(
        title="待审核的提示", slug="pending", summary="摘要", body=factories.body("x")
    )
    index.add_child(instance=page)
    page.save_revision()
    page.unpublish()
    return RiskNoticePage.objects.get(pk=page.pk)


def test_every_page_is_under_the_review_workflow():
    page = draft_notice()
    workflow = page.get_workflow()
    assert workflow == Workflow.objects.get(name="内容审核")
    assert [t.name for t in workflow.tasks] == ["审核员审核"]


def test_editor_can_edit_but_not_publish(editor):
    perms = draft_notice().permissions_for_user(editor)
    assert perms.can_edit()
    assert not perms.can_publish()


def test_reviewer_can_publish(reviewer):
    assert draft_notice().permissions_for_user(reviewer).can_publish()


def test_editor_cannot_publish_through_the_admin(client, editor):
    page = draft_notice()
    client.force_login(editor)
    response = client.get(f"/admin/pages/{page.pk}/edit/")
    assert response.status_code == 200
    assert "action-publish" not in response.content.decode()
    assert not RiskNoticePage.objects.get(pk=page.pk).live


def test_submit_then_approve_publishes(client, editor, reviewer):
    page = draft_notice()
    workflow = page.get_workflow()
    workflow_state = workflow.start(page, editor)
    assert workflow_state.status == "in_progress"
    assert not RiskNoticePage.objects.get(pk=page.pk).live

    task_state = workflow_state.current_task_state
    task = task_state.task.specific
    assert task.get_actions(page, editor) == []
    assert "approve" in [name for name, *_ in task.get_actions(page, reviewer)]

    task.on_action(task_state, reviewer, "approve")
    workflow_state.refresh_from_db()
    assert workflow_state.status == "approved"
    assert RiskNoticePage.objects.get(pk=page.pk).live


def test_reviewers_get_the_admin_in_chinese(client, reviewer):
    client.force_login(reviewer)
    html = client.get("/admin/").content.decode()
    assert '<html lang="zh-hans"' in html
    assert "控制面板" in html


def test_an_edit_made_while_in_review_is_not_published_by_an_earlier_approval(editor, reviewer):
    second_reviewer = User.objects.create_user("shenhe2", password="pw-123456789")
    second_reviewer.groups.add(Group.objects.get(name="审核员"))
    page = draft_notice()
    workflow_state = page.get_workflow().start(page, editor)
    seen_id = workflow_state.current_task_state.pk  # the reviewer opens the submitted version …

    changed = RiskNoticePage.objects.get(pk=page.pk)
    changed.summary = "请把钱转到这个账户"  # … another reviewer saves a change …
    changed.save_revision(user=second_reviewer)

    seen = TaskState.objects.get(pk=seen_id)  # … and the first approves, as a request would
    seen.task.specific.on_action(seen, reviewer, "approve")

    workflow_state.refresh_from_db()
    assert not RiskNoticePage.objects.get(pk=page.pk).live
    assert workflow_state.status == "in_progress"
    current = workflow_state.current_task_state
    assert current.status == "in_progress" and current.revision == changed.latest_revision

    current.task.specific.on_action(current, reviewer, "approve")
    published = RiskNoticePage.objects.get(pk=page.pk)
    assert published.live and published.summary == "请把钱转到这个账户"
