"""Celery work for SMS. Beat ticks ``dispatch`` every few seconds; nothing uses long ETAs
(Redis would redeliver a task whose ETA outlives the visibility timeout)."""

import logging

from celery import shared_task
from django.conf import settings
from django.core.cache import cache

from campaigns.models import SmsBlast, SmsDelivery
from campaigns.sms import delivery, staff_texts, welcome
from campaigns.sms.ledger import CACHE_DOWN

logger = logging.getLogger(__name__)


@shared_task(ignore_result=True)
def dispatch():
    """Plan due blasts, settle rows left in flight, keep each sending blast's worker slots
    filled, send the welcomes of new subscribers and staff's notices, and close blasts that are done. Safe to run any number of times at once.

    While the shared cache is unreachable nothing is settled or started: sending pauses,
    and the first tick that finds the cache back resumes it.
    """
    for blast_id in delivery.due_blasts().values_list("pk", flat=True):
        delivery.plan_blast(blast_id)
    try:
        delivery.settle_in_flight()
        welcome.settle_in_flight()
        staff_texts.settle_in_flight()
        quiet = delivery.in_quiet_hours()
        if not quiet:
            fill_slots()
            # A handful a minute at most: sent here rather than by a task of its own.
            welcome.send_due()
        # Staff texts too; alerts go out even in quiet hours.
        staff_texts.send_due(quiet=quiet)
    except CACHE_DOWN as exc:
        logger.warning("SMS dispatch: cache unreachable (%s); sending paused", exc)
    delivery.finish_blasts()


def fill_slots():
    """Start a ``send_blast`` task for each free worker slot of each blast with queued rows."""
    sending = SmsBlast.objects.filter(status=SmsBlast.Status.SENDING).values_list("pk", flat=True)
    for blast_id in sending:
        if not SmsDelivery.objects.filter(
            blast_id=blast_id, status=SmsDelivery.Status.QUEUED
        ).exists():
            continue
        for slot in range(settings.SMS_SEND_PARALLELISM):
            # The slot key is held while a task works the blast (and expires if its
            # worker dies), so a tick never piles up tasks.
            if cache.add(f"sms-slot:{blast_id}:{slot}", 1, settings.SMS_SLOT_SECONDS):
                send_blast.delay(blast_id, slot)


@shared_task(acks_late=True, ignore_result=True)
def send_blast(blast_id, slot):
    """Work one blast for up to SMS_TASK_SECONDS. Idempotent: claims decide who sends what."""
    return delivery.send_blast(blast_id, slot)
