"""``/s/<code>``: count the visit and send the visitor on at once."""

from django.http import Http404, HttpResponseRedirect
from django.views.decorators.http import require_safe

from website.shortlinks.service import record_visit, target_of


@require_safe
def follow(request, code):
    """Redirect (302) to the link's page, counting a GET; 404 for any code we did not issue.

    A HEAD (link-preview robots in chat apps send them) is answered but not counted. The
    answer is never stored by our page cache, a CDN or the browser, so every scan reaches
    us and is counted.
    """
    code = code[:64]
    target = record_visit(code) if request.method == "GET" else target_of(code)
    if target is None:
        raise Http404
    response = HttpResponseRedirect(target)
    response["Cache-Control"] = "no-store, private"
    return response
