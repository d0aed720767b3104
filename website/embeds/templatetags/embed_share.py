from django import template
from django.utils.http import urlencode

from ..snippets import DEFAULT_HEIGHTS, iframe_html, snippet_html, widget_for

register = template.Library()


@register.inclusion_tag("embeds/share_panel.html", takes_context=True)
def embed_share(context, page):
    """Render the share/embed panel for ``page`` (a specific page), or nothing."""
    request = context.get("request")
    found = widget_for(page) if request is not None else None
    if found is None:
        return {"show": False}
    widget, path = found
    src = request.build_absolute_uri(path)
    height = DEFAULT_HEIGHTS[widget]
    large_src = f"{src}?{urlencode({'size': 'large'})}"
    return {
        "show": True,
        "page": page,
        "page_url": request.build_absolute_uri(page.url),
        "preview_url": path,
        "snippet": snippet_html(request, src, page.title, height),
        "plain": iframe_html(src, page.title, height),
        "large_snippet": snippet_html(request, large_src, page.title, height),
    }
