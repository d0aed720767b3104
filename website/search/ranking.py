"""Public search ranking: the backend's relevance, a title bonus and a page-type boost.

The database backends rank by text statistics alone (SQLite's bm25 over all columns,
PostgreSQL's ts_rank), so a long "about us" page that mentions 高息 in passing can beat the
case it is about, and a synonym counts as much as the word typed. Over the best
``CANDIDATES`` matches the backend returns, each page gets

    (relevance / best relevance + TITLE_WEIGHT × title match) × type boost × expiry factor

where *title match* is the share of the query's words (or, at SYNONYM_CREDIT, their
alternatives) found in the title, the *type boost* favours what readers search for (cases
and notices) over navigation and about pages, and an expired notice counts EXPIRED_FACTOR.
Matches past the first ``CANDIDATES`` follow in the backend's order. Boosts are keyed by
model label so that this layer needs no import of the page models; ``SEARCH_TYPE_BOOSTS``
in settings overrides or adds entries.
"""

from django.conf import settings
from django.utils import timezone

CANDIDATES = 200
TITLE_WEIGHT = 1.0
SYNONYM_CREDIT = 0.6
EXPIRED_FACTOR = 0.5
DEFAULT_BOOST = 1.0
TYPE_BOOSTS = {
    "pages.CaseStudyPage": 1.6,
    "pages.RiskNoticePage": 1.6,
    "campaigns.CampaignPage": 1.1,
    "quiz.QuizPage": 1.0,
    "pages.StandardPage": 0.8,
    "pages.CaseStudyIndexPage": 0.5,
    "pages.RiskNoticeIndexPage": 0.5,
    "campaigns.CampaignIndexPage": 0.5,
    "pages.HomePage": 0.3,
}


def type_boosts():
    return {**TYPE_BOOSTS, **getattr(settings, "SEARCH_TYPE_BOOSTS", {})}


def title_match(title, plan):
    """Return the share (0–1) of the plan's words found in ``title``."""
    if not plan.groups:
        return 0.0
    from website.search.normalize import normalize

    title = normalize(title)
    total = 0.0
    for group in plan.groups:
        best = 0.0
        for i, term in enumerate(group.terms):
            if all(word in title for word in term):
                best = max(best, 1.0 if i == 0 else SYNONYM_CREDIT)
        total += best
    return total / len(plan.groups)


def expired_ids(pages, today):
    """Return the pks of ``pages`` whose specific model has a ``valid_until`` in the past
    (one query per such model)."""
    by_model = {}
    for page in pages:
        model = page.specific_class
        if model is not None and any(f.name == "valid_until" for f in model._meta.fields):
            by_model.setdefault(model, []).append(page.pk)
    found = set()
    for model, ids in by_model.items():
        found.update(
            model.objects.filter(pk__in=ids, valid_until__lt=today).values_list("pk", flat=True)
        )
    return found


def rerank(pages, plan, today=None):
    """Return ``pages`` (with ``_score`` from the backend) best first."""
    today = today or timezone.localdate()
    boosts = type_boosts()
    expired = expired_ids(pages, today)
    # SQLite's bm25 is negative (more negative is better); ts_rank and Elasticsearch's
    # _score are positive: the magnitude is the relevance either way.
    top = max((abs(p._score or 0) for p in pages), default=0) or 1.0

    def score(page):
        relevance = abs(page._score or 0) / top
        value = relevance + TITLE_WEIGHT * title_match(page.title, plan)
        model = page.specific_class
        value *= boosts.get(model._meta.label if model else "", DEFAULT_BOOST)
        if page.pk in expired:
            value *= EXPIRED_FACTOR
        return value

    return sorted(pages, key=lambda p: (-score(p), -p.pk))
