"""The public lookup at /lookup/: one search box, answered on the server (no JavaScript)."""

from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET

from website.core.params import clean_param
from website.firms import throttle
from website.firms.lookup import MAX_QUERY, lookup

TEMPLATE = "firms/lookup.html"


@require_GET
def lookup_page(request):
    """The lookup page; ``?q=`` is a name, a fragment of one, an alias or a credit code.
    Any query string, however odd, gets a page (429 when the client looks up too fast)."""
    raw = clean_param(request.GET.get("q", ""), max_length=10_000)
    query = raw[:MAX_QUERY]
    context = {"lookup_query": query, "truncated": len(raw) > MAX_QUERY, "max_query": MAX_QUERY}
    if query:
        verdict = throttle.check(request)
        if not verdict.allowed:
            context["throttled"] = True
            response = TemplateResponse(request, TEMPLATE, context, status=429)
            response["Retry-After"] = str(verdict.retry_after)
            return response
        context["result"] = lookup(query)
    return TemplateResponse(request, TEMPLATE, context)
