"""Celery work of the risk-lead ledger: the screening-reminder tick (beat, every minute)."""

from celery import shared_task

from website.leads import reminders


@shared_task(ignore_result=True, acks_late=True)
def screening_reminder_tick():
    """Plan, settle and send due screening reminders. Idempotent: the ledger decides."""
    return reminders.tick()
