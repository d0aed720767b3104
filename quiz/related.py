"""What to read after a quiz: the newest cases and the most pressing current notices that share
a pretext tag with its questions.

Attempts draw their questions at random, so the set of tags differs from one result to the
next and a cache per set would rarely be hit. Kept instead, per content version and day: for
every tag, its first few cases and notices in listing order (small: ids and sort keys), from
which any set's own first few are merged without a query; and the pages of each merged choice,
which many results share.
"""

from django.utils import timezone

from quiz.models import QuestionTag
from website.core.cache import cached_for_content
from website.pages.models import CaseStudyPage, RiskNoticePage
from website.pages.models.base import listing_queryset

SHOWN = 4
# RiskNoticePage.current()'s order: the most severe first.
LEVEL_RANK = {RiskNoticePage.Level.SEVERE: 0, RiskNoticePage.Level.WARNING: 1}


def _firsts(rows):
    """{tag: [(sort key, pk)] of its SHOWN first, largest key first} from (key, pk, tag) rows."""
    per_tag = {}
    for key, pk, tag in rows:
        per_tag.setdefault(tag, []).append((key, pk))
    return {tag: sorted(found, reverse=True)[:SHOWN] for tag, found in per_tag.items()}


def _index():
    tags = list(QuestionTag.objects.values_list("tag_id", flat=True).distinct())
    cases = (
        listing_queryset(CaseStudyPage)
        .filter(tags__in=tags)
        .values_list("pk", "case_date", "tags__id")
    )
    notices = (
        RiskNoticePage.current()
        .filter(tags__in=tags)
        .values_list("pk", "level", "issued_on", "tags__id")
    )
    return {
        # Cases newest first, as listed: (-case_date, -pk).
        "cases": _firsts(((day.toordinal() if day else 0, pk), pk, tag) for pk, day, tag in cases),
        # Notices most severe, then newest first: (level, -issued_on, -pk).
        "notices": _firsts(
            ((-LEVEL_RANK.get(level, 2), day.toordinal() if day else 0, pk), pk, tag)
            for pk, level, day, tag in notices
        ),
    }


def _merged(per_tag, tag_ids):
    keys = {}
    for tag in tag_ids:
        for key, pk in per_tag.get(tag, ()):
            keys[pk] = key
    return [pk for pk, _key in sorted(keys.items(), key=lambda item: item[1], reverse=True)][:SHOWN]


def related(questions):
    """Return (cases, notices) sharing a pretext tag with ``questions`` (tags loaded), at most
    SHOWN of each, in the order their listings use."""
    tag_ids = {t.pk for q in questions for t in q.tags.all()}
    if not tag_ids:
        return [], []
    today = timezone.localdate()  # notices expire at midnight
    index = cached_for_content(f"quiz-related-index:{today}", _index, keep=True)
    case_ids = _merged(index["cases"], tag_ids)
    notice_ids = _merged(index["notices"], tag_ids)
    if not case_ids and not notice_ids:
        return [], []

    def pages():
        cases = listing_queryset(CaseStudyPage).in_bulk(case_ids)
        notices = listing_queryset(RiskNoticePage).in_bulk(notice_ids)
        return (
            [cases[pk] for pk in case_ids if pk in cases],
            [notices[pk] for pk in notice_ids if pk in notices],
        )

    chosen = ",".join(map(str, case_ids)) + ";" + ",".join(map(str, notice_ids))
    return cached_for_content(f"quiz-related:{chosen}:{today}", pages, keep=True)
