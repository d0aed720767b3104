from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "website.core"
    label = "core"
    verbose_name = _("站点")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_migrate

        from website.core import chooser_links, moderation, signals  # noqa: F401
        from website.core.site_address import sync_default_site
        from website.core.translation import install as remember_translations

        remember_translations()

        # After every app has migrated (Wagtail's first migration creates the Site).
        post_migrate.connect(sync_default_site, sender=self, dispatch_uid="core.sync_site")
        # Before wagtail.admin's ready(): see website.core.moderation.
        moderation.connect()
        chooser_links.install()
