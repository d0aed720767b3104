from django.core.paginator import Paginator
from django.db.models import Count
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET
from wagtail.models import Page

from website.core.cache import cached_for_content
from website.core.models import SiteSettings
from website.core.params import clean_param
from website.search.query import analyse, search_query
from website.search.ranking import CANDIDATES, rerank
from website.search.segment import MAX_QUERY_CHARS

PAGE_SIZE = 10
POPULAR_TOPICS = 8


def _candidates(plan):
    """Return up to CANDIDATES live public pages matching ``plan``, with ``_score``."""
    query = search_query(plan, "or")
    if query is None:
        return []
    results = (
        Page.objects.live()
        .public()
        .filter(depth__gt=1)
        .search(query, order_by_relevance=True)
        .annotate_score("_score")
    )
    return list(results[:CANDIDATES])


def search_pages(query, plan=None):
    """Return live public pages matching ``query``, best first, or an empty list.

    The query's words and their synonyms are OR-ed, so a page containing more of them
    ranks higher; ``website.search.ranking`` then favours title matches, cases and
    notices. At most ``ranking.CANDIDATES`` pages; a query with no searchable words
    matches nothing.
    """
    plan = analyse(query) if plan is None else plan
    if not plan:
        return []
    return rerank(_candidates(plan), plan)


def _tag_counts():
    from taggit.models import Tag, TaggedItemBase

    # Every tagged model has its own through table (cases, notices, …): count them all
    # without importing the models that own them.
    relations = [
        rel.get_accessor_name()
        for rel in Tag._meta.related_objects
        if issubclass(rel.related_model, TaggedItemBase)
    ]
    if not relations:
        return []
    total = sum(
        (Count(name, distinct=True) for name in relations[1:]), Count(relations[0], distinct=True)
    )
    tags = Tag.objects.annotate(uses=total).filter(uses__gt=0).order_by("-uses", "name")
    return [tag.name for tag in tags[:POPULAR_TOPICS]]


def popular_topics():
    """Return the names of the most used pretext tags (cached until content changes)."""
    return cached_for_content("search-popular-topics", _tag_counts)


def _help_pages(site_settings):
    # The guides staff chose in 网站信息; a guide unpublished or made private is left out.
    ids = [site_settings.after_paying_page_id, site_settings.verify_page_id]
    found = Page.objects.live().public().in_bulk([pk for pk in ids if pk])
    return [(found[pk].title, found[pk].url) for pk in ids if pk in found and found[pk].url]


def help_pages(request):
    """Return [(title, url)] of the guides named in the site's 网站信息 (cached per site)."""
    site_settings = SiteSettings.for_request(request)
    return cached_for_content(
        f"search-help-pages:{site_settings.site_id}", lambda: _help_pages(site_settings)
    )


def _page_of_results(ranked, number):
    """Return the Paginator page for ``number`` with its pages made specific."""
    page = Paginator(ranked, PAGE_SIZE).get_page(number)
    ids = [p.pk for p in page.object_list]
    specific = Page.objects.filter(pk__in=ids).specific().in_bulk()
    page.object_list = [specific[pk] for pk in ids if pk in specific]
    return page


@require_GET
def search(request):
    """The public search page; any query string, however odd, gets a page."""
    raw = clean_param(request.GET.get("q", ""), max_length=10_000)
    query = raw[:MAX_QUERY_CHARS]
    plan = analyse(query)
    ranked = search_pages(query, plan) if query else []
    results = _page_of_results(ranked, request.GET.get("page"))
    context = {
        "query": query,
        "truncated": len(raw) > MAX_QUERY_CHARS,
        "results": results,
        "words": plan.words,
        "also": plan.also,
        "capped": len(ranked) >= CANDIDATES,
    }
    if query and not ranked:
        context.update(popular_topics=popular_topics(), help_pages=help_pages(request))
    return TemplateResponse(request, "search/search.html", context)
