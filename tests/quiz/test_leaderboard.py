"""The regional leaderboard counts what one client cannot inflate, and flags floods for staff."""

import datetime
import itertools

import pytest
from django.test import Client
from django.utils import timezone

from quiz import leaderboard, stats
from quiz.models import Attempt
from tests import factories
from website.taxonomy.models import Region

from .conftest import make_attempt, make_quiz
from .helpers import answer_all

pytestmark = pytest.mark.django_db

TAOJIANG = "430922100"  # 桃江县 (county level: the default leaderboard level)
ANHUA = "430923100"
_keys = itertools.count()


@pytest.fixture(autouse=True)
def _no_quiz_throttle(settings):
    # These tests finish dozens of attempts from one address on purpose.
    settings.QUIZ_THROTTLE_RATES = {"ip": (10_000, 60), "start": (10_000, 600)}


def county(code):
    return Region.objects.get(code=code)


def attempts(quiz, bank, region, n, *, client=None, address=None, when=None):
    """``n`` completed attempts from one browser (``client``, else one each) on one network."""
    made = []
    for _ in range(n):
        attempt = make_attempt(quiz, [(q, True) for q in bank], region=region, when=when)
        Attempt.objects.filter(pk=attempt.pk).update(
            client_key=client or f"browser-{next(_keys)}", address_key=address or "net-0"
        )
        made.append(attempt)
    return made


def ranking(quiz):
    ranked, _unranked = stats.leaderboard(quiz)
    return [(c.label, c.n) for c in ranked]


def test_one_browser_finishing_50_attempts_moves_its_region_by_one(bank):
    quiz = make_quiz(bank, leaderboard_min_count=1, ask_profile=True)
    attempts(quiz, bank, county(TAOJIANG), 4, address="net-t")
    attempts(quiz, bank, county(ANHUA), 2, address="net-a")
    assert ranking(quiz) == [("桃江县", 4), ("安化县", 2)]
    one_phone = Client(REMOTE_ADDR="203.0.113.7")
    for _ in range(50):
        answer_all(one_phone, quiz, region=ANHUA)
    assert Attempt.objects.filter(quiz=quiz, completed_at__isnull=False).count() == 56
    assert ranking(quiz) == [("桃江县", 4), ("安化县", 3)]


def test_starting_an_attempt_gives_the_browser_a_lasting_id(bank):
    quiz = make_quiz(bank)
    phone, other = Client(REMOTE_ADDR="203.0.113.8"), Client(REMOTE_ADDR="203.0.113.8")
    for browser in (phone, phone, other):
        answer_all(browser, quiz)
    cookie = phone.cookies[leaderboard.COOKIE]
    assert cookie["httponly"] and cookie["max-age"] >= 300 * 24 * 3600
    first, second, third = Attempt.objects.filter(quiz=quiz).order_by("pk")
    assert first.client_key == second.client_key != third.client_key
    assert first.address_key == third.address_key != ""
    # Only keyed hashes are stored, never the address or the cookie's value.
    assert "203.0.113.8" not in first.address_key and cookie.value not in first.client_key


def test_a_forged_browser_cookie_is_ignored(bank):
    quiz = make_quiz(bank)
    forger = Client(REMOTE_ADDR="203.0.113.9")
    forger.cookies[leaderboard.COOKIE] = "someone-elses-id"
    answer_all(forger, quiz)
    assert forger.cookies[leaderboard.COOKIE].value != "someone-elses-id"


def test_the_same_browser_counts_again_the_next_local_day(bank):
    quiz = make_quiz(bank, leaderboard_min_count=1)
    region = county(TAOJIANG)
    # 23:30 and 00:30 in Shanghai are two days; 08:00 and 20:00 are one.
    for when in (
        timezone.make_aware(datetime.datetime(2025, 5, 14, 8)),
        timezone.make_aware(datetime.datetime(2025, 5, 14, 20)),
        timezone.make_aware(datetime.datetime(2025, 5, 14, 23, 30)),
        timezone.make_aware(datetime.datetime(2025, 5, 15, 0, 30)),
    ):
        attempts(quiz, bank, region, 1, client="one-phone", when=when)
    assert ranking(quiz) == [("桃江县", 2)]


def test_a_class_on_one_school_network_counts_every_student(bank):
    quiz = make_quiz(bank, leaderboard_min_count=1)
    attempts(quiz, bank, county(TAOJIANG), 45, address="school-wifi")
    assert ranking(quiz) == [("桃江县", 45)]


def test_a_script_that_drops_its_cookie_is_capped_per_network(bank, settings):
    settings.QUIZ_LEADERBOARD_DAILY_PER_ADDRESS = 10
    quiz = make_quiz(bank, leaderboard_min_count=1)
    attempts(quiz, bank, county(ANHUA), 50, address="one-bot")
    attempts(quiz, bank, county(TAOJIANG), 12, address="village-a")
    attempts(quiz, bank, county(TAOJIANG), 3, address="village-b")
    assert ranking(quiz) == [("桃江县", 13), ("安化县", 10)]


def test_attempts_from_before_the_keys_count_one_each(bank):
    quiz = make_quiz(bank, leaderboard_min_count=1)
    for _ in range(3):
        make_attempt(quiz, [(q, True) for q in bank], region=county(TAOJIANG))
    assert ranking(quiz) == [("桃江县", 3)]


def test_the_public_page_states_the_counting_rules(client, bank):
    quiz = make_quiz(bank, leaderboard_min_count=1)
    html = client.get(quiz.url + "leaderboard/").content.decode()
    assert "同一台手机或电脑每天只计一次" in html and "最多计 60 人次" in html


# -- anomalies ----------------------------------------------------------------------------------
def test_many_attempts_from_one_network_are_flagged(bank):
    quiz = make_quiz(bank)
    attempts(quiz, bank, county(ANHUA), 35, address="abcdef123456")
    attempts(quiz, bank, county(TAOJIANG), 5, address="quiet-net")
    found = leaderboard.anomalies(quiz)
    flagged = [a for a in found if a.kind == "address"]
    assert len(flagged) == 1
    assert "abcdef" in flagged[0].message and "35 次答题" in flagged[0].message
    assert "quiet" not in " ".join(a.message for a in found)


def test_a_region_jumping_far_above_its_usual_rate_is_flagged(bank):
    quiz = make_quiz(bank)
    today = timezone.localdate()
    noon = timezone.make_aware(datetime.datetime.combine(today, datetime.time(12)))
    for days_ago in range(1, 29):
        when = noon - datetime.timedelta(days=days_ago)
        attempts(quiz, bank, county(TAOJIANG), 1, when=when, address=f"t{days_ago}")
        attempts(quiz, bank, county(ANHUA), 3, when=when, address=f"a{days_ago}")
    # Today: 桃江县 jumps from about one a day to 25; 安化县 keeps its three.
    for i in range(25):
        attempts(quiz, bank, county(TAOJIANG), 1, when=noon, address=f"jump-{i}")
    attempts(quiz, bank, county(ANHUA), 3, when=noon, address="steady")
    jumps = [a for a in leaderboard.anomalies(quiz) if a.kind == "jump"]
    assert [a.day for a in jumps] == [today]
    assert "桃江县" in jumps[0].message and "25 次" in jumps[0].message
    assert "安化县" not in jumps[0].message


def test_staff_see_the_anomalies_in_the_quiz_report(client, bank):
    quiz = make_quiz(bank)
    attempts(quiz, bank, county(ANHUA), 31, address="abcdef999999")
    client.force_login(factories.staff("reviewer", "审核员"))
    html = client.get(f"/admin/quiz/reports/?quiz={quiz.pk}").content.decode()
    assert "排行榜异常提醒" in html and "abcdef" in html
    html = client.get("/admin/quiz/reports/").content.decode()
    assert "排行榜异常提醒" in html


def test_attempts_inside_a_partners_frame_set_no_cookie_but_count_within_the_network_ceiling(
    bank, settings
):
    from tests.embeds.test_quiz_embed import run_attempt

    settings.QUIZ_LEADERBOARD_DAILY_PER_ADDRESS = 2
    quiz = make_quiz(bank, leaderboard_min_count=1)
    for _ in range(3):
        framed = Client(enforce_csrf_checks=True, REMOTE_ADDR="203.0.113.20")
        run_attempt(framed, quiz)
        assert not framed.cookies
    keys = list(Attempt.objects.filter(quiz=quiz).values_list("client_key", "address_key"))
    assert len({client for client, _address in keys}) == 3
    assert len({address for _client, address in keys}) == 1
    counted = leaderboard.counted_attempts(stats.completed_attempts(quiz))
    assert counted.count() == 2
