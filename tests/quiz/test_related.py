"""What a result offers to read next (quiz.related): across all its questions' tags, the newest
cases and the most pressing notices, in their listings' order, and a new one at once."""

import datetime
import re

import pytest

from tests import factories

from .conftest import make_question, make_quiz
from .helpers import answer_all

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 1, 1)
CARD_TITLE = re.compile(
    r'<section class="section" aria-labelledby="related-heading">(.*?)</section>', re.S
)


def related_part(client, result):
    return CARD_TITLE.search(client.get(result).content.decode()).group(1)


def order_in(html, titles):
    found = [t for t in titles if t in html]
    return sorted(found, key=html.index)


def test_the_newest_cases_across_every_tag_of_the_attempt_come_first(client):
    cases = []
    for n, (tag, days) in enumerate(
        [
            ("养老服务", 1),
            ("投资理财", 9),
            ("养老服务", 5),
            ("投资理财", 3),
            ("养老服务", 7),
            ("林业", 20),
        ]
    ):
        cases.append(
            factories.case(
                title=f"案例{n}", tags=[tag], case_date=DAY + datetime.timedelta(days=days)
            )
        )
    quiz = make_quiz([make_question(tags=["养老服务"]), make_question(tags=["投资理财"])])
    html = related_part(client, answer_all(client, quiz))
    # Newest first, four at most, 林业 not among them: 案例1 (9), 案例4 (7), 案例2 (5), 案例3 (3).
    assert order_in(html, [c.title for c in cases]) == ["案例1", "案例4", "案例2", "案例3"]


def test_severe_notices_come_before_newer_milder_ones_and_a_new_one_shows_at_once(client):
    factories.notice("较新的提示", tags=["养老服务"], level="notice", issued_on=DAY)
    factories.notice(
        "较早的严重警示",
        tags=["养老服务"],
        level="severe",
        issued_on=DAY - datetime.timedelta(days=30),
    )
    quiz = make_quiz([make_question(tags=["养老服务"])])
    html = related_part(client, answer_all(client, quiz))
    assert order_in(html, ["较新的提示", "较早的严重警示"]) == ["较早的严重警示", "较新的提示"]
    factories.notice("刚发布的警示", tags=["养老服务"], level="warning", issued_on=DAY)
    html = related_part(client, answer_all(client, quiz))
    assert order_in(html, ["较新的提示", "较早的严重警示", "刚发布的警示"]) == [
        "较早的严重警示",
        "刚发布的警示",
        "较新的提示",
    ]
