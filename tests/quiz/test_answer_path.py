"""The answer's own path, made cheap for the publicity-month peak: the attempt read by one
hand-written query, an answer recorded in one statement on PostgreSQL, a question's lesson
kept once whatever its position, attempt screens without share tags, and the result's
related cards kept per set of related pages."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from quiz import bank, fragments, teaching
from quiz.models import Answer, AnswerChoice, Attempt
from quiz.scoring import load_attempt, record_answer
from quiz.views import OWN_PAGE
from tests import factories

from .conftest import make_question, make_quiz
from .helpers import answer_all, choice_ids, start

pytestmark = pytest.mark.django_db


def _bump_versions():
    # Kept pieces need known versions; a publish or a bank edit gives them.
    from website.core.cache import bump_content_version

    bump_content_version()
    bank.bump_bank_version()


def test_load_attempt_reads_the_attempt_and_its_answers_in_order(client):
    quiz = make_quiz([make_question(), make_question(), make_question()])
    other = make_quiz([make_question()])
    location = start(client, quiz)
    token = location.rstrip("/").split("/")[-2]
    with CaptureQueriesContext(connection) as queries:
        attempt, answers = load_attempt(quiz, token)
    assert len(queries) == 1
    assert attempt == Attempt.objects.get(token=token) and attempt.quiz is quiz
    assert [a.position for a in answers] == [1, 2, 3]
    assert [a.pk for a in answers] == list(
        Answer.objects.filter(attempt=attempt).order_by("position").values_list("pk", flat=True)
    )
    assert all(a.answered_at is None and a.attempt is attempt for a in answers)
    assert load_attempt(other, token) is None  # a token names an attempt of its own quiz only
    assert load_attempt(quiz, "x" * 22) is None


def test_an_answer_between_others_is_recorded_once_and_on_postgresql_in_one_statement(client):
    first, second = make_question(correct=(1,)), make_question()
    quiz = make_quiz([first, second])
    token = start(client, quiz).rstrip("/").split("/")[-2]
    attempt, answers = load_attempt(quiz, token)
    answer = answers[0]
    answer.question = bank.questions([first.pk])[first.pk][0]
    right = {c.pk for c in first.choices.all() if c.is_correct}
    with CaptureQueriesContext(connection) as queries:
        assert record_answer(answer, right, last=False) is True
    if connection.vendor == "postgresql":
        (statement,) = [q["sql"] for q in queries]
        assert statement.startswith("WITH done AS (UPDATE")
    stored = Answer.objects.get(pk=answer.pk)
    assert stored.is_correct is True and stored.answered_at == answer.answered_at
    assert set(AnswerChoice.objects.filter(answer=stored).values_list("choice_id", flat=True)) == (
        right
    )
    assert set(AnswerChoice.objects.values_list("attempt_id", flat=True)) == {attempt.pk}
    # A replay (double tap, second tab) changes nothing.
    _attempt, again = load_attempt(quiz, token)
    again[0].question = answer.question
    wrong = {c.pk for c in first.choices.all() if not c.is_correct}
    assert record_answer(again[0], wrong, last=False) is False
    assert Answer.objects.get(pk=answer.pk).is_correct is True
    assert AnswerChoice.objects.count() == len(right)
    assert Attempt.objects.get(pk=attempt.pk).completed_at is None


def test_a_lesson_is_rendered_once_per_question_and_choice_and_shows_its_own_position(
    monkeypatch, rf
):
    _bump_versions()
    question = make_question()
    found = bank.questions([question.pk])
    question = found[question.pk][0]
    chosen = {question.choices.all()[0].pk}
    rendered = []
    real = fragments.render_to_string
    monkeypatch.setattr(
        fragments, "render_to_string", lambda *a, **k: rendered.append(1) or real(*a, **k)
    )
    lesson = teaching.lesson(question, chosen)
    request = rf.get("/")
    third = fragments.lesson(request, found, OWN_PAGE, lesson, chosen, 3)
    seventh = fragments.lesson(request, found, OWN_PAGE, lesson, chosen, 7)
    assert len(rendered) == 1
    assert 'id="explain-3"' in third and 'data-read-aloud="explain-3"' in third
    assert 'id="explain-7"' in seventh and "explain-3" not in seventh
    assert fragments.POSITION not in third + seventh


def test_attempt_screens_carry_no_share_tags_or_embed_discovery_but_the_quiz_page_does(client):
    quiz = make_quiz([make_question(), make_question()])
    start_page = client.get(quiz.url).content.decode()
    assert 'property="og:url"' in start_page and "application/json+oembed" in start_page
    location = start(client, quiz)
    screens = [client.get(location)]
    screens.append(client.post(location, {"choice": choice_ids(screens[0])[:1]}))
    for screen in screens:
        html = screen.content.decode()
        head = html.split("</head>")[0]
        assert '<meta name="robots" content="noindex">' in head
        assert "og:" not in head and "oembed" not in head and "ld+json" not in head
        assert "{#" not in html  # no template comment left unparsed


def test_each_result_shows_the_cards_of_its_own_related_pages(client):
    _bump_versions()
    fraud = factories.case(title="养老床位骗局案", tags=["养老"])
    coins = factories.case(title="虚拟币传销案", tags=["虚拟货币"])
    elder_quiz = make_quiz([make_question(tags=["养老"])])
    coin_quiz = make_quiz([make_question(tags=["虚拟货币"])])
    _bump_versions()
    for quiz, shown, hidden in ((elder_quiz, fraud, coins), (coin_quiz, coins, fraud)):
        for _ in range(2):  # the second result of each set is served from the kept cards
            html = Client().get(answer_all(Client(), quiz)).content.decode()
            related = html.split('id="related-heading"')[1]
            assert shown.title in related and hidden.title not in related
            assert re.search(rf'href="{re.escape(shown.url)}"', related)


TOKEN_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
ACTION_RE = re.compile(r'<form method="post" class="quiz-question" action="([^"]+)"')


def _explanation(client, quiz):
    """Start an attempt with ``client`` and answer its first question; return (the
    question's address, the explanation's HTML)."""
    quiz_page = client.get(quiz.url).content.decode()
    started = client.post(quiz.url, {"csrfmiddlewaretoken": TOKEN_RE.search(quiz_page).group(1)})
    location = started["Location"]
    page = client.get(location)
    token = TOKEN_RE.search(page.content.decode()).group(1)
    response = client.post(location, {"csrfmiddlewaretoken": token, "choice": choice_ids(page)[:1]})
    assert response.status_code == 200
    return location, response.content.decode()


def test_screens_kept_as_a_shell_carry_each_attempt_s_own_address_form_and_token(monkeypatch):
    from website.core import cache as core_cache

    quiz = make_quiz([make_question(), make_question(), make_question()])
    renders = []
    real = core_cache.render_to_string
    monkeypatch.setattr(
        core_cache, "render_to_string", lambda *a, **k: renders.append(a[0]) or real(*a, **k)
    )
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    at_one, one = _explanation(first, quiz)
    at_two, two = _explanation(second, quiz)
    assert renders.count("quiz/explain.html") == 1  # the second came from the kept shell
    for location, html in ((at_one, one), (at_two, two)):
        following = location.replace("/1/", "/2/")
        assert ACTION_RE.search(html).group(1) == following
        assert f'href="{following}"' in html  # 下一题
        assert f"next={location}" in html  # the display-mode switch comes back here
        assert f"本页地址：http://localhost{location}" in html  # printed pages say where from
        assert TOKEN_RE.search(html).group(1)
        assert "kept-hole-" not in html and "kept-path-" not in html
        assert "第 1 题，共 3 题" in html and "第 2 题（共 3 题）" in html
    token_one, token_two = at_one.split("/")[-3], at_two.split("/")[-3]
    assert token_two not in one and token_one not in two
    # The token in each form is the client's own: the next answer is accepted.
    answer = second.post(
        ACTION_RE.search(two).group(1),
        {
            "csrfmiddlewaretoken": TOKEN_RE.search(two).group(1),
            "choice": re.findall(r'name="choice" value="(\d+)"', two)[:1],
        },
    )
    assert answer.status_code == 200 and "第 2 题讲解" in answer.content.decode()


def test_a_kept_shell_shows_a_renamed_quiz_at_once_and_elders_get_their_own(client):
    quiz = make_quiz([make_question(), make_question()])
    _explanation(Client(), quiz)
    quiz.title = "改名后的测试"
    quiz.save_revision().publish()
    _at, html = _explanation(Client(), quiz)
    assert "改名后的测试" in html
    elder = Client()
    elder.cookies["elder"] = "1"
    elder.get(quiz.url)
    _at, elder_html = _explanation(elder, quiz)
    assert '<html lang="zh-Hans" class="elder">' in elder_html and "退出长辈模式" in elder_html
    assert "退出长辈模式" not in html


def test_a_signed_in_editor_taking_the_quiz_gets_a_live_screen_with_the_user_bar(
    admin_client,
):
    quiz = make_quiz([make_question(), make_question()])
    _explanation(Client(), quiz)  # a shell kept for visitors
    _at, html = _explanation(admin_client, quiz)
    assert "wagtail-userbar" in html


def test_a_warm_answer_costs_two_redis_round_trips_its_route_and_its_limits(monkeypatch):
    from website.core import limits

    if not limits.uses_redis():
        pytest.skip("needs the services tier's Redis cache")
    import redis.connection

    quiz = make_quiz([make_question() for _ in range(4)])
    answer_all(Client(), quiz)  # warms the bank, the fragments and the shells
    client = Client()
    location, html = _explanation(client, quiz)
    sent = []
    real = redis.connection.AbstractConnection.send_packed_command
    monkeypatch.setattr(
        redis.connection.AbstractConnection,
        "send_packed_command",
        lambda self, *a, **k: sent.append(a) or real(self, *a, **k),
    )
    answer = client.post(
        ACTION_RE.search(html).group(1),
        {
            "csrfmiddlewaretoken": TOKEN_RE.search(html).group(1),
            "choice": re.findall(r'name="choice" value="(\d+)"', html)[:1],
        },
    )
    assert answer.status_code == 200 and "第 2 题讲解" in answer.content.decode()
    # The route's read brings the content and bank versions, the page's extras and the
    # questions are held in the process: only the limits' MULTI/EXEC follows.
    assert len(sent) == 2
