"""Quiz analytics a non-statistician can act on: verdicts in words, the ranked list of
questions worth fixing, and exports whose percentages are numbers."""

import io

import pytest
from openpyxl import load_workbook

from quiz import admin_views, reports, stats
from quiz.models import Question
from tests import factories

from .conftest import make_attempt, make_question, make_quiz

# --------------------------------------------------------------------- verdicts


@pytest.mark.parametrize(
    "alpha, n, level",
    [
        (0.92, 100, "good"),
        (0.80, 100, "good"),
        (0.79, 100, "fair"),
        (0.70, 100, "fair"),
        (0.697, 100, "fair"),  # shown as 0.70, judged as shown
        (0.69, 100, "poor"),
        (-0.2, 100, "poor"),
        (0.95, stats.MIN_ALPHA_ATTEMPTS - 1, "unknown"),
        (None, 500, "unknown"),
    ],
)
def test_alpha_verdict_bands(alpha, n, level):
    verdict = stats.alpha_verdict(alpha, n)
    assert verdict.level == level
    assert verdict.advice  # every verdict says what to do


def test_alpha_verdicts_say_it_in_words():
    assert stats.alpha_verdict(0.85, 100).text == "好"
    assert stats.alpha_verdict(0.75, 100).text == "可接受"
    assert "不够一致" in str(stats.alpha_verdict(0.6, 100).text)
    assert "修改" in str(stats.alpha_verdict(0.6, 100).advice)


@pytest.mark.parametrize(
    "d, words",
    [
        (-0.1, "为负"),
        (0.0, "很弱"),
        (0.19, "很弱"),
        (0.2, "一般"),
        (0.29, "一般"),
        (0.3, "良好"),
        (0.4, "很好"),
        (None, "算不出"),
    ],
)
def test_discrimination_in_words(d, words):
    assert words in str(stats.discrimination_words(d))


@pytest.mark.parametrize(
    "p, words",
    [
        (0.99, "太容易"),
        (0.85, "容易"),
        (0.5, "适中"),
        (0.25, "较难"),
        (0.1, "太难"),
        (None, "暂无"),
    ],
)
def test_difficulty_in_words(p, words):
    assert str(stats.difficulty_words(p)).startswith(words)


# --------------------------------------------------------------------- ranking


def item(code, n, facility, d):
    question = Question(code=code, stem=f"题干{code}")
    return stats.ItemStats(question, n, round(n * facility), d, [])


def test_questions_worth_fixing_are_ranked_by_how_much_a_fix_helps():
    items = [
        item("fair", 500, 0.6, 0.25),  # fair: kept
        item("mild-neg", 60, 0.6, -0.1),
        item("too-easy", 100, 0.98, 0.35),
        item("weak-few", 55, 0.6, 0.15),
        item("few-neg", stats.MIN_FLAG_ANSWERS - 1, 0.6, -0.5),  # too few answers to judge
        item("strong-neg", 200, 0.5, -0.3),
        item("too-hard", 100, 0.1, 0.4),
        item("weak-many", 300, 0.6, 0.1),
        item("good", 400, 0.7, 0.45),
    ]
    ranked = [i.question.code for i, _advice in stats.worth_fixing(items)]
    assert ranked == [
        "strong-neg",  # negative, the clearest evidence
        "mild-neg",
        "weak-many",  # very low, many answers
        "weak-few",
        "too-hard",  # 10 points past its limit beats 3 points past
        "too-easy",
    ]


def test_each_problem_comes_with_advice_in_words():
    advice = dict(
        (i.question.code, str(a))
        for i, a in stats.worth_fixing([item("neg", 80, 0.5, -0.2), item("weak", 80, 0.5, 0.05)])
    )
    assert "答案" in advice["neg"]
    assert "选项" in advice["weak"]


def test_an_item_without_enough_answers_is_described_but_not_ranked():
    few = item("few", 12, 0.5, -0.4)
    assert few.problem is None
    assert "暂不评价" in str(few.discrimination_words)
    assert any("区分度为负" in str(f) for f in few.flags)


# --------------------------------------------------------------------- pages and exports


@pytest.fixture
def reviewer(client, db):
    client.force_login(factories.staff("u-shenhe", "审核员"))
    return client


@pytest.fixture
def quiz_with_problems(db):
    """Five questions: 1–3 agree, 4 favours the weak (negative), 5 everybody gets right."""
    items = [make_question() for _ in range(5)]
    quiz = make_quiz(items)
    patterns = [
        (1, 1, 1, 0, 1),
        (1, 1, 1, 0, 1),
        (1, 1, 0, 0, 1),
        (1, 0, 0, 1, 1),
        (0, 0, 0, 1, 1),
        (0, 0, 0, 1, 1),
    ]
    for p in patterns:
        make_attempt(quiz, list(zip(items, map(bool, p), strict=True)))
    return quiz, items


def test_the_items_page_shows_a_handful_first_and_all_on_request(
    reviewer, quiz_with_problems, monkeypatch
):
    quiz, items = quiz_with_problems
    monkeypatch.setattr(stats, "MIN_FLAG_ANSWERS", 5)
    monkeypatch.setattr(stats, "MIN_ALPHA_ATTEMPTS", 5)  # six attempts: judged, not "too few"
    monkeypatch.setattr(admin_views, "FLAGS_SHOWN", 1)
    ranked = stats.worth_fixing(stats.item_statistics(stats.completed_attempts(quiz)))
    assert ranked[0][0].question == items[3]  # the negative one first
    assert len(ranked) >= 2
    response = reviewer.get(f"/admin/quiz/reports/items/?quiz={quiz.pk}")
    assert [i.question for _n, i, _a, _c in response.context["fixes"]] == [items[3]]
    html = response.content.decode()
    assert "怎么看这一页" in html and "值得修改的题目" in html
    assert "flags=all" in html and "显示全部" in html
    # Enough attempts to judge: the set's agreement is given in words, not "too few".
    verdict = response.context["tables"][0].verdict
    assert verdict.level in ("good", "fair", "poor")
    assert f"{verdict.text}" in html and "答题人次太少" not in html
    everything = reviewer.get(f"/admin/quiz/reports/items/?quiz={quiz.pk}&flags=all")
    assert len(everything.context["fixes"]) == len(ranked)
    assert "只看最值得先改的几道" in everything.content.decode()


def test_the_discrimination_chart_names_each_question_by_its_text(reviewer, quiz_with_problems):
    quiz, items = quiz_with_problems
    Question.objects.filter(pk=items[0].pk).update(
        stem="有人承诺年化收益百分之二十且保本保息，这说明什么"
    )
    html = reviewer.get(f"/admin/quiz/reports/items/?quiz={quiz.pk}").content.decode()
    full = f"{items[0].code} 有人承诺年化收益百分之二十且保本保息，这说明什么"
    assert f"<title>{full}</title>" in html  # the whole text as the label's tooltip
    assert "区分度（−1 到 1" in html  # the axis says what it measures, in Chinese


def test_xlsx_exports_write_percentages_as_numbers(reviewer, quiz_with_problems):
    quiz, _items = quiz_with_problems
    response = reviewer.get(f"/admin/quiz/reports/items/?quiz={quiz.pk}&export=xlsx")
    book = load_workbook(io.BytesIO(response.content))
    sheet = book["逐题分析"]
    header = [c.value for c in sheet[1]]
    share = header.index("答对率（难度系数）") + 1
    index = header.index("区分度") + 1
    first = sheet.cell(row=2, column=share)
    assert isinstance(first.value, float) and 0 <= first.value <= 1
    assert first.number_format == reports.PERCENT
    assert sheet.cell(row=2, column=index).number_format == reports.DECIMAL
    choice = book["选项分布"].cell(row=2, column=5)
    assert isinstance(choice.value, float) and choice.number_format == reports.PERCENT
    for ws in book.worksheets:
        for row in ws.iter_rows(min_row=2, values_only=True):
            for value in row:
                assert not (isinstance(value, str) and value.rstrip().endswith("%")), value


def test_the_overview_xlsx_splits_intervals_into_two_numbers(reviewer, fixed_quiz, bank):
    for n in range(12):
        make_attempt(fixed_quiz, [(q, n % 3 != 0) for q in bank])
    response = reviewer.get(f"/admin/quiz/reports/?quiz={fixed_quiz.pk}&export=xlsx")
    sheet = load_workbook(io.BytesIO(response.content))[
        "按来源（网上 ／ 纸质）"
    ]  # Excel forbids "/" in a sheet name
    header = [c.value for c in sheet[1]]
    assert header[3:] == ["达标率", "达标率 95% 区间 下限", "达标率 95% 区间 上限"]
    online = [c for c in sheet[2]]
    assert online[1].value == 12
    rate, low, high = online[3:6]
    assert rate.value == pytest.approx(8 / 12) and rate.number_format == reports.PERCENT
    assert (low.value, high.value) == pytest.approx(stats.wilson(8, 12))
    assert low.number_format == high.number_format == reports.PERCENT
    suppressed = [c.value for c in sheet[3]]  # 纸质答卷: none, shown as "—"
    assert suppressed[3:] == [reports.SUPPRESSED] * 3


def test_the_csv_export_still_reads_as_text(reviewer, fixed_quiz, bank):
    for _ in range(10):
        make_attempt(fixed_quiz, [(q, True) for q in bank])
    body = reviewer.get(f"/admin/quiz/reports/?quiz={fixed_quiz.pk}&export=csv").content
    assert "100.0%" in body.decode("utf-8-sig")
