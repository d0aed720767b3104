"""Quiz fixtures: small banks with known answers, quiz pages, and attempts built directly."""

import datetime
import itertools

import pytest
from django.utils import timezone

from quiz.models import Answer, AnswerChoice, Attempt, Choice, Question, QuizPage
from quiz.scoring import complete_if_done
from tests import factories

_codes = itertools.count(1)


def make_question(kind="single", difficulty=2, n_choices=3, correct=(0,), tags=(), audiences=()):
    """Create a question whose choices are named A, B, C… and return it."""
    q = Question.objects.create(
        code=f"T{next(_codes):04d}",
        kind=kind,
        stem=f"测试题{difficulty}",
        explanation="测试解析：承诺保本高息就是危险信号。",
        difficulty=difficulty,
    )
    if kind == "truefalse":
        n_choices = 2
    for i in range(n_choices):
        Choice.objects.create(
            question=q,
            sort_order=i,
            text=chr(ord("A") + i),
            is_correct=i in correct,
            feedback=f"反馈{chr(ord('A') + i)}",
        )
    if tags:
        q.tags.add(*tags)
        q.save()
    if audiences:
        from website.taxonomy.models import Audience

        q.audiences.set(Audience.objects.filter(slug__in=audiences))
        q.save()
    return q


def make_quiz(questions=None, **fields):
    """Publish a QuizPage under the home page; fixed when ``questions`` is given."""
    n = next(_codes)
    fields.setdefault("title", f"测试{n}")
    fields.setdefault("slug", f"quiz-{n}")
    if questions is not None:
        fields.setdefault("selection", QuizPage.Selection.FIXED)
    page = QuizPage(**fields)
    for question in questions or ():
        page.fixed_questions.add(
            page.fixed_questions.model(question=question)  # in-memory until publish
        )
    return factories.publish(factories.home_page(), page)


def make_attempt(quiz, results, *, when=None, audience=None, region=None):
    """Create a completed attempt answering ``results`` ((question, right?) pairs)."""
    attempt = Attempt.objects.create(
        quiz=quiz,
        token=f"tok{next(_codes):020d}",
        question_count=len(results),
        audience=audience,
        region=region,
    )
    for pos, (question, right) in enumerate(results, start=1):
        answer = Answer.objects.create(
            attempt=attempt,
            question=question,
            position=pos,
            answered_at=timezone.now(),
            is_correct=right,
        )
        choices = list(question.choices.order_by("sort_order"))
        pick = next(c for c in choices if c.is_correct == right)
        AnswerChoice.objects.create(answer=answer, choice=pick, attempt=attempt)
    complete_if_done(attempt)
    if when is not None:
        Attempt.objects.filter(pk=attempt.pk).update(completed_at=when)
        attempt.refresh_from_db()
    return attempt


def at(year, month, day, hour=12):
    return timezone.make_aware(datetime.datetime(year, month, day, hour))


@pytest.fixture
def bank(db):
    """Three single-choice questions, one per difficulty; the first choice is right."""
    return [make_question(difficulty=d) for d in (1, 2, 3)]


@pytest.fixture
def fixed_quiz(bank):
    return make_quiz(bank, pass_mark=60)
