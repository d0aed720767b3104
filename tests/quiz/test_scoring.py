"""Scoring happens on the server, every answer is checked against its question, and a
repeated or replayed submission is never counted twice."""

import pytest
from django.test import Client

from quiz.models import Answer, AnswerChoice, Attempt, Question

from .conftest import make_question, make_quiz
from .helpers import answer_all, choice_ids, right_choices, start, wrong_choice

pytestmark = pytest.mark.django_db


def test_all_right_answers_score_full_marks_and_pass(client, fixed_quiz):
    result = answer_all(client, fixed_quiz, pick=right_choices)
    attempt = Attempt.objects.get()
    assert (attempt.correct_count, attempt.question_count, attempt.score) == (3, 3, 1.0)
    assert attempt.passed is True
    assert "100 分" in client.get(result).content.decode()


def test_wrong_answers_score_zero_and_fail(client, fixed_quiz):
    answer_all(client, fixed_quiz, pick=wrong_choice)
    attempt = Attempt.objects.get()
    assert (attempt.correct_count, attempt.score, attempt.passed) == (0, 0.0, False)


def test_pass_mark_is_inclusive(client, bank):
    quiz = make_quiz(bank[:2], pass_mark=50)
    answers = iter([right_choices, wrong_choice])
    answer_all(client, quiz, pick=lambda q, ids: next(answers)(q, ids))
    assert Attempt.objects.get().passed is True


def test_question_page_does_not_reveal_the_answer(client, fixed_quiz):
    page = client.get(start(client, fixed_quiz))
    html = page.content.decode()
    assert page.status_code == 200
    assert "反馈" not in html and "解析" not in html and "correct" not in html


def test_a_choice_of_another_question_is_refused(client, fixed_quiz):
    other = make_question()
    location = start(client, fixed_quiz)
    response = client.post(location, {"choice": other.choices.first().pk})
    assert response.status_code == 400
    assert "不属于这道题" in response.content.decode()
    assert not Answer.objects.filter(answered_at__isnull=False).exists()
    assert not AnswerChoice.objects.exists()


@pytest.mark.parametrize("payload", [{}, {"choice": ""}, {"choice": "abc"}, {"choice": "-1"}])
def test_missing_or_malformed_choices_are_refused(client, fixed_quiz, payload):
    response = client.post(start(client, fixed_quiz), payload)
    assert response.status_code == 400
    assert not Answer.objects.filter(answered_at__isnull=False).exists()


def test_two_choices_for_a_single_choice_question_are_refused(client, fixed_quiz):
    location = start(client, fixed_quiz)
    ids = choice_ids(client.get(location))
    response = client.post(location, {"choice": ids[:2]})
    assert response.status_code == 400
    assert "只能选一项" in response.content.decode()


def test_multiple_choice_is_all_or_nothing(client):
    q = make_question(kind=Question.Kind.MULTIPLE, n_choices=4, correct=(0, 2))
    quiz = make_quiz([q])
    answer_all(client, quiz, pick=lambda question, ids: [ids[0]])  # one of two right ones
    assert Attempt.objects.get().correct_count == 0
    client2 = Client()
    answer_all(client2, quiz, pick=right_choices)
    assert Attempt.objects.order_by("-pk").first().correct_count == 1


def test_a_double_submission_is_recorded_once(client, fixed_quiz):
    location = start(client, fixed_quiz)
    ids = choice_ids(client.get(location))
    first = client.post(location, {"choice": ids[0]})
    second = client.post(location, {"choice": ids[1]})
    # The first is answered with its explanation; the repeat goes on to the open question.
    assert first.status_code == 200 and "quiz-lesson" in first.content.decode()
    assert second.status_code == 302 and second["Location"] == location.replace("/1/", "/2/")
    answer = Answer.objects.get(position=1)
    assert list(answer.selected.values_list("pk", flat=True)) == [ids[0]]
    assert AnswerChoice.objects.count() == 1


def test_replaying_an_earlier_answer_changes_nothing(client, fixed_quiz):
    first = start(client, fixed_quiz)
    ids = choice_ids(client.get(first))
    client.post(first, {"choice": ids[0]})
    client.post(first, {"choice": ids[1]})  # replay with another choice
    answer = Answer.objects.get(position=1)
    assert answer.is_correct is True
    assert Answer.objects.filter(answered_at__isnull=False).count() == 1


def test_skipping_ahead_lands_on_the_open_question(client, fixed_quiz):
    location = start(client, fixed_quiz)
    response = client.get(location.replace("/1/", "/3/"))
    assert response.status_code == 302 and response["Location"] == location


def test_the_result_waits_until_every_question_is_answered(client, fixed_quiz):
    location = start(client, fixed_quiz)
    response = client.get(location.replace("/1/", "/result/"))
    assert response.status_code == 302 and response["Location"] == location


def test_a_finished_attempt_accepts_no_more_answers(client, fixed_quiz):
    result = answer_all(client, fixed_quiz, pick=wrong_choice)
    first = result.replace("/result/", "/1/")
    good = [c.pk for c in Answer.objects.get(position=1).question.choices.all() if c.is_correct]
    response = client.post(first, {"choice": good})
    assert response.status_code == 302 and response["Location"] == result
    assert Attempt.objects.get().correct_count == 0


def test_answers_need_a_csrf_token(fixed_quiz):
    client = Client(enforce_csrf_checks=True)
    page = client.get(fixed_quiz.url)
    assert page.status_code == 200
    response = client.post(fixed_quiz.url, {})
    assert response.status_code == 403
    assert not Attempt.objects.exists()


def test_unknown_tokens_are_not_found(client, fixed_quiz):
    assert client.get(fixed_quiz.url + "a/" + "x" * 22 + "/1/").status_code == 404
    assert client.get(fixed_quiz.url + "a/" + "x" * 22 + "/result/").status_code == 404


def test_attempt_pages_are_private_and_never_cached(client, fixed_quiz):
    location = start(client, fixed_quiz)
    response = client.get(location)
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert "X-Cache" not in response


def test_the_optional_profile_is_stored_without_identifying_fields(client, fixed_quiz):
    start(client, fixed_quiz, age_band="70+", audience="elderly", region="430922100")
    attempt = Attempt.objects.get()
    assert attempt.age_band == "70+"
    assert attempt.audience.slug == "elderly"
    assert attempt.region.code == "430922100"
    field_names = {f.name for f in Attempt._meta.get_fields()}
    assert not field_names & {"name", "phone", "mobile", "ip", "user"}


def test_the_profile_can_be_given_after_the_quiz_once(client, fixed_quiz):
    result = answer_all(client, fixed_quiz)
    profile = result.replace("/result/", "/profile/")
    client.post(profile, {"age_band": "60-69", "audience": "rural"})
    client.post(profile, {"age_band": "u18", "audience": "pupils"})
    attempt = Attempt.objects.get()
    assert (attempt.age_band, attempt.audience.slug) == ("60-69", "rural")


def test_an_invalid_profile_is_shown_again_not_saved(client, fixed_quiz):
    response = client.post(fixed_quiz.url, {"audience": "nobody", "age_band": "999"})
    assert response.status_code == 400
    assert "无效" in response.content.decode()
    assert not Attempt.objects.exists()
