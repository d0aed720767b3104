"""Which questions an attempt gets.

Only published (``live``) questions are ever asked: a question still awaiting review is
not public yet. A fixed quiz asks its list in order. A random quiz draws ``question_count`` active
questions from the pool its tags and audiences allow, spread as evenly as the pool permits
over the three difficulty levels, and shuffles them. The draw is written into the attempt's
answer rows when the attempt starts, so reloading a page never changes it.
"""

import random
import secrets

from django.db import transaction
from django.db.models import Q

from quiz.models import Answer, Attempt, Question, QuizPage

LEVELS = (1, 2, 3)


def question_pool(quiz):
    """Return a queryset of the active, published questions ``quiz`` may draw from."""
    pool = Question.objects.filter(active=True, live=True)
    tag_ids = list(quiz.draw_tags.values_list("pk", flat=True))
    if tag_ids:
        pool = pool.filter(tagged_items__tag_id__in=tag_ids)
    audience_ids = list(quiz.draw_audiences.values_list("pk", flat=True))
    if audience_ids:
        # Questions for all audiences (none set) suit every audience.
        pool = pool.filter(Q(audiences__in=audience_ids) | Q(audiences__isnull=True))
    return pool.distinct()


def balanced_sample(by_level, count, rng):
    """Return ``count`` ids drawn from ``by_level`` ({level: [ids]}) as evenly as possible.

    Each level gets ``count // 3`` (the remainder goes to the middle level first, then the
    easy one); a level that runs short is topped up from the others.
    """
    pools = {level: list(ids) for level, ids in by_level.items()}
    for ids in pools.values():
        rng.shuffle(ids)
    wanted = {level: count // len(LEVELS) for level in LEVELS}
    for level in (2, 1, 3)[: count % len(LEVELS)]:
        wanted[level] += 1
    chosen = []
    for level in LEVELS:
        take = pools.get(level, [])[: wanted[level]]
        chosen += take
        pools[level] = pools.get(level, [])[len(take) :]
    leftovers = [i for level in LEVELS for i in pools.get(level, [])]
    rng.shuffle(leftovers)
    chosen += leftovers[: max(0, count - len(chosen))]
    rng.shuffle(chosen)
    return chosen


def draw_question_ids(quiz, rng=None):
    """Return the ordered question ids for a new attempt at ``quiz`` (may be empty)."""
    if quiz.selection == QuizPage.Selection.FIXED:
        return list(
            quiz.fixed_questions.filter(question__active=True, question__live=True)
            .order_by("sort_order", "pk")
            .values_list("question_id", flat=True)
        )
    rng = rng or random.SystemRandom()
    by_level = {}
    for pk, level in question_pool(quiz).values_list("pk", "difficulty"):
        by_level.setdefault(level, []).append(pk)
    return balanced_sample(by_level, quiz.question_count, rng)


def new_token():
    return secrets.token_urlsafe(18)


def start_attempt(quiz, profile=None, rng=None):
    """Create an attempt at ``quiz`` with its draw; return it, or None when the pool is empty."""
    question_ids = list(dict.fromkeys(draw_question_ids(quiz, rng)))
    if not question_ids:
        return None
    with transaction.atomic():
        attempt = Attempt.objects.create(
            quiz=quiz,
            token=new_token(),
            question_count=len(question_ids),
            **(profile or {}),
        )
        Answer.objects.bulk_create(
            Answer(attempt=attempt, question_id=qid, position=n)
            for n, qid in enumerate(question_ids, start=1)
        )
    return attempt
