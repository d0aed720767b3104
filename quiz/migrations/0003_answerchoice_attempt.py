import django.db.models.deletion
from django.db import migrations, models


def copy_attempts(apps, schema_editor):
    AnswerChoice = apps.get_model("quiz", "AnswerChoice")
    Answer = apps.get_model("quiz", "Answer")
    AnswerChoice.objects.update(
        attempt_id=models.Subquery(
            Answer.objects.filter(pk=models.OuterRef("answer_id")).values("attempt_id")[:1]
        )
    )


class Migration(migrations.Migration):
    dependencies = [("quiz", "0002_seed_questions_and_permissions")]

    operations = [
        migrations.AddField(
            model_name="answerchoice",
            name="attempt",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="quiz.attempt",
            ),
        ),
        migrations.RunPython(copy_attempts, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="answerchoice",
            name="attempt",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="quiz.attempt",
            ),
        ),
    ]
