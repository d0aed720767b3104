"""Walk the admin as one signed-in user, as a person clicking every link would, and collect
the English words a Chinese-reading member of staff would meet.

Links come from the pages themselves and from the sidebar menu (Wagtail renders it as JSON
for its script, so its addresses are read from there). Only GET is used, never a link that
signs out or downloads; at most two addresses of the same shape (``/admin/pages/N/edit/``)
are visited, which keeps the walk short and still reaches every kind of page.
"""

import re
from collections import defaultdict
from html.parser import HTMLParser

SKIP = re.compile(
    r"logout|/export|\.xlsx|\.csv|\.ics|\.pdf|\.zip|download|/preview|/ical|/bulk/|/serve/"
    r"|/images/\d+/generate|/documents/\d+/[^/]+$|/jsi18n|/api/|/sidebar"
)
# Words that are names, keys or formats, the same in a Chinese interface.
ALLOWED = {
    "wagtail",
    "javascript",
    "ctrl",
    "alt",
    "shift",
    "esc",
    "enter",
    "url",
    "api",
    "csv",
    "xlsx",
    "xls",
    "pdf",
    "sms",
    "qr",
    "avif",
    "gif",
    "jpg",
    "jpeg",
    "png",
    "webp",
    "svg",
    "heic",
    "mb",
    "kb",
    "gb",
    "id",
    "td",
    "json",
    "rss",
    "atom",
    "html",
    "ical",
    "ics",
    "oembed",
    "iframe",
    "utf",
    "gbk",
    "gb18030",
    "excel",
    "wps",
    "wechat",
    "http",
    "https",
    "ip",
    "ipv4",
    "ipv6",
    "cdn",
    "redis",
    "celery",
    "app",
    "ai",
    "ok",
    "tsv",
    "zip",
    "xx",
    # Names of methods and people the statistics pages cite, and an HTTP header and method.
    "wilson",
    "newcombe",
    "moodle",
    "cronbach",
    "referer",
    "head",
}
STRIP = [
    re.compile(r"[a-z]+://\S+"),  # addresses shown as examples or values
    re.compile(r"\S+@\S+\.\w+"),  # e-mail addresses
    re.compile(r"[\w.-]+\.(?:jpe?g|png|gif|webp|avif|svg|pdf|xlsx|csv|docx?|txt|ics|zip)\b", re.I),
    re.compile(r"\b[a-z_]+\.[a-z_]+\b"),  # model labels such as pages.risknoticepage
    re.compile(r"\b[A-Z][a-z]+/[A-Za-z_]+\b"),  # time zones such as Asia/Shanghai
    re.compile(r"^[a-z0-9_-]+$"),  # a whole value that is an identifier (a slug, a code)
]
WORD = re.compile(r"[A-Za-z]{2,}")
ATTRS = ("title", "placeholder", "aria-label", "alt", "data-w-tooltip-content-value")
VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}


class _Reader(HTMLParser):
    """Collects what a person sees or hears: text outside scripts, styles and hidden
    elements, plus labels read aloud or shown on hover; and the page's admin links."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.texts, self.links = [], []
        self.stack = []  # (tag, hides)
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        hides = tag in ("script", "style") or "hidden" in attrs
        if not self.hidden and not hides:
            self.texts += [attrs[a] for a in ATTRS if attrs.get(a)]
            if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
                self.texts.append(attrs["value"])
        if tag not in VOID:
            self.stack.append((tag, hides))
            self.hidden += hides

    def handle_endtag(self, tag):
        while self.stack:
            open_tag, hides = self.stack.pop()
            self.hidden -= hides
            if open_tag == tag:
                break

    def handle_data(self, data):
        if not self.hidden and data.strip():
            self.texts.append(" ".join(data.split()))


def english_words(text):
    """Return the words of ``text`` that are English and not on the allowed list."""
    for pattern in STRIP:
        text = pattern.sub(" ", text)
    return [w for w in WORD.findall(text) if w.lower() not in ALLOWED]


def _visit(client, start, limit, per_shape):
    """Walk the admin breadth first from ``start``, at most ``per_shape`` pages of one URL
    shape (ids as N) and ``limit`` pages in all. Yields (url, response, html, follow) per page
    fetched (``html`` is "" unless it is an HTML 200); the caller calls ``follow(hrefs)``
    with the admin addresses that page leads to."""
    seen, queue, shapes = set(), [start], defaultdict(int)
    visited = 0

    def follow(hrefs):
        queue.extend(h for h in hrefs if h not in seen)

    while queue and visited < limit:
        url = queue.pop(0)
        shape = re.sub(r"\d+", "N", url.split("?")[0].split("#")[0])
        if url in seen or shapes[shape] >= per_shape:
            continue
        seen.add(url)
        shapes[shape] += 1
        response = client.get(url)
        visited += 1
        html = ""
        if response.status_code == 200 and "html" in response.get("Content-Type", ""):
            html = response.content.decode("utf-8", "replace")
        yield url, response, html, follow


def _admin_hrefs(html, hrefs):
    """Return the admin addresses among ``hrefs`` and the page's menu data, without #parts."""
    menu = re.findall(r'"url": ?"(/admin/[^"]*)"', html.replace("&quot;", '"'))
    found = (href.split("#")[0] for href in list(hrefs) + menu)
    return [h for h in found if h.startswith("/admin/") and not SKIP.search(h)]


def walk(client, start="/admin/", limit=400, per_shape=2):
    """Return ({text: {url, …}} of English met, [(url, status)] of errors, pages visited)."""
    found, errors, visited = defaultdict(set), [], 0
    for url, response, html, follow in _visit(client, start, limit, per_shape):
        visited += 1
        if response.status_code >= 500:
            errors.append((url, response.status_code))
        if not html:
            continue
        reader = _Reader()
        reader.feed(html)
        for text in reader.texts:
            if english_words(text):
                found[text[:120]].add(url)
        follow(_admin_hrefs(html, reader.links))
    return found, errors, visited


# -- every target a person could click, and what they reach ----------------------------------
# Attributes that hold where a click leads: links, buttons, forms. (A dialog's data-url is
# not one: only its toggle button, shown by permission, opens it.)
TARGET_ATTRS = ("href", "formaction", "action")
# Attributes through which a browser fetches something by itself, without a click.
FETCH_ATTRS = ("src", "srcset", "poster", "data", "background")
# Wagtail says "对不起， 你没有权限访问。"; the project's views say "您没有进行此操作的权限。" and alike.
DENIED = re.compile(r"没有[^。<>]{0,12}权限")


class _Targets(HTMLParser):
    """Collects every admin address a click leads to (links, buttons, forms, hidden dropdown
    items included: a click opens them) and every address the browser would fetch
    by itself (scripts, images, styles, frames)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.targets, self.fetched = [], []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if not value:
                continue
            if name in TARGET_ATTRS and tag in ("a", "button", "form", "input"):
                self.targets.append(value)
            if name in FETCH_ATTRS or (tag == "link" and name == "href"):
                self.fetched += [part.strip().split(" ")[0] for part in value.split(",")]
            if name == "style":
                self.fetched += re.findall(r"url\(\s*['\"]?([^'\")]+)", value)


def crawl(client, start="/admin/", limit=400, per_shape=2):
    """Walk the admin like ``walk``; return (targets, fetched, visited): ``targets`` maps each
    admin address a page leads to onto the pages showing it, ``fetched`` maps every address a
    page makes the browser fetch (scripts, images, styles; inline CSS too) onto those pages."""
    targets, fetched, visited = defaultdict(set), defaultdict(set), 0
    for url, _response, html, follow in _visit(client, start, limit, per_shape):
        visited += 1
        if not html:
            continue
        reader = _Targets()
        reader.feed(html)
        for found in re.findall(r"url\(\s*['\"]?([^'\")]+)", _inline_styles(html)):
            fetched[found].add(url)
        for src in reader.fetched:
            fetched[src].add(url)
        hrefs = _admin_hrefs(html, reader.targets)
        for href in hrefs:
            targets[href].add(url)
        follow(hrefs)
    return targets, fetched, visited


def _inline_styles(html):
    return " ".join(re.findall(r"<style[^>]*>(.*?)</style>", html, re.S | re.I))


def denial(client, url):
    """Return why ``url`` turns the signed-in user away (a 403, or Wagtail's redirect to the
    dashboard with its "no permission" message, however many redirects lead there), or ""
    when it does not."""
    response = client.get(url, follow=True)
    if response.status_code == 403:
        return "403"
    hops = [location for location, _status in response.redirect_chain]
    if any("/login/" in hop for hop in hops):
        return "redirect to login"
    if hops:
        text = response.content.decode("utf-8", "replace")
        # Only the message Wagtail shows after turning someone away counts, not a form's own
        # note such as "您没有在…下发布页面的权限". Every hop is followed, so the message is
        # read on the page that shows it, never left over for the next address checked.
        shown = re.search(r'data-w-messages-target="container">(.*?)</ul>', text, re.S)
        if shown and DENIED.search(shown.group(1)):
            said = re.sub(r"<[^>]+>|\s+", " ", shown.group(1)).strip()[:120]
            return f"redirect via {' → '.join(hops)} with 没有权限 ({said})"
    return ""
