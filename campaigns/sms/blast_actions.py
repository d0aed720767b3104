"""State changes of an SMS blast, each checked and written to the audit log.

draft ──submit──▶ pending ──approve (not the author)──▶ approved ──due──▶ sending ──▶ completed
  ▲                  │reject, edit                        │pause ▲resume   │pause ▲resume
  └──────────────────┘                                    ▼      │         ▼      │
                                                          paused ┘         paused ┘
cancel: from any state but completed/cancelled.

Approve and reject name the version the reviewer saw (``SmsBlast.fingerprint()``); a blast
changed since is refused, so an edit made while the reviewer was reading never goes out unseen.
Anyone who may edit may pause (stopping is always safe); only someone who may approve resumes,
because resuming decides that the message goes out after all.
"""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.models import BlastAuditLog, SmsBlast, SmsDelivery
from website.core import notify
from website.core.site_address import public_url

S = SmsBlast.Status


class BlastActionError(Exception):
    """Raised with a message for the person who tried an action that is not allowed."""


def log(blast, user, action, **detail):
    BlastAuditLog.objects.create(blast=blast, actor=user, action=action, detail=detail)


def _locked(blast):
    return SmsBlast.objects.select_for_update().get(pk=blast.pk)


class StaleVersionError(BlastActionError):
    """Raised when a reviewer acts on a version of the blast that is no longer current."""


def _require_seen(blast, fingerprint):
    if not fingerprint or fingerprint != blast.fingerprint():
        raise StaleVersionError(
            _("这条群发在您打开页面后已被修改，本次操作未执行。请重新查看最新内容后再审批。")
        )


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
    """Log an edit and return the locked blast; an edit after submission sends it back to draft.

    Call it in the same transaction as the save, so that the row stays locked until the new
    version is complete and an approval cannot slip in between.
    """
    blast = _locked(blast)
    _require(blast, S.DRAFT, S.PENDING)
    reopened = blast.status == S.PENDING
    if reopened:
        blast.status = S.DRAFT
        blast.save(update_fields=["status"])
    log(blast, user, "edit", fields=sorted(changed), reopened=reopened)
    return blast


@transaction.atomic
def record_stale(blast, user, action):
    """Log a refused approval or rejection of a version that had changed (see approve)."""
    log(blast, user, "stale", refused=action)


@transaction.atomic
def submit(blast, user):
    """Send a draft for approval and, once that is committed, tell those who may approve it."""
    blast = _locked(blast)
    _require(blast, S.DRAFT)
    blast.status = S.PENDING
    blast.save(update_fields=["status"])
    entry = BlastAuditLog.objects.create(blast=blast, actor=user, action="submit", detail={})
    transaction.on_commit(lambda: tell_approvers(blast, user, entry.pk))
    return blast


def tell_approvers(blast, author, submission):
    """Tell everyone who may approve ``blast`` but its author, by the channel each chose, that
    it waits for them; ``submission`` (the audit entry) makes each submission one notice."""
    approvers = (
        get_user_model()
        .objects.with_perm(
            "campaigns.approve_smsblast",
            include_superusers=True,
            # Axes' backend comes first and holds no permissions.
            backend="django.contrib.auth.backends.ModelBackend",
        )
        .exclude(pk=author.pk)
    )
    url = public_url(reverse("campaigns_admin:blast_detail", args=[blast.pk]))
    who = author.get_full_name() or author.get_username()
    notify.notify(
        approvers,
        subject=_("【防非】短信群发待您审批：%(title)s") % {"title": blast.title},
        body=_("%(who)s 提交了短信群发“%(title)s”，等待您审批：\n%(url)s")
        % {"who": who, "title": blast.title, "url": url},
        sms=_("短信群发“%(title)s”（%(who)s提交）待您审批，请登录后台工作台处理。")
        % {"title": blast.title[:30], "who": who},
        key=f"blast-submitted:{submission}",
    )


@transaction.atomic
def approve(blast, user, *, fingerprint):
    """Approve a submitted blast exactly as the reviewer saw it; return the blast.

    The two-person rule: never by its author. ``fingerprint`` is the ``SmsBlast.fingerprint()``
    of the version the reviewer was shown. Raises BlastActionError when the user may not
    approve, or when the blast has changed since (a stale approval).
    """
    blast = _locked(blast)
    _require(blast, S.PENDING)
    if not user.has_perm("campaigns.approve_smsblast"):
        raise BlastActionError(_("您没有批准短信群发的权限。"))
    if user.pk == blast.created_by_id:
        raise BlastActionError(_("撰写人不能批准自己的群发，请由另一位审核员批准。"))
    _require_seen(blast, fingerprint)
    blast.status = S.APPROVED
    blast.approved_by = user
    blast.approved_at = timezone.now()
    # What goes out is this text, fixed now: a page moved or a setting changed after the
    # review cannot change a word of it.
    blast.approved_text = blast.preview_text()
    blast.save(update_fields=["status", "approved_by", "approved_at", "approved_text"])
    log(
        blast,
        user,
        "approve",
        send_at=blast.send_at.isoformat() if blast.send_at else None,
        fingerprint=fingerprint,
    )
    return blast


@transaction.atomic
def reject(blast, user, reason="", *, fingerprint):
    """Send a submitted blast back to its author; return the blast.

    Raises BlastActionError when the blast has changed since the reviewer saw it
    (``fingerprint``), so a reason written about an old version is not filed against a new one.
    """
    blast = _locked(blast)
    _require(blast, S.PENDING)
    _require_seen(blast, fingerprint)
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
    """Let a paused blast send again; return the blast.

    Raises BlastActionError unless the user may approve blasts: a pause is often a reviewer's
    decision, and an editor must not be able to overrule it.
    """
    blast = _locked(blast)
    _require(blast, S.PAUSED)
    if not user.has_perm("campaigns.approve_smsblast"):
        raise BlastActionError(_("只有有批准权限的审核员可以继续发送已暂停的群发。"))
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
