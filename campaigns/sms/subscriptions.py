"""Signing up for SMS warnings by double opt-in.

``request_code`` checks the bombing limits, stores a hash of a fresh 6-digit code with the
person's choices and sends the code through the one sending layer. ``confirm_code`` checks a
typed code (SMS_CODE_MAX_TRIES tries, SMS_CODE_TTL_SECONDS) and, when it is right, applies the
sign-up: the subscriber becomes active with the chosen region and audiences, and a
ConsentRecord keeps the evidence (the exact text agreed to, the page, the time, a hash of the IP).

Nothing here behaves differently for a number that is already known: the same checks, the same
code, the same answers. Whether a number is subscribed only matters once its owner has proved
they hold it.
"""

import datetime
import hashlib
import hmac
import logging
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from campaigns.models import ConsentRecord, Subscriber, VerificationCode
from campaigns.phone import mask
from campaigns.sms import limits, sending
from campaigns.sms import text as sms_text
from campaigns.sms import welcome as sms_welcome
from campaigns.sms.sending import Message, Result

logger = logging.getLogger(__name__)


CODE_HASH_SALT = "campaigns.sms.subscriptions.code_hash"


def code_hash(phone, code):
    """Return the stored form of ``code`` (64 hex digits): an HMAC keyed with SECRET_KEY
    under its own salt, bound to the number."""
    return salted_hmac(CODE_HASH_SALT, f"{phone}:{code}", algorithm="sha256").hexdigest()


def _legacy_code_hash(phone, code):
    # How codes were stored before salted_hmac. A code sent just before a deploy is still
    # alive for SMS_CODE_TTL_SECONDS after it; drop this once that release is gone.
    return hmac.new(
        settings.SECRET_KEY.encode(), f"{phone}:{code}".encode(), hashlib.sha256
    ).hexdigest()


def code_matches(stored, phone, typed):
    """Return whether ``typed`` is the code whose hash is ``stored`` (either scheme)."""
    return hmac.compare_digest(stored, code_hash(phone, typed)) or hmac.compare_digest(
        stored, _legacy_code_hash(phone, typed)
    )


def new_code():
    return f"{secrets.randbelow(1_000_000):06d}"


def code_text(code):
    minutes = settings.SMS_CODE_TTL_SECONDS // 60
    return f"{sms_text.signature()}" + _(
        "验证码 %(code)s，%(minutes)s 分钟内有效，用于订阅防范非法集资风险提示短信。"
        "验证码请勿告诉他人。如非本人操作，请忽略。"
    ) % {"code": code, "minutes": minutes}


@dataclass(frozen=True)
class Choices:
    """What the person chose on the sign-up page, and the consent they gave there."""

    region_id: int | None
    audience_ids: list
    consent_text: str
    source: str

    def as_payload(self):
        return {
            "region": self.region_id,
            "audiences": list(self.audience_ids),
            "consent_text": self.consent_text,
            "source": self.source[:300],
        }


def request_code(phone, choices, ip, now=None, *, session="", human=False):
    """Send a sign-up verification code to ``phone`` (E.164) unless a bombing limit says no.

    ``session`` and ``human`` are as for ``limits.check_code_request``. Returns None when a
    code went out (or at least to the gateway), else a limits.Refusal. The caller answers
    "sent (if the number is valid)" either way the gateway answers.
    """
    return send_code(phone, ip, now, session=session, human=human, payload=choices.as_payload())


def send_code(phone, ip, now=None, *, session="", human=False, payload=None, text=code_text):
    """Send a verification code to ``phone`` for any purpose, under the same bombing limits.

    ``payload`` travels with the code (its "purpose" key, default sign-up, says what the code
    may confirm); ``text(code)`` is the message. Returns None or a limits.Refusal, as
    ``request_code``.
    """
    now = now or timezone.now()
    refusal = limits.check_code_request(phone, ip, now, session=session, human=human)
    if refusal:
        logger.info("verification code for %s refused: %s", mask(phone), refusal.kind)
        return refusal
    code = new_code()
    record = VerificationCode.objects.create(
        phone=phone,
        code_hash=code_hash(phone, code),
        payload=payload or {},
        created_at=now,
        expires_at=now + datetime.timedelta(seconds=settings.SMS_CODE_TTL_SECONDS),
    )
    (result,) = sending.send([Message(f"c{record.pk}", phone, text(code))])
    if result.gateway_id:
        VerificationCode.objects.filter(pk=record.pk).update(gateway_id=result.gateway_id[:64])
    if result.status != Result.ACCEPTED:
        logger.warning(
            "verification code to %s not accepted: %s %s",
            mask(phone),
            result.status,
            result.error[:80],
        )
    return None


@dataclass(frozen=True)
class Confirmation:
    ok: bool
    message: str = ""
    subscriber: Subscriber | None = None


def confirm_code(phone, typed, ip, now=None):
    """Check ``typed`` against the newest code sent to ``phone``; apply the sign-up if right.

    Returns a Confirmation (see ``use_code``).
    """
    return use_code(
        phone,
        typed,
        now,
        then=lambda record, at: apply_sign_up(phone, record.payload, ip, at),
    )


SIGN_UP = "subscribe"


def use_code(phone, typed, now=None, *, purpose=SIGN_UP, then=None):
    """Check ``typed`` against the newest code sent to ``phone`` for ``purpose`` and use it up.

    Every try is counted before the comparison (atomically, so parallel guesses cannot pass
    the limit); a code that was used, has expired, has had SMS_CODE_MAX_TRIES tries or was
    sent for another purpose is dead (a tip-off code never subscribes anyone). When it is
    right, ``then(record, now)`` runs in the transaction that uses it up; its return value is
    the Confirmation's ``subscriber``. Returns a Confirmation.
    """
    now = now or timezone.now()
    max_tries = settings.SMS_CODE_MAX_TRIES
    dead = _("这个验证码已失效，请重新获取验证码。")
    record = VerificationCode.objects.filter(phone=phone).order_by("-created_at", "-pk").first()
    if record is None or (record.payload or {}).get("purpose", SIGN_UP) != purpose:
        return Confirmation(False, dead)
    counted = VerificationCode.objects.filter(
        pk=record.pk, consumed_at__isnull=True, expires_at__gt=now, attempts__lt=max_tries
    ).update(attempts=F("attempts") + 1)
    if not counted:
        return Confirmation(False, dead)
    if not code_matches(record.code_hash, phone, typed):
        left = max_tries - (record.attempts + 1)
        if left <= 0:
            return Confirmation(False, _("验证码错误次数太多，已失效，请重新获取验证码。"))
        return Confirmation(False, _("验证码不正确，还可以再试 %(n)s 次。") % {"n": left})
    with transaction.atomic():
        # Only one request may use a code, however many arrive at once.
        used = VerificationCode.objects.filter(pk=record.pk, consumed_at__isnull=True).update(
            consumed_at=now
        )
        if not used:
            return Confirmation(False, dead)
        result = then(record, now) if then else None
    return Confirmation(True, subscriber=result)


def apply_sign_up(phone, payload, ip, now):
    """Make ``phone`` an active subscriber with the choices in ``payload``; record consent.

    A new number is created; an unsubscribed or pending one is subscribed again (this is the
    fresh consent re-subscribing needs); an active one just gets its new choices. Every
    confirmation leaves a ConsentRecord with the text agreed to. Returns the Subscriber.
    """
    from website.taxonomy.models import Audience, Region

    region = (
        Region.objects.filter(pk=payload.get("region")).first() if payload.get("region") else None
    )
    audiences = list(Audience.objects.filter(pk__in=payload.get("audiences") or []))
    subscriber, _created = Subscriber.objects.get_or_create(phone=phone)
    subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
    subscriber.region = region
    fields = ["region"]
    welcome = subscriber.status != Subscriber.Status.ACTIVE
    if welcome:
        if subscriber.status == Subscriber.Status.UNSUBSCRIBED:
            subscriber.rotate_unsubscribe_token()
            fields.append("unsubscribe_token")
        subscriber.status = Subscriber.Status.ACTIVE
        subscriber.confirmed_at = now
        subscriber.unsubscribed_at = None
        subscriber.unsubscribed_via = ""
        fields += ["status", "confirmed_at", "unsubscribed_at", "unsubscribed_via"]
    subscriber.save(update_fields=fields)
    subscriber.audiences.set(audiences)
    consent = ConsentRecord.objects.create(
        subscriber=subscriber,
        action=ConsentRecord.Action.SUBSCRIBE,
        text=payload.get("consent_text", ""),
        source=payload.get("source", "")[:300],
        ip_hash=limits.ip_key(ip),
        at=now,
    )
    if welcome:
        # Only a new or returning subscriber is welcomed; changing one's choices is not news.
        sms_welcome.plan(subscriber, consent)
    logger.info("subscriber %s confirmed", subscriber.masked_phone)
    return subscriber
