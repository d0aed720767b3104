"""What one answer costs: one request (its response is the explanation and the next
question's form), a constant number of queries whatever the quiz's length or the question's
place in it, the question bank read from the cache (and never stale after an edit or a
publish), and the limits counted in one round trip to Redis."""

import re

import pytest
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext

from quiz import throttle
from quiz.models import Answer, AnswerChoice, Attempt, Choice
from tests import factories
from website.core import limits

from .conftest import make_question, make_quiz
from .helpers import choice_ids, start

pytestmark = pytest.mark.django_db

FORM_RE = re.compile(r'<form method="post" class="quiz-question" action="([^"]+)"')
# Tables an answer no longer reads once the bank is cached.
BANK_TABLES = ("quiz_question", "quiz_choice", "taggit_", "pages_casestudypage")


def _walk(client, quiz):
    """Answer every question of a new attempt, each from the previous answer's response (its
    explanation carries the next form); return, per answer, (queries of its one request,
    their SQL)."""
    location = start(client, quiz)
    page = client.get(location)
    costs = []
    while True:
        action = FORM_RE.search(page.content.decode()).group(1)
        with CaptureQueriesContext(connection) as posted:
            page = client.post(action, {"choice": choice_ids(page)[:1]})
        assert page.status_code == 200, page.content[:300]
        assert "quiz-lesson" in page.content.decode()
        sql = [q["sql"] for q in posted.captured_queries]
        costs.append((len(sql), sql))
        if not FORM_RE.search(page.content.decode()):
            return costs


def _bank(n):
    return [make_question(difficulty=1 + i % 3, tags=["投资理财"]) for i in range(n)]


def test_each_answer_costs_the_same_queries_whatever_the_quiz_length(client, db):
    factories.case(title="高息理财骗局案", tags=["投资理财"])
    short, long = make_quiz(_bank(3)), make_quiz(_bank(8))
    _walk(Client(), short)  # fills the cache of the bank and the page's own caches
    _walk(Client(), long)
    # The first answer of an attempt and the last (which scores it) differ; every one
    # between costs the same, in a quiz of three questions as in one of eight.
    middle_short = {c[0] for c in _walk(client, short)[1:-1]}
    middle_long = {c[0] for c in _walk(Client(), long)[1:-1]}
    assert len(middle_long) == 1, middle_long
    assert middle_short == middle_long


def test_an_answer_reads_no_question_choice_tag_or_case_once_the_bank_is_cached(client, db):
    factories.case(title="高息理财骗局案", tags=["投资理财"])
    quiz = make_quiz(_bank(4))
    _walk(Client(), quiz)
    for _count, sql in _walk(client, quiz):
        read = [s for s in sql if any(table in s for table in BANK_TABLES)]
        assert not read, read


def test_an_edited_answer_key_counts_at_once(client, db):
    first, second = make_question(), make_question()
    quiz = make_quiz([first, second])
    _walk(Client(), quiz)  # both questions cached with choice A right
    # Publishing a reviewed change saves the choice rows, as this does.
    for choice in first.choices.all():
        choice.is_correct = choice.text == "B"
        choice.save()
    location = start(client, quiz)
    old_right = first.choices.get(text="A").pk
    html = client.post(location, {"choice": [old_right]}).content.decode()
    assert (
        Answer.objects.get(attempt__token=location.split("/")[-3], position=1).is_correct is False
    )
    assert "答错了" in html
    assert "答错了" in client.get(location + "explain/").content.decode()


def test_a_newly_published_case_is_shown_in_the_explanation_at_once(client, db):
    quiz = make_quiz(_bank(2))
    _walk(Client(), quiz)  # cached while no case shares the questions' tag
    case = factories.case(title="新发布的养老骗局案", tags=["投资理财"])
    location = start(client, quiz)
    page = client.get(location)
    response = client.post(location, {"choice": choice_ids(page)[:1]})
    assert case.title in response.content.decode()


def test_the_next_question_is_answered_from_the_explanation_and_a_replay_counts_once(client, db):
    quiz = make_quiz(_bank(3))
    location = start(client, quiz)
    page = client.get(location)
    explanation = client.post(location, {"choice": choice_ids(page)[:1]})
    html = explanation.content.decode()
    second = location.replace("/1/", "/2/")
    assert FORM_RE.search(html).group(1) == second
    assert 'name="csrfmiddlewaretoken"' in html and "第 2 题（共 3 题）" in html
    ids = choice_ids(explanation)
    question = Answer.objects.get(position=2).question
    assert set(ids) == set(question.choices.values_list("pk", flat=True))
    # Sent twice (a refresh, a double tap): recorded once; the repeat goes on to the open
    # question, as the first reply's form does.
    first_reply = client.post(second, {"choice": ids[:1]})
    second_reply = client.post(second, {"choice": ids[1:2]})
    assert FORM_RE.search(first_reply.content.decode()).group(1) == location.replace("/1/", "/3/")
    assert second_reply["Location"] == location.replace("/1/", "/3/")
    assert list(Answer.objects.get(position=2).selected.values_list("pk", flat=True)) == ids[:1]
    assert AnswerChoice.objects.count() == 2
    # The back button: the explanation of 1 now offers question 3, the open one.
    again = client.get(location + "explain/").content.decode()
    assert FORM_RE.search(again).group(1) == location.replace("/1/", "/3/")


def test_the_last_answer_scores_the_attempt_once(client, db):
    quiz = make_quiz(_bank(3), pass_mark=50)
    costs = _walk(client, quiz)
    attempt = Attempt.objects.get()
    assert len(costs) == 3 and attempt.is_complete
    assert attempt.correct_count == Answer.objects.filter(is_correct=True).count()
    right = {c.pk for c in Choice.objects.filter(is_correct=True)}
    assert attempt.correct_count == AnswerChoice.objects.filter(choice_id__in=right).count()


def test_the_limits_of_an_answer_are_counted_in_one_round_trip_to_redis(db):
    if not limits.uses_redis():
        pytest.skip("needs the services tier's Redis cache")
    import redis.connection

    sent = []
    original = redis.connection.AbstractConnection.send_packed_command

    def counting(self, *args, **kwargs):
        sent.append(1)
        return original(self, *args, **kwargs)

    request = RequestFactory().post("/", REMOTE_ADDR="10.1.2.3")
    token = "t" * 24
    rates = {"ip": (5, 60), "token": (3, 60)}
    redis.connection.AbstractConnection.send_packed_command = counting
    try:
        from django.test import override_settings

        with override_settings(QUIZ_THROTTLE_RATES=rates):
            verdicts = [throttle.check(request, "ip", "token", token=token) for _ in range(4)]
    finally:
        redis.connection.AbstractConnection.send_packed_command = original
    assert len(sent) == 4  # one per check, both limits in it
    assert [v.allowed for v in verdicts] == [True, True, True, False]
    assert verdicts[-1].scope == "quiz-token" and verdicts[-1].retry_after > 0
