from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuizConfig(AppConfig):
    name = "quiz"
    label = "quiz"
    verbose_name = _("知识测试")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # The question cache listens for edits to the bank in every process (admin, workers),
        # not only in those that happened to serve a quiz page first.
        from quiz import bank  # noqa: F401
