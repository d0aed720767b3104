"""The public checker page (/check/) and its JSON twin (/api/check/).

The pasted text is never stored or logged: it goes through the engine and into this one
response, nothing else. Both views are marked sensitive so error reports leave the text out,
the page is never cached (its answer is one visitor's text), and nothing keyed or valued by
the text is written to the cache (the rate limit counts the address only).
"""

import json
import logging

from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_http_methods

from website.core import limits
from website.redflags import service
from website.redflags.forms import MAX_CHARS, CheckForm

logger = logging.getLogger(__name__)

PAGE_RATE = limits.Rate(60, 600)
API_RATE = limits.Rate(30, 60)


def _allowed(scope, request, rate):
    """Return the Verdict of one more check from this address (allowed if the cache is down:
    a check stores nothing and sends nothing, so it is safe to keep answering)."""
    try:
        return limits.hit(scope, limits.client_address(request), rate)
    except limits.CacheUnavailable:
        logger.warning("red-flag checker limit skipped: the shared cache is unreachable")
        return limits.ALLOWED


@never_cache
@sensitive_post_parameters("text")
@sensitive_variables("text")
@require_http_methods(["GET", "HEAD", "POST"])
def check(request):
    context = {"max_chars": MAX_CHARS, "safety_note": service.SAFETY_NOTE}
    status = 200
    if request.method == "POST":
        form = CheckForm(request.POST)
        verdict = _allowed("redflags-page", request, PAGE_RATE)
        if not verdict.allowed:
            context["limited"] = verdict.retry_after
            status = 429
        elif form.is_valid():
            text = form.cleaned_data["text"]
            report = service.run(text)
            methods = service.method_descriptions()
            indexes = service.index_urls()
            context.update(
                report=report,
                by_feature=[
                    (key, label, service.FEATURE_PLAIN[key], flags, _explained(flags))
                    for key, label, flags in report.by_feature()
                ],
                by_method=[
                    (name, methods.get(name, ""), _phrases(flags))
                    for name, flags in report.by_method()
                ],
                related=service.related_pages(report, indexes),
                firms=service.firms_found(text),
                threshold_note=service.threshold_note(),
                indexes=indexes,
            )
        else:
            status = 400
    else:
        form = CheckForm()
    context["form"] = form
    return render(request, "redflags/check.html", context, status=status)


def _explained(flags):
    """Return [(distinct phrases, explanation)], one per rule in first-seen order, so each
    explanation is said once (a rate's explanation names its own figure, so each rate is
    its own entry)."""
    groups = {}
    for flag in flags:
        key = flag.explanation if flag.rule == "rate" else flag.rule
        phrases, _explanation = groups.setdefault(key, ([], flag.explanation))
        if flag.phrase not in phrases:
            phrases.append(flag.phrase)
    return list(groups.values())


def _phrases(flags):
    seen = []
    for flag in flags:
        if flag.phrase not in seen:
            seen.append(flag.phrase)
    return seen


def _error(message, status=400, **headers):
    response = JsonResponse(
        {"message": message}, status=status, json_dumps_params={"ensure_ascii": False}
    )
    for name, value in headers.items():
        response[name] = value
    return response


@csrf_exempt  # no cookies are read and nothing is written: a partner's page posts here
@never_cache
@sensitive_post_parameters("text")
@sensitive_variables("text", "payload")
def api_check(request):
    """POST {"text": "…"} (JSON, or a form body) → the red flags in it, as JSON."""
    if request.method != "POST":
        return _error(
            _('请用 POST 提交要检查的文字，例如 {"text": "……"}。'), 405, Allow="POST, OPTIONS"
        )
    verdict = _allowed("redflags-api", request, API_RATE)
    if not verdict.allowed:
        return _error(
            _("请求太频繁，请 %(n)s 秒后再试。") % {"n": verdict.retry_after},
            429,
            **{"Retry-After": str(verdict.retry_after)},
        )
    content_type = request.content_type or ""
    if content_type == "application/json":
        try:
            payload = json.loads(request.body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            return _error(_("请求体不是有效的 JSON（UTF-8）。"))
        if not isinstance(payload, dict):
            return _error(_('请求体应是一个 JSON 对象，例如 {"text": "……"}。'))
        text = payload.get("text")
    elif content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        text = request.POST.get("text")
    else:
        return _error(_("请用 application/json 或表单格式提交。"), 415)
    if not isinstance(text, str) or not text.strip():
        return _error(_("缺少 text：请提交要检查的文字（字符串）。"))
    text = text.replace("\x00", "")
    if len(text) > MAX_CHARS:
        return _error(
            _("text 太长：最多 %(max)s 个字，收到 %(n)s 个字。")
            % {"max": MAX_CHARS, "n": len(text)}
        )
    report = service.run(text)
    return JsonResponse(
        service.as_json(report, service.firms_found(text)),
        json_dumps_params={"ensure_ascii": False},
    )
