from django import template
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from website.embeds.snippets import DEFAULT_HEIGHTS, iframe_html, snippet_html, widget_for

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
    fields = [
        ("link", _("本页链接"), request.build_absolute_uri(page.url)),
        ("code", _("嵌入代码（高度自动适应）"), snippet_html(request, src, page.title, height)),
        (
            "large",
            _("大字版嵌入代码（适合老年读者）"),
            snippet_html(request, large_src, page.title, height),
        ),
        (
            "plain",
            _("不能使用脚本的网站：只用这一行（固定高度）"),
            iframe_html(src, page.title, height),
        ),
    ]
    return {
        "show": True,
        "fields": [
            {
                "id": f"share-{name}-{page.pk}",
                "label": label,
                "value": value,
                "multiline": name != "link",
            }
            for name, label, value in fields
        ],
        "preview_url": path,
    }
