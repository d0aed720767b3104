"""The four lists a new site starts with, who may keep them, and review before they are public.

Entities join the "内容审核" workflow like pages: 编辑 add and change entries and submit them;
审核员 publish them (and keep the list of kinds).
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

KINDS = [
    # name, role, description, sort order
    ("警示名单", "warning", "处非办或金融管理部门发布风险提示、提醒公众警惕的机构。", 10),
    ("已立案", "warning", "因涉嫌非法集资等犯罪已被公安机关立案侦查的机构。", 20),
    ("经营异常", "warning", "被市场监管部门列入经营异常名录的机构：联系不上或没有按规定公示信息。", 30),
    ("持牌机构", "licence", "经金融管理部门批准、持有金融业务许可证的机构。", 40),
]
EDITOR_PERMS = ["add_entity", "change_entity", "view_entity", "view_entitykind"]
REVIEWER_PERMS = EDITOR_PERMS + [
    "delete_entity",
    "publish_entity",
    "lock_entity",
    "unlock_entity",
    "add_entitykind",
    "change_entitykind",
    "delete_entitykind",
]
EXTRA_PERMS = {"publish": "可以发布名单机构", "lock": "可以锁定名单机构", "unlock": "可以解锁名单机构"}


def setup(apps, schema_editor):
    EntityKind = apps.get_model("firms", "EntityKind")
    for name, role, description, order in KINDS:
        EntityKind.objects.get_or_create(
            name=name, defaults={"role": role, "description": description, "sort_order": order}
        )

    app_config = apps.get_app_config("firms")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowContentType = apps.get_model("wagtailcore", "WorkflowContentType")

    ct, _ = ContentType.objects.get_or_create(app_label="firms", model="entity")
    # Wagtail adds these after migrating; create them now to grant them.
    for action, name in EXTRA_PERMS.items():
        Permission.objects.get_or_create(
            content_type=ct, codename=f"{action}_entity", defaults={"name": name}
        )
    for group_name, codenames in (("编辑", EDITOR_PERMS), ("审核员", REVIEWER_PERMS)):
        group = Group.objects.filter(name=group_name).first()
        if group is not None:
            group.permissions.add(
                *Permission.objects.filter(content_type__app_label="firms", codename__in=codenames)
            )
    workflow = Workflow.objects.filter(name="内容审核").first()
    if workflow is not None:
        WorkflowContentType.objects.update_or_create(
            content_type=ct, defaults={"workflow": workflow}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("firms", "0001_initial"),
        ("core", "0002_staff_groups_and_workflow"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(setup, migrations.RunPython.noop)]
