"""Seed the question bank (quiz/seed_questions.py) and give the staff groups their rights:
编辑 may write questions; 审核员 may also delete them and see the statistics."""

from django.contrib.auth.management import create_permissions
from django.db import migrations
from django.utils.text import slugify

from quiz.seed_questions import QUESTIONS

GROUP_PERMS = {
    "编辑": ["add_question", "change_question", "view_question"],
    "审核员": [
        "add_question",
        "change_question",
        "delete_question",
        "view_question",
        "view_quiz_reports",
    ],
}


def seed_questions(apps, schema_editor):
    Question = apps.get_model("quiz", "Question")
    Choice = apps.get_model("quiz", "Choice")
    QuestionTag = apps.get_model("quiz", "QuestionTag")
    Tag = apps.get_model("taggit", "Tag")
    Audience = apps.get_model("taxonomy", "Audience")
    through = Question._meta.get_field("audiences").remote_field.through
    audiences = {a.slug: a for a in Audience.objects.all()}
    for item in QUESTIONS:
        if Question.objects.filter(code=item["code"]).exists():
            continue
        question = Question.objects.create(
            code=item["code"],
            kind=item["kind"],
            stem=item["stem"],
            scenario=item["scenario"],
            explanation=item["explanation"],
            hallmark=item["hallmark"],
            difficulty=item["difficulty"],
        )
        for order, (text, correct, feedback) in enumerate(item["choices"]):
            Choice.objects.create(
                question=question,
                sort_order=order,
                text=text,
                is_correct=correct,
                feedback=feedback,
            )
        for name in item["tags"]:
            tag = Tag.objects.filter(name__iexact=name).first() or Tag.objects.create(
                name=name, slug=slugify(name, allow_unicode=True)
            )
            QuestionTag.objects.create(tag=tag, content_object=question)
        through.objects.bulk_create(
            through(question_id=question.pk, audience_id=audiences[slug].pk)
            for slug in item["audiences"]
            if slug in audiences
        )


def grant_permissions(apps, schema_editor):
    # Permissions are normally created after all migrations; create them now to grant them.
    app_config = apps.get_app_config("quiz")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GROUP_PERMS.items():
        group = Group.objects.filter(name=name).first()
        if group is None:
            continue
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="quiz", codename__in=codenames)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("quiz", "0001_initial"),
        ("taxonomy", "0002_seed_reference_data"),
        ("core", "0002_staff_groups_and_workflow"),
    ]

    operations = [
        migrations.RunPython(seed_questions, migrations.RunPython.noop),
        migrations.RunPython(grant_permissions, migrations.RunPython.noop),
    ]
