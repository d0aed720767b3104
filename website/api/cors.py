"""CORS for the read-only API: any origin may read, nobody may write (the red-flag check,
``POST_PATHS``, takes a POSTed text but stores nothing, so it is open like a read).

The API serves only public content to anonymous visitors, so ``*`` is safe and no
credentials are ever allowed. Nothing here depends on the request's origin, so answers
from the page cache are right for every origin without a ``Vary: Origin``.
"""

from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _

from website.core.conditional import EXPOSED_HEADERS

API_PREFIX = "/api/"
READ_METHODS = ("GET", "HEAD")
ALLOWED_METHODS = "GET, HEAD, OPTIONS"
# Headers a cross-origin page may send: content negotiation and conditional requests.
ALLOWED_HEADERS = "Accept, Accept-Language, Content-Language, If-Modified-Since, If-None-Match"
PREFLIGHT_MAX_AGE = str(24 * 3600)
# Endpoints that read a POSTed text, answer and store nothing (the red-flag checker): a POST
# there writes nothing, so it is as open as the reads. The JSON body needs Content-Type.
POST_PATHS = ("/api/check/",)
POST_METHODS = "POST, OPTIONS"
POST_HEADERS = ALLOWED_HEADERS + ", Content-Type"


class ReadOnlyCorsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        if request.path in POST_PATHS:
            if request.method == "OPTIONS":
                response = preflight(POST_METHODS, POST_HEADERS)
            else:
                response = self.get_response(request)
        elif request.method in READ_METHODS:
            response = self.get_response(request)
        else:
            response = preflight() if request.method == "OPTIONS" else refusal()
            response["Allow"] = ALLOWED_METHODS
        response["Access-Control-Allow-Origin"] = "*"
        # Scripts revalidating with If-None-Match need to read the ETag.
        response["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
        return response


def preflight(methods=ALLOWED_METHODS, headers=ALLOWED_HEADERS):
    """Return the answer to an OPTIONS request: ``methods`` allowed, cacheable for a day."""
    response = HttpResponse(status=204)
    del response["Content-Type"]
    response["Access-Control-Allow-Methods"] = methods
    response["Access-Control-Allow-Headers"] = headers
    response["Access-Control-Max-Age"] = PREFLIGHT_MAX_AGE
    return response


def refusal():
    """Return the 405 for any method that would write."""
    return JsonResponse(
        {"message": _("接口只读：只接受 GET、HEAD 和 OPTIONS 请求。")},
        status=405,
        json_dumps_params={"ensure_ascii": False},
    )
