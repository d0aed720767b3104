"""A change to the synonym dictionary drops the cached table and every cached search page."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from website.core.cache import bump_content_version
from website.search.models import SynonymGroup


@receiver(post_save, sender=SynonymGroup)
@receiver(post_delete, sender=SynonymGroup)
def _synonyms_changed(**kwargs):
    bump_content_version()
