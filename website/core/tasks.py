from celery import shared_task
from django.core.management import call_command


@shared_task(acks_late=True, ignore_result=True)
def publish_scheduled_pages():
    """Publish and unpublish pages whose scheduled time has come (Wagtail's go-live/expiry).

    Idempotent: running it twice in a row does nothing the second time.
    """
    call_command("publish_scheduled", verbosity=0)
