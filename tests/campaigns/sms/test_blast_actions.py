import pytest

from campaigns.models import SmsBlast, SmsDelivery
from campaigns.sms import blast_actions as actions
from campaigns.sms import delivery
from tests.campaigns.sms import factories

pytestmark = pytest.mark.django_db
S = SmsBlast.Status


@pytest.fixture
def author():
    return factories.staff("author", "编辑")


@pytest.fixture
def reviewer():
    return factories.staff("reviewer", "审核员")


def test_author_cannot_approve_own_blast_even_as_reviewer(reviewer):
    blast = factories.blast(author=reviewer)
    actions.submit(blast, reviewer)
    with pytest.raises(actions.BlastActionError, match="撰写人不能批准"):
        actions.approve(blast, reviewer)
    assert SmsBlast.objects.get(pk=blast.pk).status == S.PENDING


def test_editor_without_permission_cannot_approve(author):
    other_editor = factories.staff("other", "编辑")
    blast = factories.blast(author=author)
    actions.submit(blast, author)
    with pytest.raises(actions.BlastActionError, match="没有批准"):
        actions.approve(blast, other_editor)


def test_second_person_approves(author, reviewer):
    blast = factories.blast(author=author)
    actions.submit(blast, author)
    blast = actions.approve(blast, reviewer)
    assert blast.status == S.APPROVED and blast.approved_by == reviewer


def test_draft_cannot_be_approved_without_submission(author, reviewer):
    blast = factories.blast(author=author)
    with pytest.raises(actions.BlastActionError):
        actions.approve(blast, reviewer)


def test_editing_a_submitted_blast_sends_it_back_to_draft(author):
    blast = factories.blast(author=author)
    actions.submit(blast, author)
    blast = actions.record_edited(blast, author, {"body"})
    assert blast.status == S.DRAFT


def test_every_state_change_is_in_the_audit_log(author, reviewer):
    blast = factories.blast(author=author)
    actions.record_created(blast, author)
    actions.submit(blast, author)
    actions.approve(blast, reviewer)
    actions.pause(blast, reviewer)
    actions.resume(blast, reviewer)
    actions.cancel(blast, author)
    log = list(blast.audit_log.values_list("action", "actor__username"))
    assert log == [
        ("create", "author"),
        ("submit", "author"),
        ("approve", "reviewer"),
        ("pause", "reviewer"),
        ("resume", "reviewer"),
        ("cancel", "author"),
    ]


def test_resume_returns_a_planned_blast_to_sending(author, reviewer):
    factories.subscriber()
    blast = factories.blast(author=author)
    actions.submit(blast, author)
    actions.approve(blast, reviewer)
    delivery.plan_blast(blast.pk)
    actions.pause(blast, reviewer)
    assert actions.resume(blast, reviewer).status == S.SENDING


def test_cancel_skips_everyone_not_yet_sent(author, reviewer):
    for _ in range(3):
        factories.subscriber()
    blast = factories.blast(author=author)
    actions.submit(blast, author)
    actions.approve(blast, reviewer)
    delivery.plan_blast(blast.pk)
    actions.cancel(blast, reviewer)
    assert set(SmsDelivery.objects.values_list("status", flat=True)) == {"skipped"}
    with pytest.raises(actions.BlastActionError):
        actions.resume(blast, reviewer)
