"""The question forms and lessons kept per question (quiz.fragments): each attempt still
gets its own form action and CSRF token, and an edited question is shown at once."""

import re

import pytest
from django.test import Client

from quiz.models import Answer

from .conftest import make_question, make_quiz
from .helpers import choice_ids, start

pytestmark = pytest.mark.django_db

ACTION_RE = re.compile(r'<form method="post" class="quiz-question" action="([^"]+)"')
TOKEN_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _bump_clock_version():
    # Kept pieces need a known version; a publish or a bank edit gives one.
    from quiz.bank import bump_bank_version
    from website.core.cache import bump_content_version

    bump_content_version()
    bump_bank_version()


def test_two_attempts_share_the_kept_form_but_not_its_action_or_token(db):
    _bump_clock_version()
    quiz = make_quiz([make_question(), make_question()])
    pages = []
    for _ in range(2):
        client = Client(enforce_csrf_checks=True)
        client.get(quiz.url)
        token = client.cookies["csrftoken"].value
        location = client.post(quiz.url, {"csrfmiddlewaretoken": token})["Location"]
        page = client.get(location)
        pages.append((client, location, page.content.decode()))
    (one, at_one, html_one), (two, at_two, html_two) = pages
    assert at_one != at_two
    assert ACTION_RE.search(html_one).group(1) == at_one
    assert ACTION_RE.search(html_two).group(1) == at_two
    assert "quiz-form-" not in html_one + html_two  # no stand-in left
    for client, location, html in pages:
        answer = client.post(
            location,
            {"csrfmiddlewaretoken": TOKEN_RE.search(html).group(1), "choice": choice_ids_of(html)},
        )
        assert answer.status_code == 200 and "quiz-lesson" in answer.content.decode()
        following = answer.content.decode()
        assert ACTION_RE.search(following).group(1) == location.replace("/1/", "/2/")
    assert Answer.objects.filter(answered_at__isnull=False).count() == 2


def choice_ids_of(html):
    return re.findall(r'name="choice" value="(\d+)"', html)[:1]


def test_an_edited_choice_shows_in_the_next_form_at_once(client):
    _bump_clock_version()
    question = make_question()
    quiz = make_quiz([question])
    location = start(client, quiz)
    assert "选项甲改" not in client.get(location).content.decode()
    choice = question.choices.order_by("sort_order", "pk").first()
    choice.text = "选项甲改"
    choice.save()
    page = client.get(location)
    assert "选项甲改" in page.content.decode()
    assert choice.pk in choice_ids(page)


def test_the_kept_profile_fields_show_a_renamed_region_and_a_bad_choice_is_not_kept(client):
    from website.taxonomy.models import Region

    _bump_clock_version()
    quiz = make_quiz([make_question()], ask_profile=True)
    region = Region.objects.get(code="430922")
    assert region.name in client.get(quiz.url).content.decode()
    region.name = "桃江新区"
    region.save()  # reference data: a new content version
    assert "桃江新区" in client.get(quiz.url).content.decode()
    refused = client.post(quiz.url, {"region": "not-a-code"})
    assert refused.status_code == 400 and "有一项选择无效" in refused.content.decode()
    # The form as refused (with its choice) is the visitor's own: the next one is clean.
    assert 'value="not-a-code"' not in client.get(quiz.url).content.decode()
