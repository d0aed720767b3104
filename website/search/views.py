from django.core.paginator import Paginator
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET
from wagtail.models import Page

from website.core.params import clean_param
from website.search.segment import MAX_QUERY_CHARS, query_words

PAGE_SIZE = 10


def search_pages(query):
    """Return live public pages matching ``query``, best first, or an empty list.

    Words are OR-ed and ranked, so a page containing all of them ranks above a page with
    only some; a query with no searchable words matches nothing.
    """
    words = query_words(query)
    if not words:
        return Page.objects.none()
    return (
        Page.objects.live()
        .public()
        .filter(depth__gt=1)
        .specific()
        .search(" ".join(words), operator="or", order_by_relevance=True)
    )


@require_GET
def search(request):
    """The public search page; any query string, however odd, gets a page."""
    raw = clean_param(request.GET.get("q", ""), max_length=10_000)
    query = raw[:MAX_QUERY_CHARS]
    results = search_pages(query) if query else Page.objects.none()
    page = Paginator(results, PAGE_SIZE).get_page(request.GET.get("page"))
    return TemplateResponse(
        request,
        "search/search.html",
        {
            "query": query,
            "truncated": len(raw) > MAX_QUERY_CHARS,
            "results": page,
            "words": query_words(query) if query else [],
        },
    )
