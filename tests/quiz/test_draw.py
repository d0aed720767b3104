"""Random draws are balanced by difficulty, follow the quiz's filters, and are stored
with the attempt so a reload never changes the questions."""

import random
from collections import Counter

import pytest

from quiz.draw import balanced_sample, draw_question_ids, start_attempt
from quiz.models import Answer, QuizPage

from .conftest import make_question, make_quiz
from .helpers import start

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_bank(db):
    """Set the seeded bank aside so each test knows its whole pool."""
    from quiz.models import Question

    Question.objects.update(active=False)


def test_balanced_sample_spreads_over_difficulty_levels():
    by_level = {1: list(range(10)), 2: list(range(10, 20)), 3: list(range(20, 30))}
    for seed in range(20):
        chosen = balanced_sample(by_level, 7, random.Random(seed))
        levels = Counter(1 if i < 10 else 2 if i < 20 else 3 for i in chosen)
        assert levels == {1: 2, 2: 3, 3: 2}
        assert len(set(chosen)) == 7


def test_a_short_level_is_topped_up_from_the_others():
    by_level = {1: [1, 2, 3, 4, 5, 6], 2: [7], 3: []}
    chosen = balanced_sample(by_level, 6, random.Random(1))
    assert len(chosen) == len(set(chosen)) == 6
    assert 7 in chosen


def test_the_draw_never_exceeds_the_pool():
    assert sorted(balanced_sample({1: [1], 2: [2]}, 10, random.Random(1))) == [1, 2]


def test_random_quiz_draws_from_its_tags_and_audiences_only():
    wanted = [make_question(tags=["养老服务"], audiences=["elderly"]) for _ in range(4)]
    general = make_question(tags=["养老服务"])  # no audience: suits everybody
    make_question(tags=["区块链/虚拟货币"], audiences=["elderly"])
    make_question(tags=["养老服务"], audiences=["students"])
    quiz = make_quiz(question_count=20)
    quiz.draw_tags.set(wanted[0].tags.all())
    from website.taxonomy.models import Audience

    quiz.draw_audiences.set(Audience.objects.filter(slug="elderly"))
    quiz.save()
    drawn = set(draw_question_ids(quiz, random.Random(3)))
    assert drawn == {q.pk for q in wanted} | {general.pk}


def test_inactive_questions_are_never_drawn():
    active = make_question()
    inactive = make_question()
    inactive.active = False
    inactive.save()
    quiz = make_quiz(question_count=5)
    assert draw_question_ids(quiz) == [active.pk]


def test_the_draw_is_stored_and_a_reload_shows_the_same_question(client):
    for d in (1, 2, 3) * 4:
        make_question(difficulty=d)
    quiz = make_quiz(question_count=6)
    location = start(client, quiz)
    drawn = list(Answer.objects.order_by("position").values_list("question_id", flat=True))
    assert len(drawn) == len(set(drawn)) == 6
    first = client.get(location).content
    for _ in range(3):
        assert (
            client.get(location).content.split(b"csrfmiddlewaretoken")[0]
            == first.split(b"csrfmiddlewaretoken")[0]
        )
    assert list(Answer.objects.order_by("position").values_list("question_id", flat=True)) == drawn


def test_a_fixed_quiz_asks_its_questions_in_order(bank):
    quiz = make_quiz(list(reversed(bank)))
    attempt = start_attempt(quiz)
    asked = list(attempt.answers.order_by("position").values_list("question_id", flat=True))
    assert asked == [q.pk for q in reversed(bank)]
    assert quiz.selection == QuizPage.Selection.FIXED


def test_a_quiz_without_questions_says_so(client):
    quiz = make_quiz(question_count=5)
    response = client.post(quiz.url, {})
    assert response.status_code == 503
    assert "暂时没有题目" in response.content.decode()
