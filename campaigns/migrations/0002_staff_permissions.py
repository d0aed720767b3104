"""编辑 compose SMS blasts; 审核员 approve them (the two-person rule) and see subscribers.
Exporting full phone numbers is a permission of its own, granted to nobody by default."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTS = {
    "编辑": ["add_smsblast", "change_smsblast", "view_smsblast", "view_subscriber"],
    "审核员": ["add_smsblast", "change_smsblast", "view_smsblast", "approve_smsblast", "view_subscriber", "view_staffalert"],
}


def grant(apps, schema_editor):
    app_config = apps.get_app_config("campaigns")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GRANTS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="campaigns", codename__in=codenames)
        )


class Migration(migrations.Migration):
    dependencies = [("campaigns", "0001_initial"), ("core", "0002_staff_groups_and_workflow")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
