"""oEmbed provider (https://oembed.com): ``/oembed?url=…&format=json&maxwidth=…``.

Answers with a ``rich`` embed (our iframe, the same markup as the share panel) for our own
pages that have a widget — a risk notice or case study (its card), a quiz (the whole quiz),
the notices index (the current-notices list, with its ``audience``/``region``/``tag``
filters) — and for our own ``/embed/…`` URLs. Everything else is 404: other hosts, drafts,
private pages (the spec's 401 would tell strangers that a private page exists), pages without
a widget, unknown paths. A ``maxwidth`` below MIN_WIDTH or a ``maxheight`` below MIN_HEIGHT
is also 404, as the spec allows when no representation fits.
"""

import hashlib
import json
import re
from typing import NamedTuple
from urllib.parse import unquote, urlencode, urlsplit

from django.conf import settings
from django.http import HttpResponse, QueryDict
from django.http.request import split_domain_port, validate_host
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from wagtail.models import Page, Site
from wagtail.models.sites import get_site_for_hostname

from website.core.cache import cached_for_content
from website.core.conditional import EXPOSED_HEADERS
from website.core.params import clean_param
from website.embeds.snippets import (
    DEFAULT_HEIGHTS,
    DEFAULT_WIDTH,
    MAX_WIDTH,
    MIN_WIDTH,
    iframe_html,
    widget_for,
)

FORMATS = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}
# Suggested to consumers (Wagtail stores embeds this long); the iframe itself always shows
# current content, so only the title and size can be this old.
CACHE_AGE = 3600
# Shorter than this a widget shows too little to be worth embedding.
MIN_HEIGHT = 150
MAX_URL_LENGTH = 2048
# Widget parameters of /embed/notices/ and /embed/kiosk/ besides the listing filters; their
# values are the widget's business, but only plain words travel into the markup we hand out.
LOOK_PARAMS = ("count", "theme", "size", "interval")
_WORD = re.compile(r"^[a-z0-9]{1,12}$")
_XML_INVALID = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


class BadRequest(Exception):
    """A parameter we cannot read; ``str(exc)`` is the message."""


class Refused(NamedTuple):
    """A URL of ours whose filters name nothing (``?audience=nobody``): the widget would
    answer 400, so there is nothing to embed (404, as the spec has it), and the message
    says which parameter is wrong rather than quietly embedding the unfiltered list."""

    message: str


@require_safe
def oembed(request):
    """Return the oEmbed answer for ``?url=``: 200, 400 (bad parameters), 404 or 501."""
    try:
        url, fmt, maxwidth, maxheight = _read_params(request.GET)
    except BadRequest as exc:
        return _error(str(exc), 400)
    if fmt not in FORMATS:
        return _error(_("只支持 format=json 或 format=xml。"), 501)
    if (maxwidth is not None and maxwidth < MIN_WIDTH) or (
        maxheight is not None and maxheight < MIN_HEIGHT
    ):
        return _error(
            _("嵌入内容至少需要 %(w)d 像素宽、%(h)d 像素高。") % {"w": MIN_WIDTH, "h": MIN_HEIGHT},
            404,
        )
    parts = _our_url(request, url)
    if parts is None:
        return _not_found()

    key = hashlib.sha256(json.dumps([url, fmt, maxwidth, maxheight]).encode()).hexdigest()[:32]
    body = cached_for_content(
        f"oembed:{key}", lambda: _answer(parts, fmt, maxwidth, maxheight), timeout=CACHE_AGE
    )
    if body is None:
        return _not_found()
    if isinstance(body, Refused):
        return _error(body.message, 404)
    response = HttpResponse(body, content_type=FORMATS[fmt])
    response["Cache-Control"] = f"public, max-age={CACHE_AGE}"
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
    return response


def _read_params(params):
    """Return (url, format, maxwidth, maxheight) from the query; raises BadRequest."""
    url = clean_param(params.get("url", ""), MAX_URL_LENGTH + 1)
    if not url:
        raise BadRequest(_("缺少参数 url：请给出要嵌入的页面地址。"))
    fmt = clean_param(params.get("format", ""), 10).lower() or "json"
    return url, fmt, _size(params, "maxwidth"), _size(params, "maxheight")


def _size(params, name):
    """Return ``params[name]`` as a positive int, None when absent or empty."""
    raw = params.get(name, "").strip()
    if not raw:
        return None
    digits = raw.lstrip("0")
    if not (raw.isascii() and raw.isdigit()) or not digits:
        raise BadRequest(_("参数 %(name)s 应为正整数（像素）。") % {"name": name})
    # Anything this long is wider than any widget; int() of thousands of digits would raise.
    return int(digits) if len(digits) <= 12 else 10**12


def _error(message, status):
    response = HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
    return response


def _not_found():
    return _error(_("没有可嵌入的内容：地址不是本站公开的风险提示、案例、测试或嵌入组件。"), 404)


def _our_hostnames():
    """Return the host names of the Wagtail sites (cached by Wagtail)."""
    names = set()
    for root in Site.get_site_root_paths():
        hostname = urlsplit(root.root_url).hostname
        if hostname:
            names.add(hostname)
    return names


def _our_url(request, url):
    """Return the split ``url`` if it is an http(s) URL on a host this site serves, else None."""
    if len(url) > MAX_URL_LENGTH:
        return None
    try:
        parts = urlsplit(url)
        hostname = parts.hostname
        parts.port  # noqa: B018 -- raises ValueError for a port that is not a number
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not hostname:
        return None
    if hostname in _our_hostnames():
        return parts
    request_host, _port = split_domain_port(request.get_host())
    if hostname == request_host.lower():
        return parts
    # "*" lets any Host header reach Django; it does not make every site on the web ours.
    allowed = [host for host in settings.ALLOWED_HOSTS if host != "*"]
    return parts if validate_host(hostname, allowed) else None


def _answer(parts, fmt, maxwidth, maxheight):
    """Return the response body for ``parts``, or None when there is nothing to embed."""
    default_port = 443 if parts.scheme == "https" else 80
    try:
        site = get_site_for_hostname(parts.hostname, parts.port or default_port)
    except Site.DoesNotExist:
        return None
    path = unquote(parts.path or "/")
    query = QueryDict(parts.query)
    from website.pages.filters import FilterError

    try:
        if path.startswith("/embed/"):
            target = _embed_target(site, path, query)
        else:
            target = _page_target(site, path, query)
    except FilterError as exc:
        return Refused(str(exc))
    if target is None:
        return None
    widget, embed_path, title, page = target

    origin = f"{parts.scheme}://{parts.netloc.rsplit('@', 1)[-1].lower()}"
    width = min(maxwidth, MAX_WIDTH) if maxwidth else DEFAULT_WIDTH
    height = min(maxheight, DEFAULT_HEIGHTS[widget]) if maxheight else DEFAULT_HEIGHTS[widget]
    data = {
        "version": "1.0",
        "type": "rich",
        "title": title,
        "provider_name": _provider_name(site),
        "provider_url": f"{origin}/",
        "html": str(iframe_html(origin + embed_path, title, height, width)),
        "width": width,
        "height": height,
        "cache_age": CACHE_AGE,
        **_thumbnail(page, origin, width, height),
    }
    return _json(data) if fmt == "json" else _xml(data)


def _page_target(site, path, query):
    """Return (widget, embed path, title, page) for a page URL, or None."""
    components = [c for c in path.split("/") if c]
    url_path = site.root_page.url_path + "".join(f"{c}/" for c in components)
    page = Page.objects.live().public().filter(url_path=url_path).specific().first()
    if page is None:
        return None
    found = widget_for(page)
    if found is None:
        return None
    widget, embed_path = found
    title = page.title
    if widget == "notices":
        # The index page itself shows everything for a filter that names nothing; the
        # widget would refuse it, so the embed is refused too.
        filters, names = _filters(query)
        if filters:
            embed_path += "?" + urlencode(filters)
        if names:
            title = f"{title} · {'、'.join(names)}"
    return widget, embed_path, title, page


def _embed_target(site, path, query):
    """Return (widget, embed path, title, page) for one of our /embed/ URLs, or None."""
    try:
        match = resolve(path)
    except Resolver404:
        return None
    if match.namespace != "embeds" or match.url_name not in (
        "page",
        "routable",
        "notices",
        "kiosk",
    ):
        return None
    if match.url_name in ("page", "routable"):
        # A routable widget is embedded from its way in, never from inside an attempt.
        if match.kwargs.get("subpath"):
            return None
        widget = match.kwargs.get("widget", match.url_name)
        page = Page.objects.live().public().filter(pk=match.kwargs["page_id"]).specific().first()
        found = widget_for(page) if page is not None else None
        if found is None or found[0] != widget:
            return None
        return (*found, page.title, page)

    from website.embeds.views import KIOSK_PARAMS, NOTICES_PARAMS
    from website.pages.filters import check_names
    from website.pages.models import RiskNoticeIndexPage

    check_names(query, KIOSK_PARAMS if match.url_name == "kiosk" else NOTICES_PARAMS)
    index = RiskNoticeIndexPage.objects.live().public().descendant_of(site.root_page).first()
    title = index.title if index else _("风险提示")
    filters, names = _filters(query, with_level=True)
    for name in LOOK_PARAMS:
        value = clean_param(query.get(name, ""), 13).lower()
        if _WORD.match(value):
            filters[name] = value
    if names:
        title = f"{title} · {'、'.join(names)}"
    embed_path = path + ("?" + urlencode(filters) if filters else "")
    return match.url_name, embed_path, title, None


def _filters(query, with_level=False):
    """Return (the listing filters in ``query`` as a dict, their names); raises FilterError
    for a value that names nothing. ``with_level``: the widgets' ``level`` too."""
    from website.pages.filters import parse_filters, parse_level
    from website.pages.models import RiskNoticePage

    found = parse_filters(query)
    names = [str(o.name) for o in (found.audience, found.region, found.tag) if o is not None]
    filters = found.as_query()
    level = parse_level(query) if with_level else None
    if level:
        filters["level"] = level
        names.append(str(RiskNoticePage.Level(level).label))
    return filters, names


def _provider_name(site):
    from website.core.models import ReportingSettings

    return ReportingSettings.for_site(site).office_name or "防非"


def _thumbnail(page, origin, width, height):
    """Return the thumbnail fields for ``page``'s listing image when it fits, else {}."""
    from website.pages.models.base import LISTING_RENDITION

    image = getattr(page, "listing_image", None)
    if image is None:
        return {}
    try:
        rendition = image.get_rendition(LISTING_RENDITION)
    except OSError:  # Wagtail's SourceImageIOError: the original file is missing
        return {}
    # The spec wants the thumbnail within maxwidth/maxheight too; rather than draw a
    # rendition per requested size, leave it out when the listing one does not fit.
    if rendition.width > width or rendition.height > height:
        return {}
    url = rendition.url
    return {
        "thumbnail_url": url if "://" in url else origin + url,
        "thumbnail_width": rendition.width,
        "thumbnail_height": rendition.height,
    }


def _json(data):
    return json.dumps(data, ensure_ascii=False)


def _xml(data):
    def text(value):
        return (
            _XML_INVALID.sub("", str(value))
            .replace("&", "&amp;")
            .replace("<", "&lt;")
            .replace(">", "&gt;")
        )

    fields = "".join(f"<{key}>{text(value)}</{key}>" for key, value in data.items())
    return f'<?xml version="1.0" encoding="utf-8" standalone="yes"?>\n<oembed>{fields}</oembed>'
