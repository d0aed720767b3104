"""What happens to a report: taking it in, looking up its status, changing its status,
suggesting duplicates and erasing the reporter's identity after close."""

import datetime
import hmac
import logging
import re
import secrets
import unicodedata

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import salted_hmac

from website.tipoffs import crypto
from website.tipoffs.models import (
    REFERENCE_ALPHABET,
    Evidence,
    Report,
    StatusChange,
    StatusSms,
    new_reference,
)

logger = logging.getLogger(__name__)

SECRET_SALT = "website.tipoffs.secret"
#: Words that say nothing about who a firm is, dropped when names are compared.
FIRM_NOISE = re.compile(
    r"(有限责任公司|股份有限公司|有限公司|集团|公司|合作社|工作室|中心|店|\s|[()（）·\.,，、\-_])"
)


# -- reference and secret -----------------------------------------------------------------------
def new_secret():
    """Return a fresh status secret such as ``7KQX-M3RT-PW9H`` (about 58 random bits)."""
    body = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(12))
    return f"{body[:4]}-{body[4:8]}-{body[8:]}"


def normalise_code(value):
    """Return a typed reference or secret the way it is stored: upper case, no spaces, the
    easily confused O/I/L read as 0/1/1 would be (they are not in the alphabet anyway)."""
    text = unicodedata.normalize("NFKC", str(value or "")).upper()
    return "".join(ch for ch in text if ch.isalnum() or ch == "-")[:40]


def secret_digest(reference, secret):
    compact = normalise_code(secret).replace("-", "")
    return salted_hmac(SECRET_SALT, f"{reference}:{compact}", algorithm="sha256").hexdigest()


def firm_key(name):
    """Return ``name`` reduced for duplicate matching (NFKC, lower case, legal forms dropped)."""
    text = unicodedata.normalize("NFKC", name or "").lower()
    return FIRM_NOISE.sub("", text)[:200]


# -- intake -------------------------------------------------------------------------------------
def submit(data, *, about_page=None, pretext=None, now=None):
    """Store one report from a valid form's ``cleaned_data``; return ``(report, secret)``.

    Everything is stored or nothing: if saving fails after evidence files were written, the
    files are removed again.
    """
    now = now or timezone.now()
    secret = new_secret()
    identity = {
        "name": "" if data.get("anonymous", True) else data.get("name", ""),
        "phone": data.get("phone", ""),
        "contact": data.get("contact", ""),
    }
    written = []
    try:
        with transaction.atomic():
            report = _create(data, identity, about_page, pretext, now)
            report.secret_digest = secret_digest(report.reference, secret)
            report.save(update_fields=["secret_digest"])
            StatusChange.objects.create(report=report, status=report.status, changed_at=now)
            for checked in data.get("evidence") or []:
                item = Evidence(
                    report=report,
                    kind=checked.kind,
                    mime=checked.mime,
                    size=checked.size,
                    sha256=checked.sha256,
                    created_at=now,
                )
                item.file.save(f"e.{checked.ext}", ContentFile(checked.content), save=False)
                written.append(item.file.name)
                item.save()
    except BaseException:
        for name in written:
            Evidence.file.field.storage.delete(name)
        raise
    return report, secret


def _create(data, identity, about_page, pretext, now):
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return Report.objects.create(
                    reference=new_reference(timezone.localdate(now)),
                    what_happened=data["what_happened"],
                    firm_name=data["firm_name"],
                    firm_key=firm_key(data["firm_name"]),
                    credit_code=data.get("credit_code", ""),
                    pitch=data.get("pitch", ""),
                    amount_yuan=data.get("amount_yuan"),
                    people_count=data.get("people_count"),
                    region_id=data.get("region"),
                    place_detail=data.get("place_detail", ""),
                    channel=data["channel"],
                    pretext=pretext,
                    about_page=about_page,
                    anonymous=bool(data.get("anonymous", True)),
                    identity_token=crypto.seal(identity),
                    created_at=now,
                    status_changed_at=now,
                    respond_by=timezone.localdate(now)
                    + datetime.timedelta(days=settings.TIPOFF_FIRST_RESPONSE_DAYS),
                )
        except IntegrityError:  # the one-in-a-trillion reference clash: draw again
            continue
    raise RuntimeError("could not draw a free reference number")


# -- status lookup ------------------------------------------------------------------------------
def lookup(reference, secret):
    """Return the report whose reference and secret both match, else None.

    A wrong reference and a wrong secret take the same path (one digest, one constant-time
    comparison), so neither the answer nor its timing tells which was wrong.
    """
    ref = normalise_code(reference)
    report = (
        Report.objects.filter(reference=ref)
        .only("pk", "reference", "secret_digest", "status", "status_changed_at")
        .first()
    )
    expected = report.secret_digest if report else "0" * 64
    given = secret_digest(ref, secret)
    if hmac.compare_digest(expected, given) and report is not None:
        return report
    return None


# -- handling -----------------------------------------------------------------------------------
def identity_of(report):
    """Return the reporter's identity dict ({} once erased or when none was left)."""
    try:
        return crypto.unseal(report.identity_token)
    except crypto.InvalidToken:
        logger.error("report %s: identity cannot be decrypted with the configured keys", report.pk)
        return {}


def change_status(report, status, *, by=None, now=None):
    """Move ``report`` to ``status`` (a public status change); return the StatusChange made,
    or None when the status is unchanged.

    When the reporter confirmed a phone number, one status SMS is planned in the ledger
    (unique per change, so it is sent exactly once by ``status_sms_tick``).
    """
    now = now or timezone.now()
    if status == report.status:
        return None
    with transaction.atomic():
        report.status = status
        report.status_changed_at = now
        fields = ["status", "status_changed_at", "updated_at"]
        if status == Report.Status.CLOSED:
            report.closed_at = now
            fields.append("closed_at")
        elif report.closed_at:
            report.closed_at = None
            fields.append("closed_at")
        if report.first_response_at is None and status != Report.Status.RECEIVED:
            report.first_response_at = now
            fields.append("first_response_at")
        report.save(update_fields=fields)
        change = StatusChange.objects.create(
            report=report, status=status, changed_by=by, changed_at=now
        )
        if report.phone_confirmed and report.identity_token:
            StatusSms.objects.create(change=change, created_at=now)
    return change


def duplicates_of(report, limit=10):
    """Return other reports with the same normalised firm name or credit code, newest first."""
    match = Q()
    if report.firm_key:
        match |= Q(firm_key=report.firm_key)
    if report.credit_code:
        match |= Q(credit_code=report.credit_code)
    if not match:
        return Report.objects.none()
    return Report.objects.filter(match).exclude(pk=report.pk).order_by("-created_at")[:limit]


def overdue(today=None):
    """Return reports still waiting for a first response after their due date."""
    today = today or timezone.localdate()
    return Report.objects.filter(
        status=Report.Status.RECEIVED, first_response_at__isnull=True, respond_by__lt=today
    ).order_by("respond_by")


def erase_expired_identities(now=None):
    """Delete the identity of reports closed more than TIPOFF_IDENTITY_RETENTION_DAYS ago;
    return how many were erased. Queued status SMS for them are skipped (no number left)."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.TIPOFF_IDENTITY_RETENTION_DAYS)
    due = Report.objects.filter(
        status=Report.Status.CLOSED, closed_at__lte=cutoff, identity_erased_at__isnull=True
    )
    ids = list(due.values_list("pk", flat=True))
    if not ids:
        return 0
    with transaction.atomic():
        Report.objects.filter(pk__in=ids).update(
            identity_token="", phone_confirmed=False, identity_erased_at=now
        )
        StatusSms.objects.filter(change__report_id__in=ids, status=StatusSms.Status.QUEUED).update(
            status=StatusSms.Status.SKIPPED, error="identity_erased"
        )
    return len(ids)
