"""What a partner pastes: the iframe (and the optional resizing loader) for one of our pages.

Shared by the share/embed panel on our pages and the oEmbed provider, so both hand out the
same markup.
"""

from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import format_html
from wagtail.models import get_page_models

# Fixed heights for partners who paste the iframe without the script (it then scrolls
# inside); with embed.js the iframe follows its content.
DEFAULT_HEIGHTS = {"notices": 560, "kiosk": 720, "page": 420, "quiz": 640}
DEFAULT_WIDTH = 480
MIN_WIDTH = 200
MAX_WIDTH = 1200


# Page types say how partners embed them with a class attribute, ``embed_widget``, so this
# app never imports them (it sits above the pages and the quiz):
#   one of CARD_KINDS  the page as a card at /embed/page/<id>/ (notices, cases, campaigns)
#   "notices"          the current-notices list at /embed/notices/ (the notices section)
#   any other name     with ``embed_routes``: the page's own routes of those names run inside
#                      the frame at /embed/<name>/<id>/… (the quiz); ``embed_missing_message``
#                      is what the frame says when the page is gone.
CARD_KINDS = ("notice", "case", "campaign")


def embed_kind(page):
    """Return the page's ``embed_widget`` (None for a page that cannot be embedded)."""
    return getattr(page, "embed_widget", None)


def routable_types(widget):
    """Return the page types embedded as ``widget`` that run their own routes in the frame."""
    return [
        model
        for model in get_page_models()
        if embed_kind(model) == widget and getattr(model, "embed_routes", ())
    ]


def widget_for(page):
    """Return (widget name, embed path) for a page we can embed, or None.

    ``page`` is a specific page instance.
    """
    kind = embed_kind(page)
    if kind in CARD_KINDS:
        return "page", reverse("embeds:page", args=[page.pk])
    if kind == "notices":
        return "notices", reverse("embeds:notices")
    if kind and getattr(page, "embed_routes", ()):
        return kind, routable_path(kind, page.pk)
    return None


def routable_path(widget, page_id, subpath=""):
    """Return the embed path of ``subpath`` (one of the page's own routes) of a page that
    runs its routes in the frame: ``/embed/quiz/7/a/<token>/1/``."""
    return reverse(
        "embeds:routable", kwargs={"widget": widget, "page_id": page_id, "subpath": subpath}
    )


def script_url(request):
    return request.build_absolute_uri(static("embeds/embed.js"))


def iframe_html(src, title, height, width=None):
    """Return the bare iframe: works on its own at a fixed height."""
    width_attr = str(width) if width else "100%"
    return format_html(
        '<iframe src="{}" title="{}" width="{}" height="{}" loading="lazy" '
        'style="border:0;max-width:100%" data-fangfei-embed></iframe>',
        src,
        title,
        width_attr,
        height,
    )


def snippet_html(request, src, title, height, width=None):
    """Return the iframe plus the loader that resizes it to its content."""
    return format_html(
        '{}<script async src="{}"></script>',
        iframe_html(src, title, height, width),
        script_url(request),
    )
