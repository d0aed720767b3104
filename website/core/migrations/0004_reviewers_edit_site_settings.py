"""审核员 (reviewers) keep the site information (网站信息) as they keep the reporting
channels: the guides, the privacy notice and the site identifiers."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

REVIEWERS = "审核员"


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations; create them now to grant them.
    app_config = apps.get_app_config("core")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=REVIEWERS).first()
    if group is not None:
        group.permissions.add(
            Permission.objects.get(content_type__app_label="core", codename="change_sitesettings")
        )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=REVIEWERS).first()
    if group is not None:
        group.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="core", codename="change_sitesettings"
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_site_settings"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
