import hashlib
import json
import re

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.http import urlencode
from django.utils.safestring import mark_safe

from website.core.site_address import public_url

register = template.Library()

# Phone numbers as they are written on Chinese sites: landlines with an area code
# (0737-1234567, 0737 1234567, (0737)1234567), mobiles (13812345678, 138 1234 5678),
# 400/800 service numbers, and the short public numbers people are told to call. Digits
# either side rule out amounts, dates and reference numbers.
PHONE_RE = re.compile(
    r"(?<![\d.\-])("
    r"[(（]?0\d{2,3}[)）]?[\s\-]?\d{7,8}"
    r"|1[3-9]\d[\s\-]?\d{4}[\s\-]?\d{4}"
    r"|[48]00[\s\-]?\d{3}[\s\-]?\d{4}"
    r"|110|12345|12315|12363|12378|96110"
    r")(?![\d.\-])"
)
# A tag, or a run of text between tags.
_HTML_PART = re.compile(r"(<[^>]*>)")


def tel_href(number):
    """Return ``tel:`` plus the digits (and a leading +) of ``number``, for an href."""
    number = str(number or "")
    digits = re.sub(r"[^\d+]", "", number)
    return f"tel:{digits}"


register.filter("tel_href", tel_href)


@register.simple_tag
def phone(number, css_class="tel"):
    """Return ``number`` as a tap-to-call link that never breaks across lines ("" if empty)."""
    if not number:
        return ""
    return format_html('<a class="{}" href="{}">{}</a>', css_class, tel_href(number), number)


def _link_numbers(text):
    return PHONE_RE.sub(
        lambda m: f'<a class="tel" href="{tel_href(m.group(1))}">{m.group(1)}</a>', text
    )


@register.filter(is_safe=True)
def phone_links(value):
    """Return ``value`` (text or HTML) with every phone number in its text made a ``tel:``
    link; numbers already inside a link are left alone. Plain text is escaped first."""
    html = str(conditional_escape(value))
    out, depth = [], 0
    for part in _HTML_PART.split(html):
        if part.startswith("<"):
            tag = part[1:3].lower()
            if tag == "a " or part.lower() == "<a>":
                depth += 1
            elif part.lower().startswith("</a"):
                depth = max(depth - 1, 0)
            out.append(part)
        else:
            out.append(part if depth else _link_numbers(part))
    return mark_safe("".join(out))


@register.filter
def absolute(path):
    """Return ``path`` on FANGFEI_BASE_URL (unchanged when it is already absolute)."""
    path = str(path or "")
    if not path or path.startswith(("http://", "https://")):
        return path
    return public_url(path)


_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.simple_tag
def json_ld(data):
    """Return ``data`` as a JSON-LD block. Not a script the browser runs, so the site's
    ``script-src 'self'`` policy does not apply; ``<``, ``>`` and ``&`` are escaped so no
    text in it can close the element."""
    if not data:
        return ""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_JSON_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """Return the current query string with ``changes`` applied (a None value removes a key).

    Keeps listing filters in pagination links, so a shared URL always reproduces a view.
    """
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = value
    return urlencode(sorted(params.items()), doseq=False)


class ContentCacheNode(template.Node):
    def __init__(self, nodelist, name, vary_on):
        self.nodelist, self.name, self.vary_on = nodelist, name, vary_on

    def render(self, context):
        from django.utils import timezone

        from website.core.cache import content_fragment

        if getattr(context.get("request"), "is_preview", False):
            return self.nodelist.render(context)
        parts = [str(v.resolve(context)) for v in self.vary_on]
        mode = "elder" if context.get("elder_mode") else "std"
        # The date too: notices expire at midnight without any publish.
        parts.append(timezone.localdate().isoformat())
        digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:24]
        return content_fragment(
            f"fragment:{self.name}:{mode}:{digest}",
            lambda: self.nodelist.render(context),
            context.get("request"),
        )


class PageBodyCacheNode(template.Node):
    def __init__(self, nodelist, part):
        self.nodelist, self.part = nodelist, part

    def render(self, context):
        from website.core.cache import page_part

        cached = context.get("cached_parts")
        if cached is not None and self.part in cached:
            return mark_safe(cached[self.part])
        return page_part(context.get("request"), self.part, lambda: self.nodelist.render(context))


@register.tag
def page_body_cache(parser, token):
    """``{% page_body_cache "part" %}…{% endpage_body_cache %}`` (in base.html, around the
    head's meta block and, last, as "body" around the content block): the page's own parts
    as ``website.core.cache.BodyCachedPage`` kept them, or rendered and kept for the next
    visitor. Everything else (header, footer, user bar) is rendered every time."""
    return PageBodyCacheNode(*_named_block(parser, token))


def _named_block(parser, token):
    """Parse ``{% tag "name" %}…{% endtag %}`` (``token`` or its split contents); return
    (nodelist, name)."""
    bits = token if isinstance(token, list) else token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError(f"{bits[0]} needs a name")
    nodelist = parser.parse((f"end{bits[0]}",))
    parser.delete_first_token()
    return nodelist, bits[1].strip("\"'")


class ChromeCacheNode(template.Node):
    def __init__(self, nodelist, name, vary_on=()):
        self.nodelist, self.name, self.vary_on = nodelist, name, vary_on

    def render(self, context):
        from django.utils import timezone

        from website.core.cache import kept_in_process, request_content_version

        request = context.get("request")
        if request is None:
            return self.nodelist.render(context)
        key = (
            "chrome",
            self.name,
            "elder" if context.get("elder_mode") else "std",
            request.scheme,
            request.get_host(),
            str(context.get("query") or ""),
            timezone.localdate(),
            *(str(v.resolve(context)) for v in self.vary_on),
        )
        # The version this request read with its route: none outside page requests.
        version = request_content_version()
        return kept_in_process(key, version, lambda: self.nodelist.render(context), request)


@register.tag
def chrome_cache(parser, token):
    """``{% chrome_cache "name" var ... %}…{% endchrome_cache %}`` (base.html's header and
    footer, published content many pages repeat): kept in the process per display mode,
    scheme and host of the address, day and the values of ``var ...`` for the content version the request read
    with its route. Only for parts that depend on nothing else: no path, no user, no page
    unless passed as a ``var``; variables set inside do not reach outside."""
    bits = token.split_contents()
    nodelist, name = _named_block(parser, bits[:2])
    return ChromeCacheNode(nodelist, name, [parser.compile_filter(b) for b in bits[2:]])


@register.tag
def content_cache(parser, token):
    """``{% content_cache "name" var ... %}…{% endcontent_cache %}``: the enclosed part
    rendered once per content version, display mode, day and the values of ``var ...``.

    Only for parts that show published content alike to everyone (no user, no query string
    unless passed as a ``var``); a part that used a CSRF token is never kept. Publishing
    anything renders them afresh.
    """
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("content_cache needs a name")
    nodelist = parser.parse(("endcontent_cache",))
    parser.delete_first_token()
    name = bits[1].strip("\"'")
    return ContentCacheNode(nodelist, name, [parser.compile_filter(b) for b in bits[2:]])
