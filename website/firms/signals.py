"""A change to the lists clears the public page cache, which keeps lookup answers too."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from website.core.cache import bump_content_version
from website.firms.models import Entity, EntityKind


@receiver(post_save, sender=Entity)
@receiver(post_delete, sender=Entity)
@receiver(post_save, sender=EntityKind)
@receiver(post_delete, sender=EntityKind)
def _list_changed(sender, instance, **kwargs):
    # A draft that was never published is not public: saving it changes no answer.
    if sender is Entity and not instance.live and instance.first_published_at is None:
        return
    bump_content_version()
