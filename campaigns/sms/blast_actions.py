"""State changes of an SMS blast, each checked and written to the audit log.

draft ──submit──▶ pending ──approve (not the author)──▶ approved ──due──▶ sending ──▶ completed
  ▲                  │reject                              │pause ▲resume   │pause ▲resume
  └──────────────────┘                                    ▼      │         ▼      │
                                                          paused ┘         paused ┘
cancel: from any state but completed/cancelled.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.models import BlastAuditLog, SmsBlast, SmsDelivery

S = SmsBlast.Status


class BlastActionError(Exception):
    """Raised with a message for the person who tried an action that is not allowed."""


def log(blast, user, action, **detail):
    BlastAuditLog.objects.create(blast=blast, actor=user, action=action, detail=detail)


def _locked(blast):
    return SmsBlast.objects.select_for_update().get(pk=blast.pk)


def _require(blast, *states):
    if blast.status not in states:
        raise BlastActionError(
            _("当前状态“%(status)s”下不能进行此操作。") % {"status": blast.get_status_display()}
        )


@transaction.atomic
def record_created(blast, user):
    log(blast, user, "create")


@transaction.atomic
def record_edited(blast, user, changed):
    """Log an edit; an edit after submission sends the blast back to draft."""
    blast = _locked(blast)
    _require(blast, S.DRAFT, S.PENDING)
    if blast.status == S.PENDING:
        blast.status = S.DRAFT
        blast.save(update_fields=["status"])
    log(blast, user, "edit", fields=sorted(changed))
    return blast


@transaction.atomic
def submit(blast, user):
    blast = _locked(blast)
    _require(blast, S.DRAFT)
    blast.status = S.PENDING
    blast.save(update_fields=["status"])
    log(blast, user, "submit")
    return blast


@transaction.atomic
def approve(blast, user):
    """Approve a submitted blast. The two-person rule: never by its author."""
    blast = _locked(blast)
    _require(blast, S.PENDING)
    if not user.has_perm("campaigns.approve_smsblast"):
        raise BlastActionError(_("您没有批准短信群发的权限。"))
    if user.pk == blast.created_by_id:
        raise BlastActionError(_("撰写人不能批准自己的群发，请由另一位审核员批准。"))
    blast.status = S.APPROVED
    blast.approved_by = user
    blast.approved_at = timezone.now()
    blast.save(update_fields=["status", "approved_by", "approved_at"])
    log(blast, user, "approve", send_at=blast.send_at.isoformat() if blast.send_at else None)
    return blast


@transaction.atomic
def reject(blast, user, reason=""):
    blast = _locked(blast)
    _require(blast, S.PENDING)
    blast.status = S.DRAFT
    blast.save(update_fields=["status"])
    log(blast, user, "reject", reason=reason[:500])
    return blast


@transaction.atomic
def pause(blast, user):
    """Stop sending at once: workers claim nothing more from a paused blast."""
    blast = _locked(blast)
    _require(blast, S.APPROVED, S.SENDING)
    blast.status = S.PAUSED
    blast.save(update_fields=["status"])
    log(blast, user, "pause")
    return blast


@transaction.atomic
def resume(blast, user):
    blast = _locked(blast)
    _require(blast, S.PAUSED)
    blast.status = S.SENDING if blast.planned_at else S.APPROVED
    blast.save(update_fields=["status"])
    log(blast, user, "resume")
    return blast


@transaction.atomic
def cancel(blast, user):
    """Cancel for good; recipients not yet submitted are marked skipped."""
    blast = _locked(blast)
    _require(blast, S.DRAFT, S.PENDING, S.APPROVED, S.SENDING, S.PAUSED)
    blast.status = S.CANCELLED
    blast.save(update_fields=["status"])
    skipped = SmsDelivery.objects.filter(blast=blast, status=SmsDelivery.Status.QUEUED).update(
        status=SmsDelivery.Status.SKIPPED, error_code="cancelled"
    )
    log(blast, user, "cancel", skipped=skipped)
    return blast
