from celery import shared_task


@shared_task(acks_late=True, ignore_result=True)
def rebuild_title_vocabulary():
    """Rebuild the pinyin vocabulary of page titles (idempotent: the last run wins)."""
    from website.search.pinyin import rebuild_titles

    return rebuild_titles()
