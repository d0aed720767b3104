"""The published questions as the public quiz shows them, cached until the bank or the site
changes.

Every screen of an attempt shows one or two questions with their choices, tags and the newest
case sharing a tag; building those is four or five queries, repeated for every person who is
asked the same question. Here each question is built once and kept in the shared cache under
two versions read in the same round trip as the entries: the bank's own (bumped whenever a
question, a choice or a question's tags are saved or deleted, a publish included) and the
site's content version (bumped when a page such as the case is published). An entry written
under other versions is rebuilt, so an edited answer key or a new case is shown at once.
"""

from django.core.cache import cache
from django.db.models import Prefetch
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from quiz import teaching
from quiz.models import Choice, Question, QuestionTag
from website.core.cache import VERSION_KEY as CONTENT_VERSION_KEY
from website.core.cache import bump_version, read_versioned, read_with_route

BANK_VERSION_KEY = "quiz-bank-version"
# Bump when the shape of an entry changes, so a deploy never reads entries of older code.
SCHEMA = 1
# Entries also expire, so a change made around the signals (a bulk UPDATE in a shell) is
# shown after a while all the same.
TIMEOUT = 600


# Every quiz screen reads the bank: its counter comes with the route's round trip.
read_with_route(BANK_VERSION_KEY)


def bump_bank_version():
    """Invalidate every cached question, now and again when the change commits (a publish
    saves choices inside a transaction: a quiz request in between must not keep the old
    answer key under the new version)."""
    bump_version(BANK_VERSION_KEY)


@receiver(post_save, sender=Question)
@receiver(post_delete, sender=Question)
@receiver(post_save, sender=Choice)
@receiver(post_delete, sender=Choice)
@receiver(post_save, sender=QuestionTag)
@receiver(post_delete, sender=QuestionTag)
def _bank_changed(**kwargs):
    bump_bank_version()


def _key(question_id):
    return f"quiz-bank:{SCHEMA}:{question_id}"


def _build(question_ids):
    """Return {id: (question, case)} read from the database: choices in order, tags and the
    image loaded, the case as ``teaching.cases_for`` pairs it."""
    questions = (
        Question.objects.filter(pk__in=question_ids)
        .select_related("image")
        .prefetch_related(
            Prefetch("choices", queryset=Choice.objects.order_by("sort_order", "pk")), "tags"
        )
    )
    cases = teaching.cases_for(question_ids)
    return {q.pk: (q, cases.get(q.pk)) for q in questions}


class Found(dict):
    """{id: (question, case or None)}, and the ``versions`` (content, bank) it was read under:
    what is rendered from it may be kept under them (``quiz.fragments``)."""

    versions = ()


def questions(question_ids):
    """Return Found {id: (question, case or None)} for ``question_ids``: one cache round trip
    when they are cached, the database's answer (then cached) for those that are not. The
    questions are shared with other requests of this process: read them, never change them.

    Ids that name no question are left out.
    """
    ids = list(dict.fromkeys(question_ids))
    keys = {_key(pk): pk for pk in ids}
    # Kept decoded in the process too: unpickling a question was most of reading it.
    versions, found = read_versioned(list(keys), (CONTENT_VERSION_KEY, BANK_VERSION_KEY), keep=True)
    result = Found((keys[key], value) for key, value in found.items())
    result.versions = versions
    missing = [pk for key, pk in keys.items() if key not in found]
    if missing:
        built = _build(missing)
        result.update(built)
        cache.set_many({_key(pk): (versions, value) for pk, value in built.items()}, TIMEOUT)
    return result
