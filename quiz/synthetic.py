"""Believable synthetic attempts, for the demo site and the benchmark.

Each simulated person has an ability; a question of difficulty d is answered right with
probability logistic(ability − (d − 2)). People in the "campaign" (an audience and region
after a date) get a small boost, so the demo's campaign-effect report has something to
find. Rows are written in chunks, so memory stays flat: attempts by bulk_create (their ids
are needed), answers and chosen choices as plain parameter rows through one executemany
each, without a model instance per row (ten times faster than bulk_create here).
"""

import datetime
import math
import random

from django.db import connection, transaction
from django.utils import timezone

from quiz.draw import balanced_sample, new_token, question_pool
from quiz.models import AgeBand, Answer, AnswerChoice, Attempt, QuizPage
from website.taxonomy.models import Audience, Region


def _logistic(x):
    return 1 / (1 + math.exp(-x))


def synthesize(
    quiz,
    count,
    *,
    seed=515,
    days=90,
    chunk=2000,
    boost_audience=None,
    boost_region=None,
    boost_after=None,
    boost=0.8,
    profile_share=0.85,
    stdout=None,
    until=None,
    audiences=None,
    regions=None,
    ability_shift=0.0,
):
    """Create ``count`` completed attempts at ``quiz``; return the number of answers made.

    Attempts end in the ``days`` before ``until`` (default now). People's stated audience
    and region are drawn from ``audiences`` and ``regions`` (default: all audiences, all
    regions from township down). ``ability_shift`` moves everyone's ability (a cohort
    after teaching).
    """
    rng = random.Random(seed)
    pool = list(question_pool(quiz).prefetch_related("choices"))
    if quiz.selection == QuizPage.Selection.FIXED:
        fixed_ids = [fq.question_id for fq in quiz.fixed_questions.order_by("sort_order", "pk")]
        by_id = {q.pk: q for q in pool}
        pool = [by_id[i] for i in fixed_ids if i in by_id] or pool
    if not pool:
        return 0
    by_id = {q.pk: q for q in pool}
    by_level = {}
    for q in pool:
        by_level.setdefault(q.difficulty, []).append(q.pk)
    choices = {q.pk: sorted(q.choices.all(), key=lambda c: (c.sort_order or 0, c.pk)) for q in pool}
    audiences = list(Audience.objects.all()) if audiences is None else list(audiences)
    if regions is None:
        regions = list(Region.objects.filter(level__gte=Region.Level.TOWNSHIP)) or list(
            Region.objects.all()
        )
    regions = list(regions)
    now = until or timezone.now()
    boost_after = boost_after or (now - datetime.timedelta(days=days // 3))
    boost_path = boost_region.path if boost_region else None
    made = 0
    remaining = count
    while remaining > 0:
        size = min(chunk, remaining)
        remaining -= size
        attempts, plans = [], []
        for _ in range(size):
            done = now - datetime.timedelta(seconds=rng.uniform(0, days * 86400))
            audience = rng.choice(audiences) if audiences and rng.random() < profile_share else None
            region = rng.choice(regions) if regions and rng.random() < profile_share else None
            ability = rng.gauss(0.6, 1.0) + ability_shift
            if audience is not None and audience.slug == "elderly":
                ability -= 0.5
            in_campaign = (
                done >= boost_after
                and (boost_audience is None or audience == boost_audience)
                and (
                    boost_path is None
                    or (region is not None and region.path.startswith(boost_path))
                )
            )
            if in_campaign and (boost_audience or boost_path):
                ability += boost
            if quiz.selection == QuizPage.Selection.FIXED:
                ids = [q.pk for q in pool]
            else:
                ids = balanced_sample(by_level, quiz.question_count, rng)
            right = [rng.random() < _logistic(ability - (by_id[i].difficulty - 2)) for i in ids]
            correct = sum(right)
            score = correct / len(ids)
            attempts.append(
                Attempt(
                    quiz=quiz,
                    token=new_token(),
                    question_count=len(ids),
                    correct_count=correct,
                    score=score,
                    passed=score * 100 >= quiz.pass_mark,
                    completed_at=done,
                    age_band=rng.choice(AgeBand.values) if rng.random() < profile_share else "",
                    audience=audience,
                    region=region,
                )
            )
            plans.append((ids, right, done))
        with transaction.atomic():
            Attempt.objects.bulk_create(attempts)
            if attempts[0].pk is None:
                raise RuntimeError("the database backend must return ids from bulk_create")
            answers, picks = [], []
            for attempt, (ids, right, done) in zip(attempts, plans, strict=True):
                when = _db_time(done)
                for pos, (qid, ok) in enumerate(zip(ids, right, strict=True), start=1):
                    answers.append((attempt.pk, qid, pos, when, ok))
                    options = choices[qid]
                    good = [c.pk for c in options if c.is_correct]
                    bad = [c.pk for c in options if not c.is_correct] or good
                    if ok:
                        picks.append(good)
                    elif by_id[qid].is_multiple and len(good) > 1 and rng.random() < 0.6:
                        picks.append(good[:-1])  # missed one
                    else:
                        picks.append([rng.choice(bad)])
            _insert(
                Answer, ["attempt", "question", "position", "answered_at", "is_correct"], answers
            )
            answer_ids = dict(
                (((a, p), pk))
                for pk, a, p in Answer.objects.filter(
                    attempt_id__in=[a.pk for a in attempts]
                ).values_list("pk", "attempt_id", "position")
            )
            _insert(
                AnswerChoice,
                ["answer", "choice", "attempt"],
                (
                    (answer_ids[(attempt_id, pos)], cid, attempt_id)
                    for (attempt_id, _qid, pos, _when, _ok), chosen in zip(
                        answers, picks, strict=True
                    )
                    for cid in chosen
                ),
            )
        made += len(answers)
        if stdout is not None:
            stdout.write(f"  {count - remaining} attempts, {made} answers")
    return made


def _db_time(value):
    return Answer._meta.get_field("answered_at").get_db_prep_value(value, connection)


def _insert(model, fields, rows):
    """INSERT ``rows`` (tuples in the order of ``fields``) into ``model``'s table."""
    columns = [model._meta.get_field(name).column for name in fields]
    qn = connection.ops.quote_name
    sql = (
        f"INSERT INTO {qn(model._meta.db_table)} ({', '.join(qn(c) for c in columns)}) "
        f"VALUES ({', '.join(['%s'] * len(columns))})"
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, list(rows))
