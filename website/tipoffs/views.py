"""Public tip-off views: the form (with its prefill contract), the receipt, the phone
confirmation and the status page. All work without JavaScript.

Prefill contract (other pages link here; keep it exactly):
- GET ``/report/?pretext=<tag slug>&page=<page id>`` pre-fills the pretext and "about this page";
- POST ``/report/`` with ``handover=1`` and ``pitch=<text>`` (CSRF-protected, from the red-flag
  checker) shows the empty form with the pitch filled in and saves nothing.
Unknown or junk values are ignored.
"""

import logging
import time

from django.conf import settings
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from taggit.models import Tag
from wagtail.models import Page

from campaigns.phone import mask
from campaigns.sms import challenge, subscriptions
from campaigns.sms import text as sms_text
from website.core import limits
from website.core.params import clean_param
from website.tipoffs import services
from website.tipoffs.forms import PhoneCodeForm, ReportForm, StatusForm, clean_text
from website.tipoffs.models import Report

logger = logging.getLogger(__name__)

RECEIPT_KEY = "tipoffs_receipt"
CONFIRM_KEY = "tipoffs_confirm"
PURPOSE = "tipoff"
PITCH_MAX = 5000

#: Per-client limits (requests, seconds); settings.TIPOFF_RATES overrides any of them. A
#: village meeting shares one carrier address, so the network ceiling is generous and the
#: person (browser session) is counted first.
RATES = {
    "submit-session": (5, 3600),
    "submit-phone": (5, 86400),
    "submit-ip": (30, 3600),
    "post-ip": (120, 3600),
    "status-session": (20, 3600),
    "status-ip": (120, 3600),
}


def rate(name):
    return getattr(settings, "TIPOFF_RATES", {}).get(name, RATES[name])


def _verdict(request, kinds, phone=""):
    """Count one request under each of ``kinds`` ("<what>-ip", "<what>-session" or
    "<what>-phone", the latter only when ``phone`` is given); return the worst Verdict. A cache
    outage lets the request through: nothing is sent to anyone."""
    verdicts = []
    try:
        for kind in kinds:
            if kind.endswith("-phone"):
                if not phone:
                    continue
                ident = phone
            elif kind.endswith("-session"):
                ident = limits.session_key(request)
                if not ident:
                    continue
            else:
                ident = limits.client_address(request)
            verdicts.append(limits.hit(f"tipoff-{kind}", ident, rate(kind)))
    except limits.CacheUnavailable:
        logger.warning("tip-off limits skipped: the shared cache is unreachable")
        return limits.ALLOWED
    return limits.worst(verdicts)


def _refused(request, template, context, verdict):
    minutes = max(1, -(-verdict.retry_after // 60))
    context["limited_minutes"] = minutes
    response = render(request, template, context, status=429)
    response["Retry-After"] = str(verdict.retry_after)
    return response


def _pretext(slug):
    if not isinstance(slug, str) or len(slug) > 100:
        return None
    slug = clean_param(slug, 100)  # NUL and other control characters: PostgreSQL refuses them
    return Tag.objects.filter(slug=slug).first() if slug else None


def _page(value):
    try:
        pk = int(str(value))
    except (TypeError, ValueError):
        return None
    if not 0 < pk < 2**31:
        return None
    return Page.objects.live().public().filter(pk=pk).specific().first()


def _form_page(request, context, status=200):
    context.setdefault("retention_days", settings.TIPOFF_IDENTITY_RETENTION_DAYS)
    return render(request, "tipoffs/new.html", context, status=status)


def _ensure_session(request):
    # The per-person budget keys on the session, so the form page gives every browser one.
    if not request.session.session_key:
        request.session["tipoffs_seen"] = int(time.time())


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def new(request):
    about = None
    if request.method == "POST" and request.POST.get("handover") == "1":
        # The red-flag checker hands its text over: show the form, save nothing.
        pitch = clean_text(str(request.POST.get("pitch", "")))[:PITCH_MAX]
        form = ReportForm(initial={"pitch": pitch, "anonymous": "1"})
        _ensure_session(request)
        return _form_page(request, {"form": form, "about": None})
    if request.method == "POST":
        verdict = _verdict(request, ["post-ip"])
        form = ReportForm(request.POST, request.FILES)
        about = _page(request.POST.get("page"))
        if not verdict.allowed:
            return _refused(request, "tipoffs/new.html", {"form": form, "about": about}, verdict)
        if form.is_valid():
            phone = form.cleaned_data.get("phone", "")
            verdict = _verdict(request, ["submit-session", "submit-phone", "submit-ip"], phone)
            if not verdict.allowed:
                context = {"form": form, "about": about}
                return _refused(request, "tipoffs/new.html", context, verdict)
            data = form.cleaned_data
            report, secret = services.submit(
                data, about_page=about, pretext=_pretext(data.get("pretext"))
            )
            request.session[RECEIPT_KEY] = {"ref": report.reference, "secret": secret}
            if data.get("phone"):
                request.session[CONFIRM_KEY] = {"report": report.pk, "at": int(time.time())}
            else:
                request.session.pop(CONFIRM_KEY, None)
            return redirect("tipoffs:done")
        return _form_page(request, {"form": form, "about": about}, status=400)
    initial = {"anonymous": "1"}
    pretext = _pretext(request.GET.get("pretext"))
    if pretext:
        initial["pretext"] = pretext.slug
    about = _page(request.GET.get("page"))
    if about:
        initial["page"] = about.pk
    _ensure_session(request)
    return _form_page(request, {"form": ReportForm(initial=initial), "about": about})


def _pending_report(request):
    pending = request.session.get(CONFIRM_KEY)
    if not isinstance(pending, dict) or not isinstance(pending.get("report"), int):
        return None
    if time.time() - pending.get("at", 0) > 3600:
        return None
    return Report.objects.filter(pk=pending["report"], phone_confirmed=False).first()


def _code_text(code):
    minutes = settings.SMS_CODE_TTL_SECONDS // 60
    return f"{sms_text.signature()}" + _(
        "您的验证码是 %(code)s，%(minutes)s 分钟内有效，用于确认您举报时留下的手机号，"
        "以后只用来告诉您办理进度。如非本人操作，请忽略本短信。"
    ) % {"code": code, "minutes": minutes}


@never_cache
@require_http_methods(["GET", "HEAD"])
def done(request):
    """The receipt: reference and secret, shown once, then the phone confirmation if any."""
    receipt = request.session.pop(RECEIPT_KEY, None)
    report = _pending_report(request)
    phone = services.identity_of(report).get("phone") if report else ""
    return render(
        request,
        "tipoffs/done.html",
        {
            "receipt": receipt if isinstance(receipt, dict) else None,
            "masked_phone": mask(phone) if phone else "",
            "code_form": PhoneCodeForm() if phone else None,
        },
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def confirm_phone(request):
    """Send the code (action=send) or check it (action=verify) for the report just made."""
    report = _pending_report(request)
    phone = services.identity_of(report).get("phone") if report else ""
    if not phone:
        return render(request, "tipoffs/phone_missing.html")
    form = PhoneCodeForm(request.POST or None)
    context = {"code_form": form, "masked_phone": mask(phone), "sent": False}
    status = 200
    if request.method == "POST" and form.is_valid():
        action = request.POST.get("action")
        if action == "send":
            human = challenge.passed(request)
            typed = form.cleaned_data.get("human_answer")
            if not human and typed:
                human = challenge.answer(request, typed)
            refusal = subscriptions.send_code(
                phone,
                limits.client_ip(request),
                session=limits.session_key(request),
                human=human,
                payload={"purpose": PURPOSE},
                text=_code_text,
            )
            if refusal is None:
                context["sent"] = True
            elif refusal.kind == "challenge":
                context["question"] = challenge.question(request)
                form.add_error("human_answer", refusal.message)
            else:
                form.add_error(None, refusal.message)
                status = 429
        elif action == "verify":
            outcome = subscriptions.use_code(
                phone,
                form.cleaned_data.get("code", ""),
                purpose=PURPOSE,
                then=lambda record, at: Report.objects.filter(pk=report.pk).update(
                    phone_confirmed=True
                ),
            )
            if outcome.ok:
                request.session.pop(CONFIRM_KEY, None)
                return render(request, "tipoffs/phone_done.html")
            context["sent"] = True
            form.add_error("code", outcome.message)
            status = 400
    return render(request, "tipoffs/phone.html", context, status=status)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def status(request):
    """Ask reference and secret; show only the public status and its date.

    A wrong reference and a wrong secret get the same answer, and every check is counted per
    browser and per network first, so reports cannot be enumerated.
    """
    found = None
    if request.method == "POST":
        form = StatusForm(request.POST)
        verdict = _verdict(request, ["status-session", "status-ip"])
        if not verdict.allowed:
            return _refused(request, "tipoffs/status.html", {"form": form}, verdict)
        if form.is_valid():
            found = services.lookup(form.cleaned_data["reference"], form.cleaned_data["secret"])
            if found is None:
                form.add_error(None, _("没有找到：举报编号或查询密码不对，请核对后再试。"))
    else:
        form = StatusForm()
    return render(
        request,
        "tipoffs/status.html",
        {"form": form, "found": found},
        status=400 if form.errors else 200,
    )
