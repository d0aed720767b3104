"""``/api/lookup/?q=``: the firm lookup (``website.firms.lookup``) for partners, as JSON.

Same habits as the rest of the API: GET only (the CORS middleware answers anything else),
any origin may read, every parameter checked first and anything wrong a 400 with a Chinese
``{"message": …}``; rate-limited per client like the lookup page (429 with Retry-After).
"""

from django.http import JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail.api.utils import get_full_url

from website.api import params
from website.api.caching import api_answer
from website.api.errors import ApiError
from website.firms import throttle
from website.firms.lookup import MAX_QUERY, lookup

ALLOWED = frozenset(["q", "format", "_"])


def _json(data, status=200):
    return JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})


def _date(value):
    return value.isoformat() if value else None


def match_data(match):
    """Return one Match as the endpoint shows it."""
    e = match.entity
    return {
        "name": e.name,
        "matched": match.matched,
        "matched_as": match.how,
        "exact": match.exact,
        "credit_code": e.credit_code or None,
        "list": e.kind.name,
        "role": e.kind.role,
        "status": e.status,
        "status_label": e.get_status_display(),
        "reason": e.reason,
        "source": e.source,
        "source_url": e.source_url or None,
        "source_date": _date(e.source_date),
        "lifted_on": _date(e.lifted_on),
        "region": e.region.name if e.region_id else None,
    }


def check_query(request):
    """Return the ``q`` parameter of ``request``; raises ApiError when it is missing, empty,
    too long, repeated or joined by parameters this endpoint does not take."""
    query = params.read_query(request)
    unknown = sorted(set(query) - ALLOWED)
    if unknown:
        raise ApiError(
            _("不支持的参数：%(names)s。只接受 q（要查的名称或统一社会信用代码）。")
            % {"names": "、".join(params.shown(n) for n in unknown[:5])}
        )
    if "format" in query:
        params.check_choice("format", query["format"], ("json",))
    q = query.get("q", "").strip()
    if not q:
        raise ApiError(_("缺少参数 q：要查的机构名称、简称或统一社会信用代码。"))
    if len(q) > MAX_QUERY:
        raise ApiError(_("参数 q 太长（最多 %(max)d 个字符）。") % {"max": MAX_QUERY})
    return q


@api_answer("content")
def firms_lookup(request):
    """Return the lookup's answer for ``?q=``: the matches (warnings first), whether there
    are more than shown, and what to tell people when nothing is found."""
    try:
        q = check_query(request)
    except ApiError as exc:
        return _json({"message": str(exc.args[0]) if exc.args else str(exc)}, 400)
    verdict = throttle.check(request, scope="api-lookup")
    if not verdict.allowed:
        response = _json({"message": _("请求太频繁，请稍后再试。")}, 429)
        response["Retry-After"] = str(verdict.retry_after)
        # This client's budget, not the answer to the question: no cache may keep it.
        response["Cache-Control"] = "private, no-store"
        return response
    result = lookup(q)
    if result.problem == "short":
        return _json({"message": _("参数 q 至少要有两个字（不算标点、空格和“有限公司”）。")}, 400)
    page = get_full_url(request, reverse("firms:lookup"))
    return _json(
        {
            "query": result.query,
            "found": bool(result.matches),
            "warning": bool(result.warnings),
            "licensed": bool(result.licensed),
            "more": result.more,
            "code_check_failed": result.problem == "bad_code",
            "results": [match_data(m) for m in result.matches],
            "notice": _(
                "没查到不等于安全：名单只收录已经发现的机构。持牌也不等于产品安全，"
                "联系方式要与官方公布的一致。"
            ),
            "lookup_page": page,
        }
    )
