"""Who may frame our pages: partners may frame /embed/, nobody may frame anything else.

Browsers obey CSP ``frame-ancestors`` over ``X-Frame-Options``, and only the former can
name several origins, so every response gets one: mirrored from X-Frame-Options (DENY for
the site, SAMEORIGIN for Wagtail's preview panes) unless the view set its own, as the
embed views do.
"""

from django.conf import settings

MIRRORED = {"DENY": "frame-ancestors 'none'", "SAMEORIGIN": "frame-ancestors 'self'"}


def embed_frame_ancestors():
    """Return the frame-ancestors source list for embeds (``*`` = any web page)."""
    return " ".join(settings.EMBED_FRAME_ANCESTORS) or "'none'"


def _add_directive(response, directive):
    existing = response.get("Content-Security-Policy", "").strip().rstrip(";")
    response["Content-Security-Policy"] = f"{existing}; {directive}" if existing else directive


class FrameAncestorsMiddleware:
    """Must sit just before (outside) Django's XFrameOptionsMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "frame-ancestors" in response.get("Content-Security-Policy", ""):
            return response
        directive = MIRRORED.get(response.get("X-Frame-Options", "").upper())
        if directive:
            _add_directive(response, directive)
        return response
