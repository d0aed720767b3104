"""Links in a blast: every address of ours in the text, and the attached page, go out as a
short link on the site's own domain (``/s/<code>``, website.shortlinks), labelled
("blast", <blast id>) so that clicks are counted per blast and never per person.

A percent-encoded Chinese address costs several SMS parts and looks like phishing; a short
code costs ``len(placeholder_url())`` characters whatever the page is called. Addresses of
other sites cannot be shortened (short links only lead to our own pages) and are refused when
the blast is saved.
"""

import re
from urllib.parse import urlsplit

from wagtail.models import Site

from website.core.site_address import public_hostname
from website.shortlinks.models import ShortLink
from website.shortlinks.service import is_valid_code, link_for, placeholder_url, short_url

KIND = "blast"
# An address runs until a space or a character no phone would keep in a link (Chinese
# punctuation above all: staff end sentences right after a link).
URL_RE = re.compile(r"https?://[^\s<>\"'“”‘’，。；：！？、（）()【】《》]+", re.IGNORECASE)
# Not part of an address at its end: a sentence's full stop or comma typed in ASCII.
TRAILING = ".,;:!?"


def _own_hosts():
    hosts = {public_hostname()}
    hosts.update(h.lower() for h in Site.objects.values_list("hostname", flat=True))
    return hosts - {""}


def addresses(body):
    """Return every http(s) address in ``body``, in order, trailing ASCII punctuation off."""
    return [match.group(0).rstrip(TRAILING) for match in URL_RE.finditer(body or "")]


def own_path(url, hosts=None):
    """Return the path (with query) ``url`` leads to on this site, or None for another site."""
    parts = urlsplit(url)
    if (parts.hostname or "").lower() not in (hosts if hosts is not None else _own_hosts()):
        return None
    path = parts.path or "/"
    return f"{path}?{parts.query}" if parts.query else path


def foreign_addresses(body):
    """Return the addresses in ``body`` that lead to other sites (they cannot be shortened)."""
    hosts = _own_hosts()
    return [url for url in addresses(body) if own_path(url, hosts) is None]


def too_long(path):
    """Return True when ``path`` is longer than a short link can lead to."""
    return len(path) > ShortLink._meta.get_field("target_path").max_length


def _is_short(path):
    return path.startswith("/s/") and is_valid_code(path[3:].strip("/").lower())


def page_path(page):
    """Return the path of ``page`` on its site, or None when it has no public address."""
    parts = page.specific.get_url_parts() if page else None
    return parts[2] if parts else None


def _short(path, ref):
    if _is_short(path):
        return None  # already one of ours (an event's or a campaign's): leave its count alone
    if ref is None:
        return placeholder_url()
    return short_url(link_for(path, kind=KIND, ref=ref))


def shorten(body, link_page=None, ref=None):
    """Return (body as sent, attached link as sent) for a blast.

    With ``ref`` (the blast's id) each address of ours becomes its short link, made the first
    time (``link_for`` is idempotent: the same blast and page always give the same code).
    Without it, as for a blast not saved yet, each becomes a placeholder of exactly the same
    length, so what it costs is already right. Other sites' addresses are left as they are.
    """
    hosts = _own_hosts()

    def replace(match):
        url = match.group(0)
        kept = url.rstrip(TRAILING)
        path = own_path(kept, hosts)
        if path is None:
            return url
        return (_short(path, ref) or kept) + url[len(kept) :]

    sent_body = URL_RE.sub(replace, (body or "").strip())
    link = ""
    path = page_path(link_page) if link_page else None
    if path:
        link = _short(path, ref) or ""
    return sent_body, link
