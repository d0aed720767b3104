"""SMS-bombing defence for verification codes: the policy, on the site's one limiter
(``website.core.limits``).

Anyone can type anyone's number into the sign-up form, so every code we send is a message
to a person who may not have asked for it. Yet many real people share one address (a class on
the school Wi-Fi, a village meeting on one carrier address), so limits key first on the person:
the phone number and the browser session. Before a code is sent, ``check_code_request`` takes,
in this order:

1. pressure: requests from this address in the last hour (SMS_CODE_CHALLENGE_PER_IP), requests
   site-wide in the last ten minutes (SMS_CODE_CHALLENGE_SITE), or a paced budget that had to
   slow someone down: under pressure a request must come with a passed human check
   (``campaigns.sms.challenge``); otherwise nobody meets the check;
2. the address's hourly ceiling (SMS_CODE_HOURLY_PER_IP; an IPv6 client counts per /64),
   generous: it only stops one client flooding;
3. the browser session's hourly budget (SMS_CODE_PER_SESSION);
4. the number's cooldown (SMS_CODE_COOLDOWN_SECONDS): only one request wins;
5. the number's daily budget (SMS_CODE_DAILY_PER_NUMBER);
6. the day's total for everyone (SMS_CODE_DAILY_TOTAL), paced over the day like a token bucket
   that refills steadily: SMS_CODE_BURST codes at once, then total/24 an hour, so a flood slows
   sign-ups down instead of shutting them out until midnight.

A request refused at one step spends nothing further down, so a bot that has used up its own
budgets cannot also use up a victim's daily budget. Limits are per number whether or not the
number is subscribed: the answer never tells whether a number is known. Day counters are keyed
by the local (Asia/Shanghai) date and die after midnight. Staff are told once a day, on the
admin dashboard and, when configured, by e-mail and SMS (``alert_staff``).
"""

import datetime
import logging
import math
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from campaigns.models import StaffAlert
from campaigns.phone import normalize_mobile, phone_key
from website.core import limits, notify

logger = logging.getLogger(__name__)

ALERT_KIND = "sms_code_daily_cap"
PRESSURE_ALERT_KIND = "sms_code_pressure"
REVIEWER_GROUP = "审核员"
PREFIX = "sms-code"
DAY = 86400
# How long the site keeps asking for the human check after its paced budget slowed someone.
PRESSURE_SECONDS = 600

# Defaults for settings a deployment may not define.
DEFAULTS = {
    "SMS_CODE_PER_SESSION": (5, 3600),
    "SMS_CODE_CHALLENGE_PER_IP": (100, 3600),
    "SMS_CODE_CHALLENGE_SITE": (120, 600),
    "SMS_CODE_BURST": 100,
    "STAFF_ALERT_PHONES": (),
}


def setting(name):
    return getattr(settings, name, DEFAULTS.get(name))


@dataclass(frozen=True)
class Refusal:
    """Why a code was not sent: ``kind`` for code and tests, ``message`` for the person."""

    # "challenge" | "ip" | "session" | "cooldown" | "number_daily" | "busy" | "daily_total"
    kind: str
    message: str
    retry_after: int = 0  # seconds, for the Retry-After header


def ip_key(ip):
    """Return a stable, non-reversible key for an IP (consent evidence). Rows written before
    the switch to salted_hmac hold sha256(f"{SECRET_KEY}:ip:{ip}")[:24]; nothing compares
    them, so they stay as they are."""
    return salted_hmac("campaigns.sms.limits.ip_key", ip, algorithm="sha256").hexdigest()[:24]


# -- the day ------------------------------------------------------------------------------------
def _day(now):
    return timezone.localtime(now).strftime("%Y%m%d")


def _seconds_into_day(now):
    local = timezone.localtime(now)
    return (local - local.replace(hour=0, minute=0, second=0, microsecond=0)).total_seconds()


def _seconds_until_midnight(now):
    return max(1, math.ceil(DAY - _seconds_into_day(now)))


def _minutes(seconds):
    return max(1, math.ceil(seconds / 60))


def paced_allowance(now, total):
    """Return how many codes the day's budget allows by ``now``: SMS_CODE_BURST at midnight,
    growing evenly to ``total`` over the day (a token bucket refilling total/day a second)."""
    burst = max(1, setting("SMS_CODE_BURST"))
    return min(total, burst + math.floor(total * _seconds_into_day(now) / DAY))


# -- pressure -----------------------------------------------------------------------------------
def under_pressure(address, now):
    """Count one code request from ``address`` towards the pressure gauges; return True when
    the address or the whole site is busy enough that the human check is asked for."""
    stamp = now.timestamp()
    site = limits.hit(f"{PREFIX}-site", "all", setting("SMS_CODE_CHALLENGE_SITE"), now=stamp)
    nearby = limits.hit(
        f"{PREFIX}-busy-ip", address, setting("SMS_CODE_CHALLENGE_PER_IP"), now=stamp
    )
    paced = limits.once_left(f"{PREFIX}-paced", "site") > 0
    if not site.allowed or paced:
        alert_pressure(now)
    return not (site.allowed and nearby.allowed) or paced


def site_under_pressure():
    """Return True while the paced budget has recently had to slow someone down."""
    return limits.once_left(f"{PREFIX}-paced", "site") > 0


# -- the checks ---------------------------------------------------------------------------------
def check_code_request(phone, ip, now=None, *, session="", human=False):
    """Spend one code request for ``phone`` (E.164) from ``ip``; return None or a Refusal.

    ``session`` is the browser's session key ("" without one); ``human`` says it passed the
    human check. None means a code may be sent now, and the request has been counted
    everywhere. A Refusal means nothing may be sent; kind "challenge" asks for the human check,
    kind "unavailable" says the counters cannot be reached (no code is sent uncounted: each
    one lands on somebody's phone).
    """
    try:
        return _check_code_request(phone, ip, now, session=session, human=human)
    except limits.CacheUnavailable:
        logger.warning("SMS code refused: the shared cache is unreachable")
        return Refusal("unavailable", _("短信服务暂时繁忙，请几分钟后再试。"), retry_after=120)


def _check_code_request(phone, ip, now, *, session, human):
    now = now or timezone.now()
    stamp = now.timestamp()
    address = limits.address_bucket(ip)
    number = phone_key(phone)

    if under_pressure(address, now) and not human:
        return Refusal("challenge", _("为防止有人冒用他人号码，请先回答下面的问题，再获取验证码。"))

    per_ip = (settings.SMS_CODE_HOURLY_PER_IP, 3600)
    message = _("这个网络一小时内获取验证码的次数太多了，请 %(m)s 分钟后再试。")
    refusal = _too_often("ip", address, per_ip, stamp, message)
    if refusal is None and session:
        per_session = setting("SMS_CODE_PER_SESSION")
        message = _("这个浏览器一小时内获取验证码的次数太多了，请 %(m)s 分钟后再试。")
        refusal = _too_often("session", session, per_session, stamp, message)
    if refusal is not None:
        return refusal

    cooldown = settings.SMS_CODE_COOLDOWN_SECONDS
    if cooldown and not limits.once(f"{PREFIX}-cool", number, cooldown):
        left = max(1, math.ceil(limits.once_left(f"{PREFIX}-cool", number)))
        return Refusal(
            "cooldown",
            _("验证码刚刚发过，请 %(s)s 秒后再获取验证码。") % {"s": left},
            retry_after=left,
        )

    day, day_left = _day(now), _seconds_until_midnight(now) + 60
    per_number = settings.SMS_CODE_DAILY_PER_NUMBER
    if per_number:
        allowed, _used = limits.spend(
            limits.key(f"{PREFIX}-num", number, day), per_number, day_left
        )
        if not allowed:
            return Refusal(
                "number_daily",
                _("这个号码今天获取验证码的次数已达上限（%(n)s 次），请明天再试。")
                % {"n": per_number},
                retry_after=day_left,
            )

    total = settings.SMS_CODE_DAILY_TOTAL
    refusal = _spend_daily_total(now, total, day, day_left) if total else None
    if refusal is not None:
        # Nothing is sent: the person may try again when told, with their number's budget whole.
        limits.forget(f"{PREFIX}-cool", number)
        if per_number:
            limits.give_back(limits.key(f"{PREFIX}-num", number, day))
    return refusal


def _too_often(kind, ident, rate, stamp, message):
    """Count a request by ``ident`` against ``rate``; return a Refusal of ``kind`` (``message``
    says in how many minutes, as %(m)s) when it is over, else None."""
    verdict = limits.hit(f"{PREFIX}-{kind}", ident, rate, now=stamp)
    if verdict.allowed:
        return None
    minutes = _minutes(verdict.wait)
    return Refusal(kind, message % {"m": minutes}, retry_after=verdict.retry_after)


def _spend_daily_total(now, total, day, day_left):
    allowance = paced_allowance(now, total)
    allowed, used = limits.spend(limits.key(f"{PREFIX}-total", "all", day), allowance, day_left)
    if used >= total:
        alert_daily_cap_reached(now, total)
    if allowed:
        return None
    if used > total:
        return Refusal(
            "daily_total",
            _("今天的验证码发送量已达上限，请明天再试。需要帮助可拨打页面底部的举报电话。"),
            retry_after=day_left,
        )
    # The budget refills total/DAY a second: this request fits once it has grown to ``used``.
    burst = max(1, setting("SMS_CODE_BURST"))
    wait = max(1, math.ceil((used - burst) * DAY / total - _seconds_into_day(now)))
    limits.once(f"{PREFIX}-paced", "site", PRESSURE_SECONDS)
    alert_pressure(now)
    return Refusal(
        "busy",
        _("现在获取验证码的人很多，请 %(m)s 分钟后再试。") % {"m": _minutes(wait)},
        retry_after=wait,
    )


# -- telling staff ------------------------------------------------------------------------------
def alert_daily_cap_reached(now, total):
    """Tell staff, once a day, that the day's verification-code cap is reached.

    Returns the StaffAlert created, or None when today's alert exists already.
    """
    today = timezone.localtime(now).date()
    message = _(
        "今天（%(day)s）的短信验证码已达每日上限 %(total)s 条，今天不再发送验证码。"
        "如果不是订阅人数真的激增，可能有人在利用订阅页面“短信轰炸”他人，请检查。"
    ) % {"day": today.isoformat(), "total": total}
    return alert_staff(ALERT_KIND, message, now, subject=_("【防非】短信验证码已达每日上限"))


def alert_pressure(now):
    """Tell staff, once a day, that code requests surged and the human check is being asked.

    Returns the StaffAlert created, or None when today's alert exists already.
    """
    today = timezone.localtime(now).date()
    message = _(
        "今天（%(day)s）短信验证码请求异常增多，订阅页面已开始要求人机验证，"
        "验证码发送也已放慢。可能有人在利用订阅页面“短信轰炸”他人，请检查。"
    ) % {"day": today.isoformat()}
    return alert_staff(
        PRESSURE_ALERT_KIND, message, now, subject=_("【防非】短信验证码请求异常增多")
    )


def alert_staff(kind, message, now, subject):
    """Record a StaffAlert of ``kind`` once a day (shown on the admin dashboard) and send it by
    e-mail to reviewers and by SMS to STAFF_ALERT_PHONES where those are configured.

    Returns the StaffAlert created, or None when today's alert of ``kind`` exists already.
    Never raises because e-mail or SMS is not configured or fails.
    """
    if not limits.once(f"{PREFIX}-alerted-{kind}", _day(now), _seconds_until_midnight(now) + 60):
        return None
    today = timezone.localtime(now).date()
    # The cache may have been flushed since the first alert: the database has the last word.
    if StaffAlert.objects.filter(kind=kind, created_at__date=today).exists():
        return None
    alert = StaffAlert.objects.create(kind=kind, message=message, created_at=now)
    logger.warning("staff alert %s: %s", kind, message)
    by_mail, by_sms = notify.split_by_channel(_reviewers())
    _email_reviewers(by_mail, subject, message)
    _text_staff(by_sms, message, alert)
    return alert


def email_configured():
    """Return True when e-mail can reach someone: a non-SMTP backend chosen on purpose
    (console, file, locmem …) or an SMTP host other than Django's default localhost."""
    backend = settings.EMAIL_BACKEND
    return backend != "django.core.mail.backends.smtp.EmailBackend" or (
        settings.EMAIL_HOST not in ("", "localhost")
    )


def _reviewers():
    return get_user_model().objects.filter(groups__name=REVIEWER_GROUP, is_active=True).distinct()


def _email_reviewers(by_mail, subject, message):
    """Mail the alert to reviewers who chose e-mail (the default)."""
    if not email_configured():
        return
    recipients = [user.email for user in by_mail]
    if not recipients:
        return
    try:
        send_mail(subject, message, None, recipients, fail_silently=True)
    except Exception:  # a broken mail setup must not turn a sign-up into a 500
        logger.exception("staff alert e-mail not sent")


def _text_staff(by_sms, message, alert):
    from campaigns.sms import sending
    from campaigns.sms import text as sms_text

    # Reviewers who chose SMS: through the staff ledger, at any hour.
    notify.text_each(by_sms, message, f"alert:{alert.pk}", urgent=True)
    # The duty numbers of the setting, at once.
    phones = []
    for raw in setting("STAFF_ALERT_PHONES") or ():
        try:
            phones.append(normalize_mobile(raw))
        except Exception:  # a typo in the setting must not stop the alert
            logger.warning("STAFF_ALERT_PHONES has an unusable number")
    if not phones:
        return
    stamp = timezone.localtime().strftime("%Y%m%d")
    messages = [
        sending.Message(f"alert-{alert.kind}-{stamp}-{i}", phone, sms_text.signature() + message)
        for i, phone in enumerate(phones)
    ]
    try:
        sending.send(messages)
    except Exception:  # the gateway being down must not turn a sign-up into a 500
        logger.exception("staff alert SMS not sent")


def recent_alerts(days=7):
    """Return the StaffAlerts of the last ``days`` days, newest first."""
    since = timezone.now() - datetime.timedelta(days=days)
    return StaffAlert.objects.filter(created_at__gte=since).order_by("-created_at")
