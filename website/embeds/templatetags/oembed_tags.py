"""``{% oembed_discovery %}``: the oEmbed discovery links for the page being shown."""

from urllib.parse import urlencode

from django import template
from django.urls import reverse
from django.utils.html import format_html_join
from wagtail.models import Page

from website.embeds.snippets import widget_for

register = template.Library()

LINK_TYPES = (("json", "application/json+oembed"), ("xml", "text/xml+oembed"))


@register.simple_tag(takes_context=True)
def oembed_discovery(context):
    """Return the JSON and XML oEmbed ``<link>`` elements for ``page``, or "" without a widget.

    No SQL: the page in context is already specific, and its URL comes from the site root
    paths the request has cached.
    """
    page = context.get("page")
    request = context.get("request")
    if not isinstance(page, Page) or request is None or widget_for(page) is None:
        return ""
    # The address the visitor is using (relative for a page on the request's own site), so
    # the announced URL works however the site is reached, e.g. 127.0.0.1:8000 in development.
    page_url = page.get_url(request)
    if not page_url:
        return ""
    page_url = request.build_absolute_uri(page_url)
    filters = context.get("filters")
    query = filters.as_query() if hasattr(filters, "as_query") else {}
    if query:
        page_url += "?" + urlencode(query)
    endpoint = request.build_absolute_uri(reverse("embeds:oembed"))
    return format_html_join(
        "",
        '<link rel="alternate" type="{}" href="{}" title="{}">',
        (
            (mime, f"{endpoint}?{urlencode({'url': page_url, 'format': fmt})}", page.title)
            for fmt, mime in LINK_TYPES
        ),
    )
