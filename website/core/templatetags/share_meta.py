"""What link-preview bots (WeChat, QQ, DingTalk, search engines) read from a page's head:
Open Graph, the canonical address, JSON-LD and the description.

Works on any Wagtail page by the fields it has (``search_description``, ``summary``,
``intro``, ``listing_image``), so the kernel needs no knowledge of the page types above it;
a page type says it is an article with ``schema_type = "Article"``.
"""

from django import template
from django.templatetags.static import static
from django.utils.translation import gettext as _

from website.core.cache import cached_for_content
from website.core.templatetags.fangfei_tags import absolute

register = template.Library()

SHARE_RENDITION = "fill-1200x630"
DESCRIPTION_LENGTH = 120


def _description(page, reporting):
    for field in ("search_description", "summary", "intro", "theme"):
        text = getattr(page, field, "") if page is not None else ""
        if text:
            text = " ".join(str(text).split())
            if len(text) > DESCRIPTION_LENGTH:
                text = text[: DESCRIPTION_LENGTH - 1] + "…"
            return text
    office = reporting.get("office_name") or _("防范非法集资")
    return _("%(office)s：看清高息诱惑，识别非法集资骗局，守住养老钱、血汗钱。") % {
        "office": office
    }


def _page_image_url(page):
    image = getattr(page, "listing_image", None)
    if image is not None:
        try:
            return image.get_rendition(SHARE_RENDITION).url
        except OSError:  # SourceImageIOError: the original file is missing
            pass  # a missing original must not take the page down; the site's picture will do
    return ""


def _image(page, request=None):
    if page is None or not hasattr(page, "listing_image_id"):
        return ""
    if page.listing_image_id is None:
        return ""
    if getattr(request, "is_preview", False):
        return absolute(_page_image_url(page))
    # The image and its rendition cost two queries per page view; the address changes only
    # with published content (a replaced image file bumps the content version too).
    url = cached_for_content(f"share-image:{page.pk}", lambda: _page_image_url(page))
    return absolute(url) if url else ""


def _share_image(page, site_info, request=None):
    return _image(page, request) or absolute(
        site_info.get("share_image_url") or static("img/share.png")
    )


def _organisation(reporting, site_info):
    org = {
        "@type": "GovernmentOrganization",
        "name": reporting.get("office_name") or _("防范非法集资"),
        "url": absolute("/"),
        "logo": absolute(static("img/icon-192.png")),
    }
    if reporting.get("hotline"):
        org["telephone"] = reporting["hotline"]
    if reporting.get("email"):
        org["email"] = reporting["email"]
    if reporting.get("address"):
        org["address"] = {
            "@type": "PostalAddress",
            "streetAddress": reporting["address"],
            "addressCountry": "CN",
        }
    return org


def _article(page, url, title, description, image, organisation):
    published = getattr(page, "issued_on", None) or page.first_published_at
    modified = page.last_published_at or published
    return {
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": title[:110],
        "description": description,
        "image": [image],
        "url": url,
        "mainEntityOfPage": url,
        "inLanguage": "zh-CN",
        "datePublished": published.isoformat() if published else None,
        "dateModified": modified.isoformat() if modified else None,
        "author": organisation,
        "publisher": organisation,
    }


@register.inclusion_tag("includes/share_meta.html", takes_context=True)
def share_meta(context, title=""):
    """Return the context of the head's sharing block for the page being rendered."""
    request = context.get("request")
    page = context.get("page")
    if page is not None and not hasattr(page, "last_published_at"):
        page = None  # a paginator page in a listing view, not a Wagtail page
    reporting = context.get("reporting") or {}
    site_info = context.get("site_info") or {}
    url = absolute(request.path if request is not None else "/")
    title = title or (getattr(page, "seo_title", "") or getattr(page, "title", "")) or ""
    description = _description(page, reporting)
    image = _share_image(page, site_info, request)
    organisation = _organisation(reporting, site_info)
    is_article = getattr(page, "schema_type", "") == "Article"
    if is_article:
        data = _article(page, url, title, description, image, organisation)
    elif request is not None and request.path == "/":
        data = {"@context": "https://schema.org", **organisation}
    else:
        data = None
    return {
        "title": title,
        "site_name": reporting.get("office_name") or _("防范非法集资"),
        "description": description,
        "url": url,
        "image": image,
        "og_type": "article" if is_article else "website",
        "json_ld": data,
    }
