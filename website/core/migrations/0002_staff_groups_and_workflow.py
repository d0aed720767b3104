"""Staff groups 编辑 (editors) and 审核员 (reviewers), and the moderation workflow.

Editors write and submit; only reviewers publish. Every page falls under the workflow
"内容审核", whose single task is approval by the 审核员 group.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITORS = "编辑"
REVIEWERS = "审核员"

PAGE_PERMS = {
    EDITORS: ["add_page", "change_page"],
    REVIEWERS: ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"],
}
COLLECTION_PERMS = {
    EDITORS: [
        ("wagtailimages", "add_image"),
        ("wagtailimages", "change_image"),
        ("wagtailimages", "choose_image"),
        ("wagtaildocs", "add_document"),
        ("wagtaildocs", "change_document"),
        ("wagtaildocs", "choose_document"),
    ],
}
COLLECTION_PERMS[REVIEWERS] = COLLECTION_PERMS[EDITORS] + [
    ("wagtailimages", "delete_image"),
    ("wagtaildocs", "delete_document"),
]
MODEL_PERMS = {
    EDITORS: [("wagtailadmin", "access_admin")],
    REVIEWERS: [
        ("wagtailadmin", "access_admin"),
        ("taxonomy", "add_audience"),
        ("taxonomy", "change_audience"),
        ("taxonomy", "add_region"),
        ("taxonomy", "change_region"),
        ("taggit", "add_tag"),
        ("taggit", "change_tag"),
        ("core", "change_reportingsettings"),
    ],
}


def setup(apps, schema_editor):
    # Permissions are normally created after all migrations; create them now so they can
    # be granted here.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")

    def perm(app_label, codename):
        return Permission.objects.get(content_type__app_label=app_label, codename=codename)

    root_page = Page.objects.get(depth=1)
    root_collection = Collection.objects.get(depth=1)
    groups = {}
    for name in (EDITORS, REVIEWERS):
        group, _ = Group.objects.get_or_create(name=name)
        groups[name] = group
        for codename in PAGE_PERMS[name]:
            GroupPagePermission.objects.get_or_create(
                group=group, page=root_page, permission=perm("wagtailcore", codename)
            )
        for app_label, codename in COLLECTION_PERMS[name]:
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=root_collection, permission=perm(app_label, codename)
            )
        group.permissions.add(*(perm(a, c) for a, c in MODEL_PERMS[name]))

    task_ct, _ = ContentType.objects.get_or_create(
        app_label="wagtailcore", model="groupapprovaltask"
    )
    task, _ = GroupApprovalTask.objects.get_or_create(
        name="审核员审核", defaults={"content_type": task_ct, "active": True}
    )
    task.groups.set([groups[REVIEWERS]])
    workflow, _ = Workflow.objects.get_or_create(name="内容审核", defaults={"active": True})
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    WorkflowPage.objects.update_or_create(page=root_page, defaults={"workflow": workflow})

    # Wagtail's English starter groups and their workflow would only confuse staff.
    Workflow.objects.filter(name="Moderators approval").delete()
    GroupApprovalTask.objects.filter(name="Moderators approval").delete()
    Group.objects.filter(name__in=["Moderators", "Editors"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        ("taxonomy", "0002_seed_reference_data"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailadmin", "0006_formstate"),
    ]

    operations = [migrations.RunPython(setup, migrations.RunPython.noop)]
