"""Driving a quiz through the Django test client, as a phone without JavaScript would."""

import re

CHOICE_RE = re.compile(r'name="choice" value="(\d+)" id="choice-\d+"')
NEXT_RE = re.compile(r'class="button-link quiz-primary quiz-next" href="([^"]+)"')


def past_explanation(client, location):
    """Return where to go after ``location``: itself, or, for the explanation shown after an
    answer, the page its "下一题" link leads to."""
    if not location.rstrip("/").endswith("/explain"):
        return location
    page = client.get(location)
    assert page.status_code == 200, location
    return NEXT_RE.search(page.content.decode()).group(1)


def onward(client, response):
    """Return where an accepted answer's response leads: its redirect, or, where the quiz
    explains each answer in that response, the explanation's "下一题" link."""
    if response.status_code == 200:
        assert "quiz-lesson" in response.content.decode(), response.content[:300]
        return NEXT_RE.search(response.content.decode()).group(1)
    assert response.status_code == 302, response.content[:300]
    return past_explanation(client, response["Location"])


def choice_ids(response):
    return [int(v) for v in CHOICE_RE.findall(response.content.decode())]


def start(client, quiz, **profile):
    response = client.post(quiz.url, profile)
    assert response.status_code == 302, response.content[:500]
    return response["Location"]


def answer_all(client, quiz, pick=lambda question, ids: ids[:1], **profile):
    """Start an attempt and answer every question; return the result URL.

    ``pick(question, ids)`` chooses which choice ids to submit for each question.
    """
    from quiz.models import Answer

    location = start(client, quiz, **profile)
    for _ in range(60):
        if location.endswith("/result/"):
            return location
        page = client.get(location)
        assert page.status_code == 200, location
        token, number = location.rstrip("/").split("/")[-2:]
        question = Answer.objects.get(attempt__token=token, position=int(number)).question
        response = client.post(location, {"choice": pick(question, choice_ids(page))})
        location = onward(client, response)
    raise AssertionError("quiz never ended")


def right_choices(question, ids):
    return [c.pk for c in question.choices.all() if c.is_correct]


def wrong_choice(question, ids):
    return [c.pk for c in question.choices.all() if not c.is_correct][:1]
