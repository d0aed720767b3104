"""The welcome SMS after a confirmed sign-up: it says the subscription worked and how to
leave (回复TD, or the person's own unsubscribe link).

Exactly once, like every message the office must not send twice: confirming a sign-up writes
one ledger row in the same transaction (unique on the consent record), and the dispatcher tick
claims, submits through the one sending layer (its global rate limit) and settles rows a dead
worker left in flight against the gateway's records — the shared engine of
``campaigns.sms.ledger``. Nothing is claimed in quiet hours: a sign-up confirmed at 23:00 is
welcomed after they end. A person who leaves before the welcome is sent never gets it.

    queued ──claim──▶ submitting ──accepted──▶ sent
                          │ rejected ─▶ failed;  retry / not at gateway ─▶ queued again
                          └ unsubscribed by claim time ─▶ skipped
"""

import logging

from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.models import Subscriber, WelcomeMessage
from campaigns.sms import sending
from campaigns.sms import text as sms_text
from campaigns.sms.ledger import Ledger
from campaigns.sms.sending import Message

logger = logging.getLogger(__name__)
Status = WelcomeMessage.Status

LEDGER = Ledger(
    WelcomeMessage, "w", Status.SENT, done_at="sent_at", error="error", settle_limit=500
)


def plan(subscriber, consent):
    """Queue the welcome for ``consent`` (a subscribe ConsentRecord of ``subscriber``).

    Call inside the transaction that confirms the sign-up. Returns the ledger row.
    """
    row, _created = WelcomeMessage.objects.get_or_create(
        consent=consent, defaults={"subscriber": subscriber}
    )
    return row


def text_for(subscriber):
    """Return the welcome SMS for ``subscriber``: signature, what they get, how to leave."""
    return sms_text.signature() + _(
        "您已订阅非法集资风险提示短信。不想再收，回复TD或点%(url)s退订。"
    ) % {"url": sms_text.unsubscribe_url(subscriber.unsubscribe_token)}


def claim(size=50, now=None):
    """Claim up to ``size`` queued welcomes; return [(row, subscriber)].

    Rows whose subscriber is no longer active are marked skipped instead.
    """
    now = now or timezone.now()

    def still_subscribed(rows):
        people = Subscriber.objects.in_bulk([r.subscriber_id for r in rows])
        wanted, unwanted = [], {}
        for row in rows:
            person = people.get(row.subscriber_id)
            if person is None or person.status != Subscriber.Status.ACTIVE:
                unwanted[row.pk] = "unsubscribed"
            else:
                wanted.append((row.pk, (row, person)))
        return wanted, unwanted

    return LEDGER.claim(size, still_subscribed, now=now)


def send_due(now=None):
    """Claim and send every due welcome; return how many were claimed.

    The caller checks quiet hours (``delivery.in_quiet_hours``) first.
    """
    total = 0
    while True:
        claimed = claim(now=now)
        if not claimed:
            return total
        total += len(claimed)
        messages = [Message(row.key, person.phone, text_for(person)) for row, person in claimed]
        LEDGER.record(sending.send(messages), now)


def settle_in_flight(now=None):
    """Resolve welcomes left "submitting" against the gateway's records; return
    (found, requeued)."""
    return LEDGER.settle(sending.get_backend(), now)
