"""CORS for the read-only API: any origin may read, nobody may write.

The API serves only public content to anonymous visitors, so ``*`` is safe and no
credentials are ever allowed. Nothing here depends on the request's origin, so answers
from the page cache are right for every origin without a ``Vary: Origin``.
"""

from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _

API_PREFIX = "/api/"
READ_METHODS = ("GET", "HEAD")
ALLOWED_METHODS = "GET, HEAD, OPTIONS"
# Headers a cross-origin page may send: content negotiation and conditional requests.
ALLOWED_HEADERS = "Accept, Accept-Language, Content-Language, If-Modified-Since, If-None-Match"
PREFLIGHT_MAX_AGE = str(24 * 3600)


class ReadOnlyCorsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        if request.method in READ_METHODS:
            response = self.get_response(request)
        else:
            response = preflight() if request.method == "OPTIONS" else refusal()
            response["Allow"] = ALLOWED_METHODS
        response["Access-Control-Allow-Origin"] = "*"
        return response


def preflight():
    """Return the answer to an OPTIONS request: reads allowed, cacheable for a day."""
    response = HttpResponse(status=204)
    del response["Content-Type"]
    response["Access-Control-Allow-Methods"] = ALLOWED_METHODS
    response["Access-Control-Allow-Headers"] = ALLOWED_HEADERS
    response["Access-Control-Max-Age"] = PREFLIGHT_MAX_AGE
    return response


def refusal():
    """Return the 405 for any method that would write."""
    return JsonResponse(
        {"message": _("接口只读：只接受 GET、HEAD 和 OPTIONS 请求。")},
        status=405,
        json_dumps_params={"ensure_ascii": False},
    )
