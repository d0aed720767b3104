"""The gateway's webhooks: replies (TD and friends unsubscribe) and delivery receipts.

Every request is signed (HMAC over "{timestamp}.{body}", campaigns.sms.signing); a request
already seen within the time window is refused as a replay, and any control character in any
string is a 400 before anything reaches the database.
"""

import json
import logging
import re
import time
import unicodedata

from django.conf import settings
from django.db import transaction
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from campaigns.models import SmsDelivery, Subscriber
from campaigns.phone import mask, normalize_mobile
from campaigns.sms import signing
from website.core import limits

logger = logging.getLogger(__name__)


MAX_ITEMS = 1000
SIGNATURE_RE = re.compile(r"[0-9a-f]{64}")
# How far a webhook's timestamp may be from our clock, either way (seconds).
WEBHOOK_WINDOW = 300
# A signature can be replayed for as long as its timestamp is in the window: remembering it
# for twice the window covers a timestamp up to WEBHOOK_WINDOW in the future too.
SEEN_SIGNATURE_TTL = 2 * WEBHOOK_WINDOW + 1
SEEN_SCOPE = "sms-webhook-seen"
# Every blast says "回T退订" (text.OPT_OUT) and older messages and the welcome say "回复TD",
# so these always unsubscribe whatever staff configure.
REQUIRED_OPT_OUT_WORDS = {"T", "TD", "退订"}


class WebhookError(Exception):
    def __init__(self, status, message):
        super().__init__(message)
        self.status = status
        self.message = message


def _has_control_characters(value):
    """Return True when any string in ``value`` (keys too, at any depth) holds a character
    PostgreSQL or a log line should never see: C0/C1 controls other than tab, newline and
    carriage return (NUL above all, which PostgreSQL refuses in text), and lone surrogates
    (which cannot be encoded as UTF-8)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            for char in item:
                if char in "\t\n\r":
                    continue
                if unicodedata.category(char) in ("Cc", "Cs"):
                    return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def _first_sight(signature):
    """Return True the first time a signature is seen within the window, False for a replay.

    Raises WebhookError 503 when the cache cannot be asked: the gateway retries later,
    which loses nothing, whereas accepting unchecked would let a replay through.
    """
    try:
        return limits.once(SEEN_SCOPE, signature, SEEN_SIGNATURE_TTL)
    except Exception:
        logger.exception("webhook replay check unavailable")
        raise WebhookError(503, "replay check unavailable, retry later") from None


def _forget(signature):
    """Let a request whose processing failed be retried with the same signature."""
    try:
        limits.forget(SEEN_SCOPE, signature)
    except Exception:
        logger.exception("could not forget webhook signature")


def _signed_json(request):
    """Return the webhook's JSON body after checking its signature, freshness and novelty.

    Raises WebhookError: 403 for signature or time, 409 for a signed request already
    received within the window (a replay), 503 when that cannot be checked, 400 for the body
    (including control characters in any string).
    """
    timestamp = request.headers.get(signing.TIMESTAMP_HEADER, "")
    signature = request.headers.get(signing.SIGNATURE_HEADER, "")
    try:
        body = request.body
    except Exception:  # RequestDataTooBig and friends
        raise WebhookError(400, "body too large or unreadable") from None
    if not settings.SMS_WEBHOOK_SECRET:
        raise WebhookError(403, "webhooks are not configured")
    if not re.fullmatch(r"[0-9]{1,12}", timestamp):
        raise WebhookError(403, "missing or malformed timestamp")
    if abs(time.time() - int(timestamp)) > WEBHOOK_WINDOW:
        raise WebhookError(403, "stale timestamp")
    if not SIGNATURE_RE.fullmatch(signature) or not signing.verify(
        body, timestamp, signature, settings.SMS_WEBHOOK_SECRET, tolerance=WEBHOOK_WINDOW
    ):
        raise WebhookError(403, "bad signature")
    # Only after the signature holds, so unsigned junk cannot fill the cache.
    if not _first_sight(signature):
        raise WebhookError(409, "replayed request: this signature was already received")
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise WebhookError(400, "body is not JSON") from None
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        raise WebhookError(400, "expected an object or a list of objects")
    if len(data) > MAX_ITEMS:
        raise WebhookError(400, f"at most {MAX_ITEMS} items per request")
    if _has_control_characters(data):
        raise WebhookError(400, "control characters are not allowed in any string")
    return data


def _webhook(handler):
    """Wrap a webhook handler: POST only, no CSRF, signed JSON in, JSON out, never a 500."""

    @csrf_exempt
    @require_POST
    def view(request):
        hook = handler.__name__
        try:
            items = _signed_json(request)
            try:
                result = handler(items)
            except Exception:
                # Nothing was recorded: the gateway's retry of this very request must pass.
                _forget(request.headers.get(signing.SIGNATURE_HEADER, ""))
                raise
        except WebhookError as error:
            logger.warning(
                "%s webhook rejected (%s): %s, %s bytes",
                hook,
                error.status,
                error.message,
                request.META.get("CONTENT_LENGTH") or "?",
            )
            return JsonResponse({"ok": False, "error": error.message}, status=error.status)
        return JsonResponse({"ok": True, **result})

    view.__name__ = handler.__name__
    view.__doc__ = handler.__doc__
    return view


def _bare(text):
    """Return ``text`` as an opt-out word is compared: NFKC (full width to half width),
    without the punctuation, symbols, spaces and controls around it or spaces inside it,
    upper case."""
    trimmed = unicodedata.normalize("NFKC", text)
    start, end = 0, len(trimmed)
    while start < end and unicodedata.category(trimmed[start])[0] in "PZSC":
        start += 1
    while end > start and unicodedata.category(trimmed[end - 1])[0] in "PZSC":
        end -= 1
    return "".join(trimmed[start:end].split()).upper()


def opt_out_words():
    """Return the set of replies that unsubscribe (compared bare): the staff-edited list of
    短信设置 plus T, TD and 退订, which the messages name."""
    from campaigns.models import SmsSettings

    configured = SmsSettings.load().opt_out_replies
    words = {_bare(line) for line in configured.splitlines()}
    return (words - {""}) | REQUIRED_OPT_OUT_WORDS


def is_opt_out(text, words=None):
    """Return True when a reply means "stop": one of ``words`` (default: ``opt_out_words()``)
    in any width, case or surrounding punctuation; never as part of a longer text."""
    if not isinstance(text, str):
        return False
    return _bare(text) in (opt_out_words() if words is None else words)


def _sender(value):
    if not isinstance(value, str) or len(value) > 40:
        return None
    digits = value.strip()
    if re.fullmatch(r"86[0-9]{11}", digits):  # some gateways drop the "+"
        digits = "+" + digits
    try:
        return normalize_mobile(digits)
    except Exception:
        return None


def _log_text(text):
    """A reply's text for the log: short, and with any long digit run (a number) masked."""
    return re.sub(r"[0-9]{5,}", "…", text[:30])


def inbound(items):
    """Replies from subscribers: any configured opt-out reply (TD, 退订, 取消 …) unsubscribes
    at once; anything else is logged."""
    for item in items:
        if not isinstance(item.get("from"), str) or not isinstance(item.get("text"), str):
            raise WebhookError(400, 'each item needs "from" and "text" strings')
    unsubscribed = ignored = 0
    words = opt_out_words()
    for item in items:
        phone = _sender(item["from"])
        if phone is None:
            ignored += 1
            logger.info("inbound SMS from an unusable number ignored")
            continue
        if not is_opt_out(item["text"], words):
            ignored += 1
            logger.info("inbound SMS from %s ignored: %r", mask(phone), _log_text(item["text"]))
            continue
        subscriber = Subscriber.objects.filter(phone=phone).first()
        if subscriber is not None and subscriber.unsubscribe(via="reply"):
            unsubscribed += 1
            logger.info("subscriber %s unsubscribed by reply", mask(phone))
        else:
            ignored += 1
            logger.info("opt-out reply from %s: not an active subscriber", mask(phone))
    return {"unsubscribed": unsubscribed, "ignored": ignored}


def receipts(items):
    """Delivery receipts: a submitted ledger row becomes delivered or failed (error code kept)."""
    parsed = []
    for item in items:
        message_id, status = item.get("message_id"), item.get("status")
        error = item.get("error") or ""
        if isinstance(message_id, int) and not isinstance(message_id, bool):
            message_id = str(message_id)
        if not (isinstance(message_id, str) and 0 < len(message_id) <= 64):
            raise WebhookError(
                400, 'each item needs a "message_id" string of at most 64 characters'
            )
        if not isinstance(status, str) or not isinstance(error, str):
            raise WebhookError(400, '"status" and "error" must be strings')
        parsed.append((message_id, status.strip().lower(), error.strip()))
    ids = {message_id for message_id, _status, _error in parsed}
    known = set(
        SmsDelivery.objects.filter(gateway_id__in=ids)
        .exclude(gateway_id="")  # spelled out so PostgreSQL uses the partial index
        .values_list("gateway_id", flat=True)
    )
    delivered, failed, ignored = set(), {}, 0
    for message_id, status, error in parsed:
        if message_id not in known:
            continue
        if status == "delivered":
            delivered.add(message_id)
        elif status == "failed":
            failed.setdefault((error or "failed")[:40], set()).add(message_id)
        else:  # intermediate states some gateways report ("sent", "pending" …)
            ignored += 1
    # Only a submitted row moves: a repeated or late receipt changes nothing.
    submitted = SmsDelivery.objects.filter(status=SmsDelivery.Status.SUBMITTED).exclude(
        gateway_id=""
    )
    updated = 0
    with transaction.atomic():
        if delivered:
            updated += submitted.filter(gateway_id__in=delivered).update(
                status=SmsDelivery.Status.DELIVERED, delivered_at=timezone.now()
            )
        for error_code, message_ids in failed.items():
            updated += submitted.filter(gateway_id__in=message_ids).update(
                status=SmsDelivery.Status.FAILED, error_code=error_code
            )
    unknown = len(ids - known)
    if unknown:
        logger.warning("receipts webhook: %s unknown message ids ignored", unknown)
    return {"updated": updated, "unknown": unknown, "ignored": ignored}


inbound_webhook = _webhook(inbound)
receipts_webhook = _webhook(receipts)
