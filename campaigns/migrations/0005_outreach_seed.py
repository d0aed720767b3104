"""Seed the seven 七进 channels; 编辑 plan and record events, 审核员 too and set coverage
targets."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CHANNELS = [
    ("机关", "jiguan"),
    ("学校", "xuexiao"),
    ("企业", "qiye"),
    ("社区", "shequ"),
    ("村组", "cunzu"),
    ("家庭", "jiating"),
    ("金融网点", "jinrong"),
]
EVENT = ["add_outreachevent", "change_outreachevent", "view_outreachevent", "view_outreachchannel"]
GRANTS = {
    "编辑": EVENT + ["view_coveragetarget"],
    "审核员": EVENT
    + [
        "delete_outreachevent",
        "add_coveragetarget",
        "change_coveragetarget",
        "view_coveragetarget",
        "delete_coveragetarget",
        "add_outreachchannel",
        "change_outreachchannel",
        "view_staffalert",
    ],
}


def seed(apps, schema_editor):
    Channel = apps.get_model("campaigns", "OutreachChannel")
    for order, (name, slug) in enumerate(CHANNELS, start=1):
        Channel.objects.get_or_create(slug=slug, defaults={"name": name, "sort_order": order * 10})
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
    dependencies = [("campaigns", "0004_outreach")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
