import pytest
from django.utils import timezone
from wagtail.models import Page

from campaigns.models import SmsBlast, SmsDelivery
from campaigns.sms import blast_actions as actions
from campaigns.sms import delivery
from tests.campaigns.sms import factories
from website.taxonomy.models import Audience, Region

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
        actions.approve(blast, reviewer, fingerprint=blast.fingerprint())
    assert SmsBlast.objects.get(pk=blast.pk).status == S.PENDING


def test_editor_without_permission_cannot_approve(author):
    other_editor = factories.staff("other", "编辑")
    blast = factories.blast(author=author)
    actions.submit(blast, author)
    with pytest.raises(actions.BlastActionError, match="没有批准"):
        actions.approve(blast, other_editor, fingerprint=blast.fingerprint())


def test_second_person_approves(author, reviewer):
    blast = factories.blast(author=author)
    actions.submit(blast, author)
    blast = actions.approve(blast, reviewer, fingerprint=blast.fingerprint())
    assert blast.status == S.APPROVED and blast.approved_by == reviewer


def test_draft_cannot_be_approved_without_submission(author, reviewer):
    blast = factories.blast(author=author)
    with pytest.raises(actions.BlastActionError):
        actions.approve(blast, reviewer, fingerprint=blast.fingerprint())


def test_editing_a_submitted_blast_sends_it_back_to_draft(author):
    blast = factories.blast(author=author)
    actions.submit(blast, author)
    blast = actions.record_edited(blast, author, {"body"})
    assert blast.status == S.DRAFT


def test_every_state_change_is_in_the_audit_log(author, reviewer):
    blast = factories.blast(author=author)
    actions.record_created(blast, author)
    actions.submit(blast, author)
    actions.approve(blast, reviewer, fingerprint=blast.fingerprint())
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
    actions.approve(blast, reviewer, fingerprint=blast.fingerprint())
    delivery.plan_blast(blast.pk)
    actions.pause(blast, reviewer)
    assert actions.resume(blast, reviewer).status == S.SENDING


def test_cancel_skips_everyone_not_yet_sent(author, reviewer):
    for _ in range(3):
        factories.subscriber()
    blast = factories.blast(author=author)
    actions.submit(blast, author)
    actions.approve(blast, reviewer, fingerprint=blast.fingerprint())
    delivery.plan_blast(blast.pk)
    actions.cancel(blast, reviewer)
    assert set(SmsDelivery.objects.values_list("status", flat=True)) == {"skipped"}
    with pytest.raises(actions.BlastActionError):
        actions.resume(blast, reviewer)


def test_an_approval_of_a_version_since_changed_is_refused(author, reviewer):
    blast = factories.blast(author=author)
    actions.submit(blast, author)
    seen = blast.fingerprint()
    actions.record_edited(blast, author, {"body"})
    SmsBlast.objects.filter(pk=blast.pk).update(body="换了内容")
    actions.submit(blast, author)
    with pytest.raises(actions.StaleVersionError):
        actions.approve(blast, reviewer, fingerprint=seen)
    assert SmsBlast.objects.get(pk=blast.pk).status == S.PENDING


@pytest.mark.parametrize(
    "change",
    [
        lambda b, settings: SmsBlast.objects.filter(pk=b.pk).update(body="别的内容"),
        lambda b, settings: setattr(settings, "SMS_SIGNATURE", "别的单位"),
        lambda b, settings: setattr(settings, "FANGFEI_BASE_URL", "https://evil.example"),
        lambda b, settings: b.audiences.set(Audience.objects.filter(slug="students")),
        lambda b, settings: b.regions.set(Region.objects.filter(level=1)),
        lambda b, settings: SmsBlast.objects.filter(pk=b.pk).update(send_at=timezone.now()),
        lambda b, settings: SmsBlast.objects.filter(pk=b.pk).update(
            link_page=Page.objects.filter(depth=2).first()
        ),
    ],
    ids=["body", "signature", "link base", "audiences", "regions", "send time", "link"],
)
def test_fingerprint_covers_everything_that_decides_what_goes_out(author, settings, change):
    blast = factories.blast(author=author, audiences=["elderly"])
    before = blast.fingerprint()
    assert SmsBlast.objects.get(pk=blast.pk).fingerprint() == before
    change(blast, settings)
    assert SmsBlast.objects.get(pk=blast.pk).fingerprint() != before


def test_only_someone_who_may_approve_resumes(author, reviewer):
    blast = factories.blast(author=author)
    actions.submit(blast, author)
    actions.approve(blast, reviewer, fingerprint=blast.fingerprint())
    actions.pause(blast, author)  # pausing stays open to editors: it is the safe direction
    with pytest.raises(actions.BlastActionError, match="审核员"):
        actions.resume(blast, author)
    assert SmsBlast.objects.get(pk=blast.pk).status == S.PAUSED
    actions.resume(blast, reviewer)
    assert blast.audit_log.last().actor == reviewer
