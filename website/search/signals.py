"""A change to the synonym dictionary drops the cached table and every cached search page;
a publish or unpublish queues a rebuild of the pinyin vocabulary of page titles."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished

from website.core.cache import bump_content_version
from website.search.models import SynonymGroup


@receiver(post_save, sender=SynonymGroup)
@receiver(post_delete, sender=SynonymGroup)
def _synonyms_changed(**kwargs):
    bump_content_version()


@receiver(page_published)
@receiver(page_unpublished)
def _titles_changed(**kwargs):
    from website.search.pinyin import queue_rebuild

    transaction.on_commit(queue_rebuild)
