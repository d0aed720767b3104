"""Celery work for 七进 outreach (loaded through CELERY_IMPORTS): the reminder tick every
few seconds and the daily check for events without an after-event record."""

from celery import shared_task

from campaigns.outreach import reminders


@shared_task(ignore_result=True)
def reminder_tick():
    """Plan, settle and send due organiser reminders. Idempotent: the ledger decides."""
    return reminders.tick()


@shared_task(ignore_result=True)
def flag_missing_records():
    return len(reminders.flag_missing_records())
