"""gzip for pages, feeds and JSON, except where compression could leak a secret (BREACH).

BREACH recovers a secret from a compressed response's length when the same body also
reflects text an attacker chose (a search term, a filter value). So a response is sent
uncompressed when it carries a secret: a CSRF token (any page with a form: the token is
rendered into it), or anything for a signed-in user (the admin, personal data). Public
pages without forms, feeds and the API carry none, and those are the bulk of the bytes.
Cached anonymous pages are cached without tokens (``website.core.cache``), so every cache
hit may be compressed: the page cache keeps a compressed copy for browsers that take gzip
(``compress`` as it stores it), so a hit is not compressed again each time.

Static files are served (pre-compressed in production) by WhiteNoise before this runs;
streamed files (documents, media) and types that do not shrink are left alone.
"""

from django.middleware.gzip import GZipMiddleware, re_accepts_gzip

COMPRESSIBLE_TYPES = (
    "text/",
    "application/json",
    "application/xml",
    "application/rss+xml",
    "application/atom+xml",
    "application/javascript",
    "application/ld+json",
    "application/vnd.oai.openapi+json",
    "image/svg+xml",
)


def carries_secret(request):
    """Return whether the response to ``request`` may hold a secret worth guessing."""
    # get_token() sets this whenever a page asks for the CSRF token (Django 4.1 and later).
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return True
    user = getattr(request, "user", None)
    # request.user is lazy: reading is_authenticated loads it only when something set it up.
    return user is not None and user.is_authenticated


class SafeGZipMiddleware(GZipMiddleware):
    """Django's GZipMiddleware (with its random-length filler against length attacks),
    applied only to text types and never to responses carrying secrets."""

    def process_response(self, request, response):
        if response.streaming or response.has_header("Content-Encoding"):
            return response
        content_type = response.get("Content-Type", "").lower()
        if not content_type.startswith(COMPRESSIBLE_TYPES):
            return response
        if carries_secret(request):
            return response
        return super().process_response(request, response)


# Used outside the middleware chain (by the page cache), so it never calls on.
_compressor = SafeGZipMiddleware(get_response=lambda request: None)


def accepts_gzip(request):
    """Return whether the client said it takes gzip (as Django's GZipMiddleware reads it)."""
    return bool(re_accepts_gzip.search(request.META.get("HTTP_ACCEPT_ENCODING", "")))


def compress(request, response):
    """Return ``response`` as ``SafeGZipMiddleware`` would send it to ``request``: compressed
    where it may and the client takes gzip; it then passes the middleware untouched."""
    return _compressor.process_response(request, response)
