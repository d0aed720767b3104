"""Celery tasks of tip-offs (scheduled by beat in settings: CELERY_BEAT_SCHEDULE)."""

from celery import shared_task

from website.tipoffs import services, status_sms


@shared_task(ignore_result=True, acks_late=True)
def status_sms_tick():
    """Settle and send due status SMS to reporters. Idempotent: the ledger decides."""
    return status_sms.tick()


@shared_task(ignore_result=True, acks_late=True)
def erase_expired_identities():
    """Delete reporters' identities TIPOFF_IDENTITY_RETENTION_DAYS after their report closed."""
    return services.erase_expired_identities()
