"""Telling staff that work waits for them, by the channel each one chose
(``StaffNotificationPreference``): e-mail, SMS, both or neither.

E-mail goes out here (console backend on the embedded default, SMTP when configured); a
failing mail server is logged, never raised. SMS belongs to the campaigns app's sending layer,
which the kernel may not import: it registers a ``send_staff_sms`` hook, and this module hands
it the texts. The hook queues them in its exactly-once ledger (rate limit, quiet hours, phone
never logged), so nothing here waits for a gateway.
"""

import logging
from dataclasses import dataclass

from django.core.mail import send_mail
from wagtail import hooks

from website.core.models import StaffNotificationPreference

logger = logging.getLogger(__name__)
Channel = StaffNotificationPreference.Channel


@dataclass(frozen=True)
class StaffText:
    """One SMS to one member of staff. ``key`` names the notice (``page-review:17``) so the
    same notice is never queued twice for the same person; ``urgent`` texts ignore quiet hours."""

    user: object
    phone: str
    text: str
    key: str
    urgent: bool = False


def preference(user):
    """Return the user's StaffNotificationPreference (unsaved default, e-mail, when none)."""
    try:
        return user.notification_preference
    except StaffNotificationPreference.DoesNotExist:
        return StaffNotificationPreference(user=user)


def preferences(users):
    """Return {user id: preference} for ``users`` in one query."""
    users = list(users)
    found = {
        p.user_id: p
        for p in StaffNotificationPreference.objects.filter(user__in=[u.pk for u in users])
    }
    return {u.pk: found.get(u.pk) or StaffNotificationPreference(user=u) for u in users}


def split_by_channel(users):
    """Return (by e-mail, by SMS) lists of the active ``users``, as each one chose."""
    users = [u for u in users if u and u.is_active]
    chosen = preferences(users)
    mail = [u for u in users if chosen[u.pk].by_email and u.email]
    sms = [(u, chosen[u.pk].phone) for u in users if chosen[u.pk].by_sms]
    return mail, sms


def send_sms(texts):
    """Hand ``texts`` (StaffText) to the SMS layer; return how many it took. Without one
    (a site without the campaigns app) nothing is sent and nothing fails."""
    if not texts:
        return 0
    taken = 0
    for fn in hooks.get_hooks("send_staff_sms"):
        taken += fn(texts) or 0
    return taken


def email(users, subject, body):
    """Mail ``body`` to ``users``; return how many were sent. Never raises."""
    sent = 0
    for user in users:
        try:
            sent += send_mail(subject, body, None, [user.email])
        except Exception:  # a mail server down must not turn a submission into a 500
            logger.exception("staff notification e-mail not sent (user %s)", user.pk)
    return sent


def notify(users, *, subject, body, sms, key, urgent=False):
    """Tell ``users`` by the channel each chose: ``subject``/``body`` by e-mail, ``sms`` by
    text message. ``key`` names this notice (one text per person per key). Returns (e-mails
    sent, texts queued). Never raises for mail or gateway trouble."""
    by_mail, by_sms = split_by_channel(users)
    return email(by_mail, subject, body), text_each(by_sms, sms, key, urgent=urgent)


def text_each(by_sms, text, key, *, urgent=False):
    """Queue ``text`` for each (user, phone) of ``by_sms`` (from ``split_by_channel``), one
    text per person per notice ``key``; return how many were queued. Never raises: the
    notice is on the dashboard whatever happens to the text."""
    texts = [StaffText(u, phone, text, f"{key}:u{u.pk}", urgent) for u, phone in by_sms]
    try:
        return send_sms(texts)
    except Exception:
        logger.exception("staff notification SMS not queued (%s)", key)
        return 0
