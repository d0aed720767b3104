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


@shared_task(ignore_result=True, acks_late=True)
def build_print_batch(batch_id):
    """Render a campaign's print materials into one zip. Idempotent (acks_late): a batch
    already done is left alone, and every piece comes from the content-version store."""
    from campaigns.outreach import batches

    batches.build(batch_id)
