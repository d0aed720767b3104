"""The editable department list (seeded), and the tip-off staff groups: 举报受理 handles
reports (queue, notes, evidence, rewards, statistics); 举报人信息查看 alone sees and exports
reporters' identities, every view of which is logged."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

DEPARTMENTS = [
    ("公安机关", 10),
    ("市场监管部门", 20),
    ("金融监管部门", 30),
    ("行业主管部门", 40),
    ("乡镇(街道)", 50),
]
HANDLERS = "举报受理"
IDENTITY = "举报人信息查看"
GRANTS = {
    HANDLERS: [
        "view_report",
        "change_report",
        "view_evidence",
        "view_reward",
        "add_note",
        "view_note",
        "view_department",
        "add_department",
        "change_department",
    ],
    IDENTITY: ["view_report", "view_reporter_identity", "view_identityaccess"],
}


def seed(apps, schema_editor):
    Department = apps.get_model("tipoffs", "Department")
    for name, order in DEPARTMENTS:
        Department.objects.get_or_create(name=name, defaults={"sort_order": order})
    app_config = apps.get_app_config("tipoffs")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    admin_access = Permission.objects.filter(
        content_type__app_label="wagtailadmin", codename="access_admin"
    )
    for name, codenames in GRANTS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="tipoffs", codename__in=codenames),
            *admin_access,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("tipoffs", "0001_initial"),
        ("core", "0002_staff_groups_and_workflow"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
    ]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
