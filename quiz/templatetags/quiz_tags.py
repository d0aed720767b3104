from django import template

from quiz.models import QuizPage

register = template.Library()
MAX_LINKS = 3


@register.inclusion_tag("quiz/includes/quiz_links.html")
def quiz_links(audience=None):
    """Link the live quizzes for ``audience`` (or all quizzes); one query."""
    quizzes = QuizPage.objects.live().public().order_by("path")
    if audience is not None:
        quizzes = quizzes.filter(draw_audiences=audience)
    return {"quizzes": list(quizzes[:MAX_LINKS])}
