"""Reviewers see the blasts waiting for their approval on the dashboard (issue 13 §2)."""

import pytest

from campaigns.models import SmsBlast
from tests.campaigns.sms import factories
from tests.factories import logged_in, staff

pytestmark = pytest.mark.django_db


def test_a_submitted_blast_waits_on_the_reviewers_dashboard():
    blast = factories.blast(status=SmsBlast.Status.PENDING)
    body = logged_in(staff("shenhe", "审核员")).get("/admin/").content.decode()
    assert "等待您审批的短信群发" in body
    assert f"/admin/sms/blasts/{blast.pk}/" in body and "测试群发" in body


def test_editors_and_drafts_make_no_approval_panel():
    factories.blast(status=SmsBlast.Status.DRAFT)
    reviewer_body = logged_in(staff("shenhe", "审核员")).get("/admin/").content.decode()
    assert "等待您审批的短信群发" not in reviewer_body  # a draft waits for nobody
    factories.blast(status=SmsBlast.Status.PENDING)
    editor_body = logged_in(staff("bianji", "编辑")).get("/admin/").content.decode()
    assert "等待您审批的短信群发" not in editor_body  # editors cannot approve


def test_a_reviewer_is_not_asked_to_approve_their_own_blast():
    reviewer = staff("shenhe", "审核员")
    factories.blast(author=reviewer, status=SmsBlast.Status.PENDING)
    body = logged_in(reviewer).get("/admin/").content.decode()
    assert "等待您审批的短信群发" not in body
