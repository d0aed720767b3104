"""Put the question bank under review like pages.

Existing questions are what the public quiz asks today: each becomes live with an initial
revision holding exactly its current content (choice ids included). Questions join the
"内容审核" workflow, and 审核员 get the right to publish (approve) them; 编辑 only save drafts
and submit them.
"""

from django.db import migrations
from django.utils import timezone
from modelcluster.models import (
    get_all_child_m2m_relations,
    get_all_child_relations,
    get_serializable_data_for_fields,
)

REVIEWER_PERMS = {"publish": "可以发布题目", "lock": "可以锁定题目", "unlock": "可以解锁题目"}


def serializable_data(obj):
    # modelcluster's ClusterableModel.serializable_data, which historical models lack.
    data = get_serializable_data_for_fields(obj)
    for rel in get_all_child_relations(obj):
        name = rel.get_accessor_name()
        data[name] = [get_serializable_data_for_fields(c) for c in getattr(obj, name).all()]
    for field in get_all_child_m2m_relations(obj):
        if field.serialize:
            data[field.name] = [c.pk for c in getattr(obj, field.name).all()]
    return data


def put_under_review(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    Question = apps.get_model("quiz", "Question")
    Revision = apps.get_model("wagtailcore", "Revision")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowContentType = apps.get_model("wagtailcore", "WorkflowContentType")

    ct, _ = ContentType.objects.get_or_create(app_label="quiz", model="question")
    # Wagtail adds these permissions after migrating; create them now to grant them.
    perms = [
        Permission.objects.get_or_create(
            content_type=ct, codename=f"{action}_question", defaults={"name": name}
        )[0]
        for action, name in REVIEWER_PERMS.items()
    ]
    reviewers = Group.objects.filter(name="审核员").first()
    if reviewers is not None:
        reviewers.permissions.add(*perms)
    workflow = Workflow.objects.filter(name="内容审核").first()
    if workflow is not None:
        WorkflowContentType.objects.update_or_create(
            content_type=ct, defaults={"workflow": workflow}
        )

    now = timezone.now()
    for question in Question.objects.filter(latest_revision__isnull=True).iterator():
        revision = Revision.objects.create(
            content_type=ct,
            base_content_type=ct,
            object_id=str(question.pk),
            created_at=now,
            content=serializable_data(question),
            object_str=f"{question.code} {question.stem[:30]}",
        )
        Question.objects.filter(pk=question.pk).update(
            live=True,
            has_unpublished_changes=False,
            latest_revision=revision,
            live_revision=revision,
            first_published_at=question.created_at or now,
            last_published_at=now,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("quiz", "0005_question_review"),
        ("core", "0002_staff_groups_and_workflow"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(put_under_review, migrations.RunPython.noop)]
