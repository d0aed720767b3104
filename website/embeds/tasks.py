from celery import shared_task

from website.embeds import impressions


@shared_task(ignore_result=True)
def flush_impressions():
    """Move widget views buffered in Redis into the database (beat, every minute)."""
    return impressions.flush()
