"""The quiz's statistics, every one of them computed from SQL aggregates.

Each function runs a constant number of queries that return one row per group (audience,
region, week, question, choice), never one row per answer; the arithmetic on those few
rows happens here. Definitions:

- *达标率* (recognition rate): the share of completed attempts whose score reaches the quiz's
  pass mark. Attempts are independent, so a binomial (Wilson) interval is honest for it;
  answers within one attempt are not independent, so no interval is put on answer counts.
- *难度系数* (facility index, Moodle): the share of answers to a question that were right.
- *区分度* (discrimination index, Moodle): the Pearson correlation between the item score
  (0/1) and the rest of the test (the attempt's correct count minus this item).
- *Cronbach's alpha*: k/(k−1)·(1 − Σσ²ᵢ/σ²ₓ) with population variances; for random draws
  Σσ²ᵢ is each item's variance weighted by the share of attempts that saw it (k items each).
- Wilson score interval, and Newcombe's hybrid score interval (method 10) for a difference
  of two independent proportions.
"""

import datetime
import math
from dataclasses import dataclass, field

from django.db.models import Case, Count, F, IntegerField, Q, Sum, Value, When
from django.db.models.functions import TruncWeek
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from quiz.leaderboard import counted_attempts
from quiz.models import Answer, AnswerChoice, Attempt, Choice, Question
from website.taxonomy.models import Audience, Region

Z95 = 1.959963984540054
DEFAULT_MIN_COUNT = 10
# Moodle's guidance: below 0.3 an item discriminates weakly; below zero it works against
# the test (often a wrong key or an ambiguous stem).
WEAK_DISCRIMINATION = 0.3
MIN_ITEM_RESPONSES = 30
# Ebel's bands for a discrimination index: below 0.2 an item is poor and worth revising.
POOR_DISCRIMINATION = 0.2
# A correlation from a few dozen answers swings by ±0.15 or more (its standard error is
# about 1/√n), so the "worth fixing" list waits for this many answers from people.
MIN_FLAG_ANSWERS = 50
TOO_EASY = 0.95
TOO_HARD = 0.2
# Cronbach's alpha is itself noisy with few people; no verdict below this many attempts.
MIN_ALPHA_ATTEMPTS = 30


# ---------------------------------------------------------------------------------------
# Intervals
# ---------------------------------------------------------------------------------------


def wilson(successes, n, z=Z95):
    """Return the Wilson score interval (low, high) for ``successes`` out of ``n``.

    Returns None when ``n`` is 0.
    """
    if n <= 0:
        return None
    p = successes / n
    z2 = z * z
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def newcombe(k1, n1, k2, n2, z=Z95):
    """Return (difference, low, high) for p2 − p1 by Newcombe's hybrid score method.

    ``k1/n1`` is the earlier (baseline) proportion, ``k2/n2`` the later one. Returns None
    when either group is empty.
    """
    if n1 <= 0 or n2 <= 0:
        return None
    p1, p2 = k1 / n1, k2 / n2
    l1, u1 = wilson(k1, n1, z)
    l2, u2 = wilson(k2, n2, z)
    d = p2 - p1
    low = d - math.sqrt((p2 - l2) ** 2 + (u1 - p1) ** 2)
    high = d + math.sqrt((u2 - p2) ** 2 + (p1 - l1) ** 2)
    return d, low, high


# ---------------------------------------------------------------------------------------
# Which attempts a report covers
# ---------------------------------------------------------------------------------------


def local_day_start(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def completed_attempts(quiz=None, date_from=None, date_to=None):
    """Return completed attempts, optionally of one quiz and between two local dates."""
    qs = Attempt.objects.filter(completed_at__isnull=False)
    if quiz is not None:
        qs = qs.filter(quiz=quiz)
    if date_from:
        qs = qs.filter(completed_at__gte=local_day_start(date_from))
    if date_to:
        qs = qs.filter(completed_at__lt=local_day_start(date_to + datetime.timedelta(days=1)))
    return qs


# ---------------------------------------------------------------------------------------
# Participation and recognition by group
# ---------------------------------------------------------------------------------------


@dataclass
class Cell:
    """One group's figures; ``suppressed`` cells must not be shown or exported."""

    key: object
    label: str
    n: int = 0
    passed: int = 0
    score_sum: float = 0.0
    min_count: int = DEFAULT_MIN_COUNT
    level: int = 0
    extra: dict = field(default_factory=dict)

    @property
    def suppressed(self):
        return self.n < self.min_count

    @property
    def mean_score(self):
        return None if self.suppressed or not self.n else self.score_sum / self.n

    @property
    def pass_rate(self):
        return None if self.suppressed or not self.n else self.passed / self.n

    @property
    def interval(self):
        return None if self.suppressed else wilson(self.passed, self.n)

    @property
    def shown_n(self):
        return None if self.suppressed else self.n


def _totals(qs, key):
    return (
        qs.values(key)
        .annotate(n=Count("pk"), passed=Count("pk", filter=Q(passed=True)), score_sum=Sum("score"))
        .order_by()
    )


def by_audience(attempts, min_count=DEFAULT_MIN_COUNT):
    """Return a Cell per audience (and one for "未填写"), in the audiences' order."""
    rows = {r["audience"]: r for r in _totals(attempts, "audience")}
    cells = []
    for audience in Audience.objects.all():
        r = rows.get(audience.pk, {})
        cells.append(_cell(audience.slug, audience.name, r, min_count))
    cells.append(_cell("", str(_("未填写")), rows.get(None, {}), min_count))
    return cells


def by_week(attempts, min_count=DEFAULT_MIN_COUNT):
    """Return a Cell per week (Monday, local time) that has any attempts, oldest first."""
    tz = timezone.get_current_timezone()
    rows = _totals(attempts.annotate(week=TruncWeek("completed_at", tzinfo=tz)), "week")
    cells = []
    for r in sorted(rows, key=lambda r: r["week"]):
        week = r["week"]
        day = week.date() if isinstance(week, datetime.datetime) else week
        cells.append(
            _cell(day.isoformat(), str(_("%(day)s 起的一周") % {"day": day}), r, min_count)
        )
    return cells


def by_region(attempts, min_count=DEFAULT_MIN_COUNT, max_level=Region.Level.TOWNSHIP):
    """Return a Cell per region down to ``max_level``, each rolled up over its subtree.

    One GROUP BY region query; the roll-up adds those per-region totals to every ancestor
    named in the region's ``path``, so it costs (regions × depth) additions whatever the
    number of attempts.
    """
    totals = {r["region"]: r for r in _totals(attempts, "region") if r["region"]}
    regions = list(Region.objects.all())
    by_code = {r.code: r for r in regions}
    rolled = {r.pk: {"n": 0, "passed": 0, "score_sum": 0.0} for r in regions}
    for region in regions:
        t = totals.get(region.pk)
        if not t:
            continue
        for code in region.path.strip("/").split("/"):
            ancestor = by_code.get(code)
            if ancestor is None:
                continue
            acc = rolled[ancestor.pk]
            acc["n"] += t["n"]
            acc["passed"] += t["passed"]
            acc["score_sum"] += t["score_sum"] or 0.0
    cells = []
    for region in regions:  # ordered by path: a depth-first walk of the tree
        if region.level > max_level:
            continue
        cell = _cell(region.code, region.name, rolled[region.pk], min_count)
        cell.level = region.level
        cells.append(cell)
    return cells


def _cell(key, label, row, min_count):
    return Cell(
        key=key,
        label=label,
        n=row.get("n", 0) or 0,
        passed=row.get("passed", 0) or 0,
        score_sum=row.get("score_sum", 0.0) or 0.0,
        min_count=min_count,
    )


def leaderboard(quiz, level=None, min_count=None):
    """Return (ranked, unranked) region Cells for ``quiz`` at one level of the tree.

    Only attempts that count (``quiz.leaderboard.counted_attempts``: one per browser per day,
    a ceiling per network per day) are counted. Ranked regions have at least ``min_count``
    of them, ordered by participation then mean score; the others are listed without a rank.
    """
    level = level or quiz.leaderboard_level
    min_count = min_count or quiz.leaderboard_min_count
    counted = counted_attempts(completed_attempts(quiz))
    cells = [
        c for c in by_region(counted, min_count=min_count, max_level=level) if c.level == level
    ]
    ranked = sorted(
        (c for c in cells if not c.suppressed), key=lambda c: (-c.n, -(c.mean_score or 0))
    )
    unranked = [c for c in cells if c.suppressed]
    return ranked, unranked


# ---------------------------------------------------------------------------------------
# Item statistics
# ---------------------------------------------------------------------------------------


@dataclass
class ItemStats:
    """One question's figures. ``n``/``correct`` count answers of attempts (online and paper
    sheets; ``paper_n`` of them from paper sheets); ``tally_n``/``tally_correct`` add paper
    totals entered per question, which count in the facility and the choice shares but not in
    the discrimination, and not in alpha's item variances (no person is behind them)."""

    question: Question
    n: int
    correct: int
    discrimination: float | None
    choices: list  # (Choice, count, share)
    paper_n: int = 0
    tally_n: int = 0
    tally_correct: int = 0

    @property
    def responses(self):
        return self.n + self.tally_n

    @property
    def facility(self):
        total = self.responses
        return (self.correct + self.tally_correct) / total if total else None

    @property
    def variance(self):
        p = self.correct / self.n if self.n else None
        return None if p is None else p * (1 - p)

    @property
    def flags(self):
        """Plain-language problems with this item, for editors."""
        found = []
        if self.n < MIN_ITEM_RESPONSES:
            found.append(_("作答不足 %(n)d 次，指标仅供参考") % {"n": MIN_ITEM_RESPONSES})
        d = self.discrimination
        if d is not None and d < 0:
            found.append(_("区分度为负：答对这题的人总分反而偏低，请检查答案是否设错"))
        elif d is not None and d < WEAK_DISCRIMINATION:
            found.append(_("区分度偏低：这题与整套题考的能力关系不大"))
        elif d is None and self.n:
            found.append(_("全部答对或全部答错，无法计算区分度"))
        p = self.facility
        if p is not None and p > 0.95:
            found.append(_("几乎人人答对，可考虑加大难度"))
        elif p is not None and p < 0.2:
            found.append(_("答对的人很少，请检查题干和选项是否清楚"))
        return found

    @property
    def badly_discriminating(self):
        return self.discrimination is not None and self.discrimination < WEAK_DISCRIMINATION

    @property
    def difficulty_words(self):
        return difficulty_words(self.facility)

    @property
    def discrimination_words(self):
        if self.n < MIN_ITEM_RESPONSES:
            return _("作答太少，暂不评价")
        return discrimination_words(self.discrimination)

    @property
    def problem(self):
        """Return (rank, evidence, advice) when this item is worth fixing, else None.

        Rank 1: negative discrimination (those who know the most get it wrong: a wrong key
        or a misleading stem); 2: very low discrimination; 3: too easy or too hard. Items
        with fewer than MIN_FLAG_ANSWERS answers from people are never ranked. ``evidence``
        orders items within a rank: for discrimination, how many standard errors the
        figure lies below the 0.3 an item should reach (Fisher's z, so a low figure from
        many answers outranks the same figure from few); for difficulty, the distance past
        the limit times √n.
        """
        if self.n < MIN_FLAG_ANSWERS:
            return None
        d, p = self.discrimination, self.facility
        if d is not None and d < POOR_DISCRIMINATION:
            evidence = (math.atanh(WEAK_DISCRIMINATION) - math.atanh(max(d, -0.999))) * math.sqrt(
                self.n - 3
            )
            if d < 0:
                return (
                    1,
                    evidence,
                    _(
                        "答对这题的人总分反而偏低：先核对正确答案是否设错，再看题干或某个错误"
                        "选项是否容易让懂行的人误解。"
                    ),
                )
            return (
                2,
                evidence,
                _(
                    "这题几乎分不出懂与不懂：看看下面的选项分布，改写太明显或太含糊的选项，"
                    "或把题干写得更具体。"
                ),
            )
        if p is not None and p > TOO_EASY:
            return (
                3,
                (p - TOO_EASY) * math.sqrt(self.n),
                _("几乎人人答对，测不出差别：可换成更贴近真实骗局的情境，或作为开场热身题保留。"),
            )
        if p is not None and p < TOO_HARD:
            return (
                3,
                (TOO_HARD - p) * math.sqrt(self.n),
                _("答对的人很少：检查题干和正确选项是否清楚，知识点是否在宣传中讲过。"),
            )
        if d is None and self.n:
            return 3, 0.0, _("所有人答得一样（全对或全错），算不出区分度：可换一道题。")
        return None


def difficulty_words(facility):
    """Return the facility (share right) in words."""
    if facility is None:
        return _("暂无作答")
    if facility > TOO_EASY:
        return _("太容易（几乎人人答对）")
    if facility >= 0.8:
        return _("容易")
    if facility >= 0.4:
        return _("适中")
    if facility >= TOO_HARD:
        return _("较难")
    return _("太难（很少有人答对）")


def discrimination_words(d):
    """Return a discrimination index in words (Ebel's bands)."""
    if d is None:
        return _("算不出（人人答得一样）")
    if d < 0:
        return _("为负：懂的人反而答错，先查答案")
    if d < POOR_DISCRIMINATION:
        return _("很弱：分不出懂与不懂，值得修改")
    if d < WEAK_DISCRIMINATION:
        return _("一般：可以保留，有空再改")
    if d < 0.4:
        return _("良好")
    return _("很好")


def worth_fixing(items):
    """Return [(item, advice)] for the items worth fixing, most useful fix first.

    Order: rank (negative discrimination, then very low, then too easy or too hard), then
    the strength of the evidence within the rank, then the number of answers.
    """
    found = []
    for item in items:
        problem = item.problem
        if problem is not None:
            rank, evidence, advice = problem
            found.append((rank, -evidence, -item.n, item.question.code, item, advice))
    found.sort(key=lambda f: f[:4])
    return [(f[4], f[5]) for f in found]


@dataclass
class AlphaVerdict:
    """Cronbach's alpha in words: ``level`` is good, fair, poor or unknown."""

    value: float | None
    level: str
    text: str
    advice: str


def alpha_verdict(alpha, attempts_n):
    """Return an AlphaVerdict for ``alpha`` computed over ``attempts_n`` attempts."""
    if alpha is None or attempts_n < MIN_ALPHA_ATTEMPTS:
        return AlphaVerdict(
            alpha,
            "unknown",
            _("答题人次太少，暂不评价"),
            _("至少 %(n)d 人次完成答题后再看这个数。") % {"n": MIN_ALPHA_ATTEMPTS},
        )
    # Judged as shown (two decimals), so "0.70" never reads as below 0.7.
    alpha = round(alpha, 2)
    if alpha >= 0.8:
        return AlphaVerdict(alpha, "good", _("好"), _("各题测的是同一种能力，总分可以放心比较。"))
    if alpha >= 0.7:
        return AlphaVerdict(
            alpha,
            "fair",
            _("可接受"),
            _("总分大体可信；修改下面列出的几道题，能让它更可靠。"),
        )
    return AlphaVerdict(
        alpha,
        "poor",
        _("题目之间不够一致"),
        _(
            "总分受个别题目影响较大：先修改下面列出的区分度低或为负的题；每次测试题数"
            "太少（少于 10 题）也会让这个数偏低。"
        ),
    )


def _pearson(n, sx, sy, sxx, syy, sxy):
    num = n * sxy - sx * sy
    den = (n * sxx - sx * sx) * (n * syy - sy * sy)
    if n < 2 or den <= 0:
        return None
    return num / math.sqrt(den)


def item_statistics(attempts, tallies=None):
    """Return an ItemStats per question answered in ``attempts`` (completed) or counted in
    ``tallies`` (a PaperTally queryset: paper totals per question), by code.

    Two grouped queries: one over answers joined to their attempt (n, Σx, Σy, Σy², Σxy
    with x the item score and y the rest-of-test score), one over chosen choices; two more
    for tallies when given.
    """
    x = Case(When(is_correct=True, then=Value(1)), default=Value(0), output_field=IntegerField())
    rest = F("attempt__correct_count") - x
    answers = Answer.objects.filter(attempt__in=attempts.values("pk"))
    rows = (
        answers.values("question")
        .annotate(
            n=Count("pk"),
            sx=Sum(x),
            sy=Sum(rest),
            syy=Sum(rest * rest),
            sxy=Sum(x * rest),
            paper=Count("pk", filter=Q(attempt__source=Attempt.Source.PAPER)),
        )
        .order_by()
    )
    rows = {r["question"]: r for r in rows}
    tallied, tally_picks = {}, {}
    if tallies is not None:
        from quiz.models import PaperChoiceTally

        for r in (
            tallies.values("question").annotate(n=Sum("answered"), k=Sum("correct")).order_by()
        ):
            tallied[r["question"]] = (r["n"] or 0, r["k"] or 0)
        for r in (
            PaperChoiceTally.objects.filter(tally__in=tallies.values("pk"))
            .values("choice")
            .annotate(count=Sum("count"))
            .order_by()
        ):
            tally_picks[r["choice"]] = r["count"] or 0
    picks = (
        AnswerChoice.objects.filter(attempt__in=attempts.values("pk"))
        .values("choice")
        .annotate(count=Count("pk"))
        .order_by()
    )
    picks = {r["choice"]: r["count"] for r in picks}
    questions = Question.objects.filter(pk__in={*rows, *tallied}).prefetch_related(
        models_prefetch_choices()
    )
    result = []
    empty = {"n": 0, "sx": 0, "sy": 0, "syy": 0, "sxy": 0, "paper": 0}
    for q in questions:
        r = rows.get(q.pk, empty)
        n, sx = r["n"], r["sx"] or 0
        d = _pearson(n, sx, r["sy"] or 0, sx, r["syy"] or 0, r["sxy"] or 0)
        tally_n, tally_k = tallied.get(q.pk, (0, 0))
        total = n + tally_n
        choices = []
        for c in q.choices.all():
            count = picks.get(c.pk, 0) + tally_picks.get(c.pk, 0)
            choices.append((c, count, count / total if total else 0))
        result.append(ItemStats(q, n, sx, d, choices, r["paper"] or 0, tally_n, tally_k))
    return result


def by_source(attempts, min_count=DEFAULT_MIN_COUNT):
    """Return a Cell per source of attempts (网上答题, 纸质答卷), in that order."""
    rows = {r["source"]: r for r in _totals(attempts, "source")}
    return [
        _cell(value, str(label), rows.get(value, {}), min_count)
        for value, label in Attempt.Source.choices
    ]


def models_prefetch_choices():
    from django.db.models import Prefetch

    return Prefetch("choices", queryset=Choice.objects.order_by("sort_order", "pk"))


def cronbach_alpha(attempts, items=None):
    """Return Cronbach's alpha for ``attempts`` (completed, one quiz), or None.

    ``items`` are the ItemStats of the same attempts (computed when not given).
    """
    agg = attempts.aggregate(
        n=Count("pk"),
        sx=Sum("correct_count"),
        sxx=Sum(F("correct_count") * F("correct_count")),
        k=Sum("question_count"),
    )
    n = agg["n"] or 0
    if n < 2:
        return None
    k = (agg["k"] or 0) / n
    if k < 2:
        return None
    mean = (agg["sx"] or 0) / n
    var_total = (agg["sxx"] or 0) / n - mean * mean
    if var_total <= 0:
        return None
    items = item_statistics(attempts) if items is None else items
    # Expected sum of item variances on one attempt's form: each item weighted by the share
    # of attempts that saw it (1 for every item of a fixed quiz).
    var_items = sum(i.variance * i.n / n for i in items if i.n)  # per-person answers only
    return (k / (k - 1)) * (1 - var_items / var_total)


# ---------------------------------------------------------------------------------------
# Campaign effect
# ---------------------------------------------------------------------------------------


@dataclass
class Comparison:
    """Recognition before and during a campaign for one group of people."""

    label: str
    before_n: int
    before_passed: int
    during_n: int
    during_passed: int
    min_count: int

    @property
    def enough(self):
        return self.before_n >= self.min_count and self.during_n >= self.min_count

    @property
    def before_rate(self):
        return self.before_passed / self.before_n if self.before_n else None

    @property
    def during_rate(self):
        return self.during_passed / self.during_n if self.during_n else None

    @property
    def difference(self):
        if not self.enough:
            return None
        return newcombe(self.before_passed, self.before_n, self.during_passed, self.during_n)

    @property
    def change(self):
        """ "up", "down", "none" (interval spans zero) or "unknown" (too few attempts)."""
        diff = self.difference
        if diff is None:
            return "unknown"
        _d, low, high = diff
        if low > 0:
            return "up"
        if high < 0:
            return "down"
        return "none"

    @property
    def verdict(self):
        return {
            "up": _("认知率有可测提升"),
            "down": _("认知率有可测下降"),
            "none": _("无可测变化"),
            "unknown": _("样本不足，无法判断"),
        }[self.change]


@dataclass
class CampaignEffect:
    target: Comparison
    comparison: Comparison
    baseline_from: datetime.date
    start: datetime.date
    end: datetime.date

    @property
    def summary(self):
        """One plain-language sentence for the office's report."""
        t, c = self.target.change, self.comparison.change
        if t == "unknown":
            return _("目标人群在宣传前或宣传期间的答题人次不足，无法判断效果。")
        if t == "none":
            return _("目标人群的认知率无可测变化：差值的 95% 区间包含 0。")
        if t == "up" and c in ("none", "down"):
            return _(
                "目标人群的认知率有可测提升，而对照人群没有：提升很可能与这次宣传有关"
                "（仍不能排除同期其他因素）。"
            )
        if t == "up" and c == "up":
            return _(
                "目标人群和对照人群的认知率都有提升：可能是宣传的外溢，也可能是同期的其他因素。"
            )
        if t == "up":
            return _("目标人群的认知率有可测提升；对照人群样本不足，无法比较。")
        return _("目标人群的认知率有可测下降，请检查题目难度或参与人群是否发生变化。")


def campaign_effect(
    start,
    end,
    audiences=(),
    regions=(),
    quiz=None,
    baseline_from=None,
    min_count=DEFAULT_MIN_COUNT,
):
    """Compare recognition before ``start`` with recognition from ``start`` to ``end``.

    The target group is the attempts whose audience is one of ``audiences`` and whose region
    lies in one of ``regions`` (empty means "any"). The comparison group is the attempts
    whose stated profile puts them outside the target; attempts without the needed profile
    cannot be placed and are left out of it. The baseline runs from ``baseline_from``
    (default: a period as long as the campaign, just before it). One query.
    """
    length = (end - start).days + 1
    baseline_from = baseline_from or start - datetime.timedelta(days=length)
    audience_ids = [a.pk for a in audiences]
    in_region = Q()
    for region in regions:
        in_region |= Q(region__path__startswith=region.path)
    in_audience = Q(audience__in=audience_ids) if audience_ids else Q()
    target = in_audience & in_region
    outside = Q(pk__isnull=True)  # matches nothing: no profile, no comparison group
    if audience_ids:
        outside |= Q(audience__isnull=False) & ~Q(audience__in=audience_ids)
    if regions:
        outside |= Q(region__isnull=False) & ~in_region
    before = Q(completed_at__lt=local_day_start(start))
    during = Q(completed_at__gte=local_day_start(start))
    ok = Q(passed=True)
    qs = completed_attempts(quiz, baseline_from, end)
    agg = qs.aggregate(
        t_bn=Count("pk", filter=target & before),
        t_bk=Count("pk", filter=target & before & ok),
        t_dn=Count("pk", filter=target & during),
        t_dk=Count("pk", filter=target & during & ok),
        c_bn=Count("pk", filter=outside & before),
        c_bk=Count("pk", filter=outside & before & ok),
        c_dn=Count("pk", filter=outside & during),
        c_dk=Count("pk", filter=outside & during & ok),
    )
    return CampaignEffect(
        target=Comparison(
            str(_("目标人群")), agg["t_bn"], agg["t_bk"], agg["t_dn"], agg["t_dk"], min_count
        ),
        comparison=Comparison(
            str(_("对照人群")), agg["c_bn"], agg["c_bk"], agg["c_dn"], agg["c_dk"], min_count
        ),
        baseline_from=baseline_from,
        start=start,
        end=end,
    )
