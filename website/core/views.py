from django.http import HttpResponse, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET

from website.core.display_mode import ELDER_COOKIE, ELDER_COOKIE_MAX_AGE


def safe_next(request, target, fallback):
    """Return ``target`` (a ``next`` the client sent) when it stays on this site, else
    ``fallback``: no open redirect through our addresses."""
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return fallback
    return target


def _safe_next(request):
    return safe_next(request, request.GET.get("next", "/"), "/")


@require_GET
def set_elder_mode(request, state):
    """Turn elder mode on or off and go back to the page the switch was on.

    A GET link rather than a form: it only sets a display preference, and a link works on
    every phone without JavaScript and keeps public pages free of CSRF tokens (cacheable).
    """
    response = HttpResponseRedirect(_safe_next(request))
    if state == "on":
        response.set_cookie(
            ELDER_COOKIE, "1", max_age=ELDER_COOKIE_MAX_AGE, samesite="Lax", httponly=True
        )
    else:
        response.delete_cookie(ELDER_COOKIE, samesite="Lax")
    response["Cache-Control"] = "no-store"
    return response


ROBOTS = """User-agent: *
Disallow: /admin/
Disallow: /django-admin/
Disallow: /mode/
Disallow: /search/
Sitemap: {sitemap}
"""


@require_GET
def robots_txt(request):
    return HttpResponse(
        ROBOTS.format(sitemap=request.build_absolute_uri("/sitemap.xml")),
        content_type="text/plain; charset=utf-8",
    )
