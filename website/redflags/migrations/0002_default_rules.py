"""The default rule set and methods (website.redflags.defaults), published, under review.

Each rule becomes live with an initial revision holding its content, joins the "内容审核"
workflow, and the staff groups get their rights: 编辑 draft and submit, 审核员 publish.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations
from django.utils import timezone
from django.utils.text import slugify

from website.redflags.defaults import METHODS, RULES

GROUP_PERMS = {
    "编辑": ["add_rule", "change_rule", "view_rule", "view_method"],
    "审核员": [
        "add_rule",
        "change_rule",
        "delete_rule",
        "view_rule",
        "publish_rule",
        "lock_rule",
        "unlock_rule",
        "add_method",
        "change_method",
        "delete_method",
        "view_method",
        "change_checkersettings",
    ],
}
EXTRA_PERMS = {"publish_rule": "可以发布规则", "lock_rule": "可以锁定规则", "unlock_rule": "可以解锁规则"}


def seed(apps, schema_editor):
    from modelcluster.models import get_serializable_data_for_fields

    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    Tag = apps.get_model("taggit", "Tag")
    Method = apps.get_model("redflags", "Method")
    Rule = apps.get_model("redflags", "Rule")
    Revision = apps.get_model("wagtailcore", "Revision")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowContentType = apps.get_model("wagtailcore", "WorkflowContentType")

    # Permissions are normally created after all migrations; create them now to grant them.
    app_config = apps.get_app_config("redflags")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    ct, _ = ContentType.objects.get_or_create(app_label="redflags", model="rule")
    for codename, name in EXTRA_PERMS.items():
        Permission.objects.get_or_create(content_type=ct, codename=codename, defaults={"name": name})
    for group_name, codenames in GROUP_PERMS.items():
        group = Group.objects.filter(name=group_name).first()
        if group is not None:
            group.permissions.add(
                *Permission.objects.filter(content_type__app_label="redflags", codename__in=codenames)
            )
    workflow = Workflow.objects.filter(name="内容审核").first()
    if workflow is not None:
        WorkflowContentType.objects.update_or_create(content_type=ct, defaults={"workflow": workflow})

    methods = {}
    for order, (name, description) in enumerate(METHODS, start=1):
        methods[name], _ = Method.objects.get_or_create(
            name=name, defaults={"description": description, "sort_order": order * 10}
        )
    now = timezone.now()
    for data in RULES:
        if Rule.objects.filter(key=data["key"]).exists():
            continue
        tag = None
        if data["tag"]:
            tag, _ = Tag.objects.get_or_create(
                name=data["tag"], defaults={"slug": slugify(data["tag"], allow_unicode=True)}
            )
        rule = Rule.objects.create(
            key=data["key"],
            name=data["name"],
            pattern=data["pattern"],
            feature=data["feature"],
            method=methods.get(data["method"]),
            explanation=data["explanation"],
            tag=tag,
            live=True,
            has_unpublished_changes=False,
            first_published_at=now,
            last_published_at=now,
        )
        revision = Revision.objects.create(
            content_type=ct,
            base_content_type=ct,
            object_id=str(rule.pk),
            created_at=now,
            content=get_serializable_data_for_fields(rule),
            object_str=rule.name,
        )
        Rule.objects.filter(pk=rule.pk).update(latest_revision=revision, live_revision=revision)


class Migration(migrations.Migration):
    dependencies = [
        ("redflags", "0001_initial"),
        ("core", "0002_staff_groups_and_workflow"),
        ("taxonomy", "0002_seed_reference_data"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
