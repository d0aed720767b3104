"""审核员, the group that sees the statistics reports, may see the partner-embed figures."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTS = {"审核员": ["view_impression"]}


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations; create them now to grant them.
    app_config = apps.get_app_config("embeds")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GRANTS.items():
        group = Group.objects.filter(name=name).first()
        if group is None:
            continue
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="embeds", codename__in=codenames)
        )


class Migration(migrations.Migration):
    dependencies = [("embeds", "0001_initial"), ("core", "0002_staff_groups_and_workflow")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
