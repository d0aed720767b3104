"""The statistics against values computed by hand on small fixtures."""

import datetime
import math

import pytest

from quiz import stats
from quiz.models import Attempt
from website.taxonomy.models import Audience, Region

from .conftest import at, make_attempt, make_question, make_quiz

pytestmark = pytest.mark.django_db


# --------------------------------------------------------------------- intervals


def test_wilson_matches_newcombes_published_examples():
    # Newcombe (1998), Statistics in Medicine 17:857, table I.
    assert stats.wilson(81, 263) == pytest.approx((0.2553, 0.3662), abs=5e-5)
    assert stats.wilson(15, 148) == pytest.approx((0.0624, 0.1605), abs=5e-5)
    assert stats.wilson(0, 20) == pytest.approx((0.0, 0.1611), abs=5e-5)
    assert stats.wilson(0, 0) is None


def test_wilson_by_hand():
    # p = 0.5, n = 10: centre 0.5, half = z*sqrt(0.025 + z²/400)/(1 + z²/10)
    z = stats.Z95
    half = z * math.sqrt(0.25 / 10 + z * z / 400) / (1 + z * z / 10)
    assert stats.wilson(5, 10) == pytest.approx((0.5 - half, 0.5 + half))


def test_newcombe_matches_the_published_difference_interval():
    # Newcombe (1998b), Statistics in Medicine 17:873, example (a): 56/70 − 48/80,
    # method 10 gives 0.0524 to 0.3339. Our function takes (before, after) = (48/80, 56/70).
    d, low, high = stats.newcombe(48, 80, 56, 70)
    assert d == pytest.approx(0.2)
    assert (low, high) == pytest.approx((0.0524, 0.3339), abs=5e-5)


def test_newcombe_is_antisymmetric_and_needs_both_groups():
    d, low, high = stats.newcombe(56, 70, 48, 80)
    assert (d, low, high) == pytest.approx((-0.2, -0.3339, -0.0524), abs=5e-5)
    assert stats.newcombe(0, 0, 5, 10) is None


# --------------------------------------------------------------------- item statistics


@pytest.fixture
def four_by_three():
    """4 attempts × 3 items: a Guttman pattern 111, 110, 100, 000."""
    items = [make_question(difficulty=d) for d in (1, 2, 3)]
    quiz = make_quiz(items)
    patterns = [(1, 1, 1), (1, 1, 0), (1, 0, 0), (0, 0, 0)]
    for p in patterns:
        make_attempt(quiz, list(zip(items, map(bool, p), strict=True)))
    return quiz, items


def test_facility_is_the_share_of_right_answers(four_by_three):
    quiz, items = four_by_three
    found = {i.question.pk: i for i in stats.item_statistics(stats.completed_attempts(quiz))}
    assert [found[q.pk].facility for q in items] == [0.75, 0.5, 0.25]
    assert [found[q.pk].n for q in items] == [4, 4, 4]


def test_discrimination_is_the_item_rest_correlation(four_by_three):
    quiz, items = four_by_three
    found = {i.question.pk: i for i in stats.item_statistics(stats.completed_attempts(quiz))}
    # Item 1: x = 1,1,1,0; rest = 2,1,0,0. cov = 3/4 − 0.75·0.75 = 0.1875,
    # var x = 0.1875, var rest = 5/4 − 0.5625 = 0.6875 → r = 0.1875/√(0.1875·0.6875).
    assert found[items[0].pk].discrimination == pytest.approx(0.1875 / math.sqrt(0.1875 * 0.6875))
    # Item 2: x = 1,1,0,0; rest = 2,1,1,0. cov = 3/4 − 0.5·1 = 0.25, var x = 0.25,
    # var rest = 6/4 − 1 = 0.5 → r = 0.25/√(0.125) = 0.7071.
    assert found[items[1].pk].discrimination == pytest.approx(0.25 / math.sqrt(0.25 * 0.5))
    # Item 3 mirrors item 1.
    assert found[items[2].pk].discrimination == pytest.approx(0.1875 / math.sqrt(0.1875 * 0.6875))


def test_cronbach_alpha_by_hand(four_by_three):
    quiz, _items = four_by_three
    # Item variances 0.1875 + 0.25 + 0.1875 = 0.625; totals 3,2,1,0 → variance 1.25.
    # alpha = 3/2 · (1 − 0.625/1.25) = 0.75.
    assert stats.cronbach_alpha(stats.completed_attempts(quiz)) == pytest.approx(0.75)


def test_choice_distribution_counts_each_choice(four_by_three):
    quiz, items = four_by_three
    found = {i.question.pk: i for i in stats.item_statistics(stats.completed_attempts(quiz))}
    counts = [(c.text, n) for c, n, _share in found[items[0].pk].choices]
    assert counts == [("A", 3), ("B", 1), ("C", 0)]


def test_an_item_that_favours_weak_candidates_is_flagged():
    items = [make_question() for _ in range(4)]
    quiz = make_quiz(items)
    # Items 1–3 agree with each other; item 4 is right mostly for those who miss the rest.
    patterns = [(1, 1, 1, 0), (1, 1, 1, 0), (1, 1, 0, 0), (1, 0, 0, 1), (0, 0, 0, 1), (0, 0, 0, 1)]
    for p in patterns:
        make_attempt(quiz, list(zip(items, map(bool, p), strict=True)))
    found = {i.question.pk: i for i in stats.item_statistics(stats.completed_attempts(quiz))}
    bad = found[items[3].pk]
    assert bad.discrimination < 0
    assert bad.badly_discriminating
    assert any("区分度为负" in str(f) for f in bad.flags)
    assert found[items[1].pk].discrimination > stats.WEAK_DISCRIMINATION
    assert not found[items[1].pk].badly_discriminating


def test_alpha_needs_spread_and_several_items(fixed_quiz, bank):
    assert stats.cronbach_alpha(stats.completed_attempts(fixed_quiz)) is None
    for _ in range(3):
        make_attempt(fixed_quiz, [(q, True) for q in bank])
    # Everybody scored the same: the total has no variance.
    assert stats.cronbach_alpha(stats.completed_attempts(fixed_quiz)) is None


def test_item_statistics_ignore_unfinished_attempts(four_by_three):
    from quiz.draw import start_attempt

    quiz, items = four_by_three
    start_attempt(quiz)
    found = stats.item_statistics(stats.completed_attempts(quiz))
    assert {i.n for i in found} == {4}


# --------------------------------------------------------------------- groups


def test_small_cells_are_suppressed(fixed_quiz, bank):
    elderly = Audience.objects.get(slug="elderly")
    students = Audience.objects.get(slug="students")
    for n in range(12):
        make_attempt(fixed_quiz, [(q, n % 2 == 0) for q in bank], audience=elderly)
    for _ in range(3):
        make_attempt(fixed_quiz, [(q, True) for q in bank], audience=students)
    cells = {c.key: c for c in stats.by_audience(stats.completed_attempts(fixed_quiz), 10)}
    assert cells["elderly"].shown_n == 12
    assert cells["elderly"].pass_rate == pytest.approx(0.5)
    assert cells["elderly"].interval == pytest.approx(stats.wilson(6, 12))
    shy = cells["students"]
    assert shy.suppressed
    assert (shy.shown_n, shy.mean_score, shy.pass_rate, shy.interval) == (None,) * 4


def test_suppressed_cells_are_blank_in_exports(fixed_quiz, bank):
    from quiz import reports

    students = Audience.objects.get(slug="students")
    for _ in range(3):
        make_attempt(fixed_quiz, [(q, True) for q in bank], audience=students)
    tables = reports.overview_tables(stats.completed_attempts(fixed_quiz), 10)
    row = next(r for r in tables[0].rows if r[0] == students.name)
    assert row[1:] == [reports.SUPPRESSED] * 4
    body = reports.export_response(tables, "csv", "t").content.decode("utf-8-sig")
    assert "100.0%" not in body


def test_regions_roll_up_the_tree(fixed_quiz, bank):
    village = Region.objects.get(code="430922100201")  # 花果山村, 桃花江镇, 桃江县
    town = Region.objects.get(code="430922101")  # 灰山港镇, 桃江县
    other = Region.objects.get(code="430104")  # 岳麓区, 长沙市
    for region, n, right in ((village, 4, True), (town, 3, False), (other, 2, True)):
        for _ in range(n):
            make_attempt(fixed_quiz, [(q, right) for q in bank], region=region)
    cells = {c.key: c for c in stats.by_region(stats.completed_attempts(fixed_quiz), 1)}
    assert cells["430922100"].n == 4  # the village's township
    assert cells["430922"].n == 7  # the county: both townships
    assert cells["430922"].passed == 4
    assert cells["4309"].n == 7
    assert cells["43"].n == 9
    assert cells["4301"].n == 2
    assert "430922100201" not in cells  # villages are below the report's depth


def test_weeks_group_by_local_monday(fixed_quiz, bank):
    # 2025-05-11 is a Sunday; 23:30 on Sunday 18th in Shanghai is still that week.
    for when in (at(2025, 5, 12, 9), at(2025, 5, 18, 23), at(2025, 5, 19, 0)):
        make_attempt(fixed_quiz, [(q, True) for q in bank], when=when)
    cells = stats.by_week(stats.completed_attempts(fixed_quiz), 1)
    assert [(c.key, c.n) for c in cells] == [("2025-05-12", 2), ("2025-05-19", 1)]


def test_date_range_filters_by_local_day(fixed_quiz, bank):
    make_attempt(fixed_quiz, [(q, True) for q in bank], when=at(2025, 5, 14, 23))
    make_attempt(fixed_quiz, [(q, True) for q in bank], when=at(2025, 5, 15, 0))
    qs = stats.completed_attempts(
        fixed_quiz, datetime.date(2025, 5, 15), datetime.date(2025, 5, 15)
    )
    assert qs.count() == 1


def test_leaderboard_ranks_only_regions_with_enough_people(bank):
    quiz = make_quiz(bank, leaderboard_min_count=3)
    taojiang = Region.objects.get(code="430922100")
    anhua = Region.objects.get(code="430923100")
    heshan = Region.objects.get(code="430903100")
    for region, n in ((taojiang, 5), (anhua, 3), (heshan, 2)):
        for _ in range(n):
            make_attempt(quiz, [(q, True) for q in bank], region=region)
    ranked, unranked = stats.leaderboard(quiz)
    assert [(c.label, c.n) for c in ranked] == [("桃江县", 5), ("安化县", 3)]
    assert "赫山区" in [c.label for c in unranked]


def test_the_leaderboard_page_lists_ranked_regions(client, bank):
    quiz = make_quiz(bank, leaderboard_min_count=2)
    town = Region.objects.get(code="430922100")
    for _ in range(2):
        make_attempt(quiz, [(q, True) for q in bank], region=town)
    html = client.get(quiz.url + "leaderboard/").content.decode()
    assert "桃江县" in html and "赫山区" in html
    assert html.index("桃江县") < html.index("暂未排名")


# --------------------------------------------------------------------- campaign effect


def _population(quiz, bank, when, audience, region, n, passed):
    for i in range(n):
        make_attempt(
            quiz, [(q, i < passed) for q in bank], when=when, audience=audience, region=region
        )


@pytest.fixture
def campaign(bank):
    quiz = make_quiz(bank)
    return {
        "quiz": quiz,
        "bank": bank,
        "elderly": Audience.objects.get(slug="elderly"),
        "students": Audience.objects.get(slug="students"),
        "taojiang": Region.objects.get(code="430922"),
        "in_taojiang": Region.objects.get(code="430922100201"),
        "elsewhere": Region.objects.get(code="430104100001"),
        "before": at(2025, 4, 20),
        "during": at(2025, 5, 20),
        "start": datetime.date(2025, 5, 1),
        "end": datetime.date(2025, 5, 31),
    }


def _effect(c, **kw):
    return stats.campaign_effect(
        c["start"], c["end"], audiences=[c["elderly"]], regions=[c["taojiang"]], **kw
    )


def test_a_clear_rise_in_the_target_group_is_reported(campaign):
    c = campaign
    _population(c["quiz"], c["bank"], c["before"], c["elderly"], c["in_taojiang"], 40, 12)
    _population(c["quiz"], c["bank"], c["during"], c["elderly"], c["in_taojiang"], 40, 32)
    effect = _effect(c)
    t = effect.target
    assert (t.before_n, t.before_passed, t.during_n, t.during_passed) == (40, 12, 40, 32)
    assert t.difference == pytest.approx(stats.newcombe(12, 40, 32, 40))
    assert t.change == "up"
    assert t.verdict == "认知率有可测提升"
    assert effect.comparison.change == "unknown"


def test_an_interval_spanning_zero_means_no_measurable_change(campaign):
    c = campaign
    _population(c["quiz"], c["bank"], c["before"], c["elderly"], c["in_taojiang"], 20, 10)
    _population(c["quiz"], c["bank"], c["during"], c["elderly"], c["in_taojiang"], 20, 12)
    effect = _effect(c)
    d, low, high = effect.target.difference
    assert low < 0 < high
    assert effect.target.verdict == "无可测变化"
    assert "无可测变化" in str(effect.summary)


def test_a_fall_is_reported_as_a_fall(campaign):
    c = campaign
    _population(c["quiz"], c["bank"], c["before"], c["elderly"], c["in_taojiang"], 30, 27)
    _population(c["quiz"], c["bank"], c["during"], c["elderly"], c["in_taojiang"], 30, 9)
    assert _effect(c).target.change == "down"


def test_too_few_people_gives_no_verdict(campaign):
    c = campaign
    _population(c["quiz"], c["bank"], c["before"], c["elderly"], c["in_taojiang"], 5, 1)
    _population(c["quiz"], c["bank"], c["during"], c["elderly"], c["in_taojiang"], 5, 5)
    effect = _effect(c)
    assert effect.target.change == "unknown"
    assert effect.target.difference is None
    assert "不足" in str(effect.summary)


def test_the_comparison_group_is_people_outside_the_target(campaign):
    c = campaign
    _population(c["quiz"], c["bank"], c["before"], c["elderly"], c["in_taojiang"], 30, 9)
    _population(c["quiz"], c["bank"], c["during"], c["elderly"], c["in_taojiang"], 30, 27)
    # Elderly elsewhere and students in the county: outside the target, unchanged.
    _population(c["quiz"], c["bank"], c["before"], c["elderly"], c["elsewhere"], 15, 6)
    _population(c["quiz"], c["bank"], c["during"], c["elderly"], c["elsewhere"], 15, 6)
    _population(c["quiz"], c["bank"], c["before"], c["students"], c["in_taojiang"], 15, 6)
    _population(c["quiz"], c["bank"], c["during"], c["students"], c["in_taojiang"], 15, 6)
    # No profile at all: cannot be placed in either group.
    _population(c["quiz"], c["bank"], c["during"], None, None, 50, 50)
    effect = _effect(c)
    comp = effect.comparison
    assert (comp.before_n, comp.before_passed, comp.during_n, comp.during_passed) == (
        30,
        12,
        30,
        12,
    )
    assert effect.target.change == "up" and comp.change == "none"
    assert "很可能与这次宣传有关" in str(effect.summary)


def test_the_baseline_defaults_to_an_equal_period_before(campaign):
    c = campaign
    _population(c["quiz"], c["bank"], at(2025, 3, 1), c["elderly"], c["in_taojiang"], 10, 10)
    effect = _effect(c)
    assert effect.baseline_from == datetime.date(2025, 3, 31)
    assert effect.target.before_n == 0  # 1 March is before the baseline period


def test_all_statistics_run_a_constant_number_of_queries(campaign, django_assert_max_num_queries):
    c = campaign
    _population(c["quiz"], c["bank"], c["before"], c["elderly"], c["in_taojiang"], 12, 6)
    attempts = stats.completed_attempts(c["quiz"])
    with django_assert_max_num_queries(12):
        stats.by_audience(attempts)
        stats.by_region(attempts)
        stats.by_week(attempts)
        items = stats.item_statistics(attempts)
        stats.cronbach_alpha(attempts, items)
        _effect(c)
    assert Attempt.objects.count() == 12
