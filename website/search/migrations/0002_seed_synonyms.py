"""Seed the synonym dictionary with everyday words (editable in 设置 › 搜索同义词) and let
审核员 keep it (编辑 may look)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from website.search.synonyms import DEFAULT_GROUPS

GRANTS = {
    "审核员": ["view_synonymgroup", "add_synonymgroup", "change_synonymgroup", "delete_synonymgroup"],
    "编辑": ["view_synonymgroup"],
}


def seed(apps, schema_editor):
    SynonymGroup = apps.get_model("site_search", "SynonymGroup")
    if not SynonymGroup.objects.exists():
        SynonymGroup.objects.bulk_create(
            SynonymGroup(words=words, one_way=one_way, note=note)
            for words, one_way, note in DEFAULT_GROUPS
        )
    # Permissions are normally created after all migrations; create them now to grant them.
    app_config = apps.get_app_config("site_search")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GRANTS.items():
        group = Group.objects.filter(name=name).first()
        if group is not None:
            group.permissions.add(
                *Permission.objects.filter(
                    content_type__app_label="site_search", codename__in=codenames
                )
            )


class Migration(migrations.Migration):
    dependencies = [("site_search", "0001_initial"), ("core", "0002_staff_groups_and_workflow")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
