"""Clear the public page cache whenever something the public can see changes."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from taggit.models import Tag
from wagtail.images import get_image_model
from wagtail.models import PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from website.core.cache import bump_content_version
from website.core.models import ReportingSettings, SiteSettings
from website.taxonomy.models import Audience, Region


@receiver(page_published)
@receiver(page_unpublished)
@receiver(post_page_move)
def _page_changed(**kwargs):
    bump_content_version()


@receiver(post_delete)
def _anything_deleted(sender, **kwargs):
    from wagtail.models import Page

    if issubclass(sender, Page) or sender in (
        Audience,
        Region,
        Tag,
        ReportingSettings,
        SiteSettings,
        get_image_model(),
    ):
        bump_content_version()


@receiver(post_save, sender=Audience)
@receiver(post_save, sender=Region)
@receiver(post_save, sender=Tag)
def _reference_data_saved(**kwargs):
    bump_content_version()


@receiver(post_save, sender=ReportingSettings)
@receiver(post_save, sender=SiteSettings)
def _settings_saved(created, **kwargs):
    # for_site() creates the row with its defaults while a page renders: nothing a page
    # shows has changed then, and bumping would make that very page stale at once.
    if not created:
        bump_content_version()


@receiver(post_save, sender=Site)
@receiver(post_delete, sender=Site)
def _site_changed(**kwargs):
    # Routes are remembered per host with their Site and its root (website.core.routing).
    bump_content_version()


@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
def _privacy_changed(**kwargs):
    # Cached lists must not keep showing a page that was just made private.
    bump_content_version()


@receiver(post_save)
def _image_saved(sender, created, **kwargs):
    # Cached lists hold rendition URLs; a replaced image file gets new renditions.
    if not created and sender is get_image_model():
        bump_content_version()


@receiver(post_save, sender=ReportingSettings)
def _reporting_settings_saved(created, **kwargs):
    # Wagtail creates the row with its defaults on the first request that reads it; that
    # changes nothing on any page, and clearing the cache then would make every cold start
    # render twice.
    if not created:
        bump_content_version()
