"""Public SMS views: sign-up, verification, unsubscribe (the gateway's webhooks are in
``webhooks``).

Sign-up is double opt-in in three steps that work without JavaScript: the form asks for a
code, the verify page checks it, the done page says so. Between the steps the number lives in
the server-side session, never in the page, so a bot cannot swap it for another one. The
answers never depend on whether a number or an unsubscribe token is known.
"""

import logging
import time

from django.conf import settings
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from campaigns.models import Subscriber
from campaigns.phone import mask
from campaigns.sms import challenge, subscriptions
from campaigns.sms import text as sms_text
from campaigns.sms.forms import SubscribeForm, VerifyForm, consent_text
from website.core import limits

logger = logging.getLogger(__name__)

SESSION_KEY = "campaigns_sms_signup"


def _office_name(request):
    from website.core.models import ReportingSettings

    try:
        return ReportingSettings.load(request_or_site=request).office_name
    except Exception:  # no Site configured yet: the model's default name
        return ReportingSettings._meta.get_field("office_name").default


# -- sign-up ------------------------------------------------------------------------------------
def _human(request, form):
    """Return (passed, wrong): whether the session passed the human check, counting the answer
    the form carried, and whether that answer was wrong."""
    if challenge.passed(request):
        return True, False
    typed = form.cleaned_data.get("human_answer")
    if not typed:
        return False, False
    passed = challenge.answer(request, typed)
    return passed, not passed


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def subscribe(request):
    text = consent_text(_office_name(request))
    refusal = None
    status = 200
    if request.method == "POST":
        form = SubscribeForm(request.POST, consent_text=text)
        if form.is_valid():
            phone = form.cleaned_data["phone"]
            choices = subscriptions.Choices(
                region_id=form.cleaned_data["region"],
                audience_ids=form.cleaned_data["audiences"],
                consent_text=text,
                source=request.build_absolute_uri(),
            )
            human, wrong = _human(request, form)
            refusal = subscriptions.request_code(
                phone,
                choices,
                limits.client_ip(request),
                session=limits.session_key(request),
                human=human,
            )
            if refusal is None:
                request.session[SESSION_KEY] = {"phone": phone, "at": int(time.time())}
                return redirect("campaigns:verify")
            if refusal.kind == "challenge":
                form.ask_human(challenge.question(request))
                message = _("答案不对，请再算一算（可以填数字）。") if wrong else refusal.message
                form.add_error("human_answer", message)
                status = 400 if wrong else 200
                refusal = None
            else:
                form.add_error(None, refusal.message)
                status = 429
    else:
        form = SubscribeForm(consent_text=text)
    response = render(request, "campaigns/sms/public/subscribe.html", {"form": form}, status=status)
    if refusal:
        response["Retry-After"] = str(max(1, refusal.retry_after))
    return response


def _pending_phone(request):
    pending = request.session.get(SESSION_KEY)
    if not isinstance(pending, dict) or not isinstance(pending.get("phone"), str):
        return None
    if time.time() - pending.get("at", 0) > settings.SMS_CODE_TTL_SECONDS + 300:
        return None
    return pending["phone"]


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def verify(request):
    phone = _pending_phone(request)
    if phone is None:
        return render(request, "campaigns/sms/public/verify_missing.html")
    if request.method == "POST":
        form = VerifyForm(request.POST)
        if form.is_valid():
            outcome = subscriptions.confirm_code(
                phone, form.cleaned_data["code"], limits.client_ip(request)
            )
            if outcome.ok:
                request.session.pop(SESSION_KEY, None)
                return redirect("campaigns:done")
            form.add_error("code", outcome.message)
    else:
        form = VerifyForm()
    return render(
        request,
        "campaigns/sms/public/verify.html",
        {"form": form, "masked_phone": mask(phone)},
    )


@never_cache
@require_http_methods(["GET", "HEAD"])
def done(request):
    return render(request, "campaigns/sms/public/done.html", {"signature": sms_text.signature()})


# -- unsubscribe by link ------------------------------------------------------------------------
# Unsubscribe POSTs one address may make in an hour. A guesser needs very many; a family or a
# village meeting on one carrier address needs a few, and "回复TD退订" is never limited.
UNSUBSCRIBE_HOURLY_PER_IP = 30


def _unsubscribe_verdict(request):
    """Count one unsubscribe POST from the client's network; return a limits.Verdict
    (refused once the hourly budget is spent)."""
    per_ip = getattr(settings, "SMS_UNSUBSCRIBE_HOURLY_PER_IP", UNSUBSCRIBE_HOURLY_PER_IP)
    try:
        return limits.hit("sms-unsubscribe", limits.client_address(request), (per_ip, 3600))
    except limits.CacheUnavailable:
        return limits.ALLOWED  # leaving must never depend on Redis


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    """GET asks (link scanners and prefetchers only GET); POST unsubscribes at once.

    The pages are the same whether or not the token exists, so tokens cannot be probed;
    POSTs are counted per address before the token is looked up, and past the hourly budget
    the answer is 429 whether or not the token exists.
    """
    if request.method == "POST":
        verdict = _unsubscribe_verdict(request)
        if not verdict.allowed:
            minutes_left = max(1, -(-verdict.retry_after // 60))
            response = render(
                request,
                "campaigns/sms/public/unsubscribe_limited.html",
                {"token": token, "minutes": minutes_left},
                status=429,
            )
            response["Retry-After"] = str(minutes_left * 60)
            return response
        subscriber = Subscriber.objects.filter(unsubscribe_token=token).first()
        if subscriber is not None and subscriber.unsubscribe(via="link"):
            logger.info("subscriber %s unsubscribed by link", subscriber.masked_phone)
        return render(request, "campaigns/sms/public/unsubscribe_done.html")
    return render(request, "campaigns/sms/public/unsubscribe_confirm.html", {"token": token})
