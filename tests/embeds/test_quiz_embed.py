"""A whole quiz attempt inside a partner's iframe, where third-party cookies are blocked:
no cookie is set or needed at any step, and the quiz's own page keeps its CSRF protection."""

import re

import pytest
from django.test import Client

from quiz.models import Attempt

from ..quiz.conftest import make_question, make_quiz
from ..quiz.helpers import NEXT_RE, choice_ids

pytestmark = pytest.mark.django_db


@pytest.fixture
def quiz(db):
    return make_quiz([make_question(difficulty=d) for d in (1, 2, 3)], pass_mark=60)


def cookieless_client():
    # Enforcing CSRF as a browser would: a cookie-less client has no token to send.
    return Client(enforce_csrf_checks=True)


def run_attempt(client, quiz, query=""):
    """Start and answer every question through the embed URLs; return the responses."""
    start = client.get(f"/embed/quiz/{quiz.pk}/{query}")
    assert start.status_code == 200
    responses = [start]
    response = client.post(f"/embed/quiz/{quiz.pk}/{query}", {"age_band": "70+"})
    assert response.status_code == 302, response.content[:300]
    location = response["Location"]
    responses.append(response)
    while "/result/" not in location:
        assert location.startswith(f"/embed/quiz/{quiz.pk}/a/")
        page = client.get(location)
        responses.append(page)
        answer = client.post(location, {"choice": choice_ids(page)[:1]})
        # The answer's response is its explanation, in the frame, with the way on.
        assert answer.status_code == 200 and "quiz-lesson" in answer.content.decode()
        responses.append(answer)
        location = NEXT_RE.search(answer.content.decode()).group(1)
    result = client.get(location)
    responses.append(result)
    return responses


def test_an_attempt_completes_inside_the_frame_without_any_cookie(quiz):
    client = cookieless_client()
    responses = run_attempt(client, quiz)
    for response in responses:
        assert not response.cookies, response.get("Location") or response.request["PATH_INFO"]
        assert "X-Frame-Options" not in response
    assert not client.cookies
    attempt = Attempt.objects.get()
    assert attempt.is_complete and attempt.correct_count == 3 and attempt.age_band == "70+"
    result = responses[-1].content.decode()
    assert "100 分" in result and "解析：" in result


def test_inside_the_frame_forms_stay_in_the_frame_and_links_leave_it(quiz):
    client = cookieless_client()
    start = client.get(f"/embed/quiz/{quiz.pk}/").content.decode()
    assert '<base target="_blank">' in start
    assert f'action="/embed/quiz/{quiz.pk}/" target="_self"' in start
    assert "csrfmiddlewaretoken" not in start
    result = run_attempt(client, quiz)[-1].content.decode()
    assert f'href="/embed/quiz/{quiz.pk}/" target="_self"' in result  # 再测一次, in the frame
    # Things that need our own site (the share image, the profile form with its CSRF
    # cookie, the leaderboard) are left to it.
    assert "/image/" not in result and 'name="age_band"' not in result
    assert "leaderboard" not in result


def test_the_type_size_follows_the_attempt(quiz):
    client = cookieless_client()
    responses = run_attempt(client, quiz, query="?size=large")
    assert all(r["Location"].endswith("?size=large") for r in responses if r.status_code == 302)
    assert 'class="embed theme-light elder"' in responses[-1].content.decode()


def test_the_quiz_on_our_own_site_still_requires_its_csrf_token(quiz):
    response = cookieless_client().post(quiz.url, {})
    assert response.status_code == 403


def test_a_tampered_answer_is_refused_inside_the_frame(quiz):
    client = cookieless_client()
    location = client.post(f"/embed/quiz/{quiz.pk}/", {})["Location"]
    response = client.post(location, {"choice": ["999999"]})
    assert response.status_code == 400
    assert "X-Frame-Options" not in response


def test_an_attempt_of_another_quiz_is_not_reachable_through_this_one(quiz):
    other = make_quiz([make_question()])
    client = cookieless_client()
    location = client.post(f"/embed/quiz/{other.pk}/", {})["Location"]
    token = re.search(r"/a/([^/]+)/", location).group(1)
    assert client.get(f"/embed/quiz/{quiz.pk}/a/{token}/1/").status_code == 404


def test_an_unpublished_quiz_says_so_in_the_frame(quiz):
    quiz.unpublish()
    response = cookieless_client().get(f"/embed/quiz/{quiz.pk}/")
    assert response.status_code == 404
    assert "这个测试已下线或不存在" in response.content.decode()


def test_attempt_pages_are_never_cached(quiz):
    responses = run_attempt(cookieless_client(), quiz)
    pages = [r for r in responses if r.status_code == 200]
    assert len(pages) == 8  # start, three questions, their three explanations, result
    for response in pages[1:]:
        assert "no-store" in response["Cache-Control"]
