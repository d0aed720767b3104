"""What a partner pastes: the iframe (and the optional resizing loader) for one of our pages.

Shared by the share/embed panel on our pages and the oEmbed provider, so both hand out the
same markup.
"""

from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import format_html

# Fixed heights for partners who paste the iframe without the script (it then scrolls
# inside); with embed.js the iframe follows its content.
DEFAULT_HEIGHTS = {"notices": 560, "kiosk": 720, "page": 420, "quiz": 640}
DEFAULT_WIDTH = 480
MIN_WIDTH = 200
MAX_WIDTH = 1200


def widget_for(page):
    """Return (widget name, embed path) for a page we can embed, or None.

    ``page`` is a specific page instance.
    """
    from quiz.models import QuizPage
    from website.pages.models import CaseStudyPage, RiskNoticeIndexPage, RiskNoticePage

    if isinstance(page, RiskNoticePage | CaseStudyPage):
        return "page", reverse("embeds:page", args=[page.pk])
    if isinstance(page, QuizPage):
        return "quiz", reverse("embeds:quiz", args=[page.pk])
    if isinstance(page, RiskNoticeIndexPage):
        return "notices", reverse("embeds:notices")
    return None


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
