"""SMS-bombing defence for verification codes.

Anyone can type anyone's number into the sign-up form, so every code we send is a message
to a person who may not have asked for it. Before a code is sent, ``check_code_request``
takes, in this order and each one atomically in the shared cache (Redis in production):

1. the requesting IP's hourly budget (SMS_CODE_HOURLY_PER_IP; an IPv6 client counts per /64),
2. the number's cooldown (SMS_CODE_COOLDOWN_SECONDS) — one ``add``: only one request wins,
3. the number's daily budget (SMS_CODE_DAILY_PER_NUMBER),
4. the day's total for everyone (SMS_CODE_DAILY_TOTAL); reaching it alerts staff once a day.

A request refused at one step spends nothing further down, so a bot that has used up its own
IP budget cannot also use up a victim's daily budget. Limits are per number whether or not the
number is subscribed: the answer never tells whether a number is known. Counters for a day are
keyed by the local (Asia/Shanghai) date and die after midnight.
"""

import datetime
import hashlib
import ipaddress
import logging
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.mail import send_mail
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.models import StaffAlert
from campaigns.phone import phone_key

logger = logging.getLogger(__name__)

ALERT_KIND = "sms_code_daily_cap"
REVIEWER_GROUP = "审核员"
PREFIX = "sms-code"


@dataclass(frozen=True)
class Refusal:
    """Why a code was not sent: ``kind`` for code and tests, ``message`` for the person."""

    kind: str  # "ip" | "cooldown" | "number_daily" | "daily_total"
    message: str
    retry_after: int = 0  # seconds, for the Retry-After header


# -- who is asking -----------------------------------------------------------------------------
def client_ip(request):
    """Return the client's IP address as a string ("" when there is none that parses).

    REMOTE_ADDR unless SMS_TRUSTED_PROXY_COUNT proxies we run sit in front of us: then the
    address the outermost of them saw, counted from the right of X-Forwarded-For (entries
    further left are whatever the client chose to send).
    """
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = getattr(settings, "SMS_TRUSTED_PROXY_COUNT", 0)
    if proxies > 0:
        forwarded = [
            p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if p.strip()
        ]
        if len(forwarded) >= proxies:
            remote = forwarded[-proxies]
    try:
        return str(ipaddress.ip_address(remote.strip()))
    except ValueError:
        return ""


def ip_bucket(ip):
    """Return what an IP is counted as: itself for IPv4, its /64 network for IPv6
    (one IPv6 host usually owns a whole /64)."""
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return "unknown"
    if address.version == 6:
        if address.ipv4_mapped:
            return str(address.ipv4_mapped)
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


def ip_key(ip):
    """Return a stable, non-reversible key for an IP (consent evidence, cache keys)."""
    return hashlib.sha256(f"{settings.SECRET_KEY}:ip:{ip}".encode()).hexdigest()[:24]


# -- counters -----------------------------------------------------------------------------------
def _seconds_until_midnight(now):
    local = timezone.localtime(now)
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0) + datetime.timedelta(days=1)
    return max(1, math.ceil((midnight - local).total_seconds()))


def _incr(key, timeout):
    """Atomically add one to the counter ``key`` (created with ``timeout``); return it."""
    for _attempt in range(5):
        cache.add(key, 0, timeout=timeout)
        try:
            return cache.incr(key)
        except ValueError:  # expired between add and incr: create it again
            continue
    raise RuntimeError(f"cache counter {key} keeps vanishing")


def _day(now):
    return timezone.localtime(now).strftime("%Y%m%d")


def check_code_request(phone, ip, now=None):
    """Spend one code request for ``phone`` (E.164) from ``ip``; return None or a Refusal.

    None means a code may be sent now, and the request has been counted everywhere.
    A Refusal means nothing may be sent.
    """
    now = now or timezone.now()
    day = _day(now)
    day_left = _seconds_until_midnight(now) + 60
    number = phone_key(phone)

    hour = timezone.localtime(now).strftime("%Y%m%d%H")
    per_ip = settings.SMS_CODE_HOURLY_PER_IP
    if per_ip and _incr(f"{PREFIX}:ip:{hour}:{ip_key(ip_bucket(ip))}", 3660) > per_ip:
        minutes_left = 60 - timezone.localtime(now).minute
        return Refusal(
            "ip",
            _("这个网络一小时内获取验证码的次数太多了，请 %(m)s 分钟后再试。")
            % {"m": minutes_left},
            retry_after=minutes_left * 60,
        )

    cooldown = settings.SMS_CODE_COOLDOWN_SECONDS
    if cooldown:
        cool_key = f"{PREFIX}:cool:{number}"
        until = time.time() + cooldown
        if not cache.add(cool_key, until, timeout=cooldown):
            left = max(1, math.ceil((cache.get(cool_key) or until) - time.time()))
            return Refusal(
                "cooldown",
                _("验证码刚刚发过，请 %(s)s 秒后再获取验证码。") % {"s": left},
                retry_after=left,
            )

    per_number = settings.SMS_CODE_DAILY_PER_NUMBER
    if per_number and _incr(f"{PREFIX}:num:{day}:{number}", day_left) > per_number:
        return Refusal(
            "number_daily",
            _("这个号码今天获取验证码的次数已达上限（%(n)s 次），请明天再试。") % {"n": per_number},
            retry_after=day_left,
        )

    total = settings.SMS_CODE_DAILY_TOTAL
    if total:
        used = _incr(f"{PREFIX}:total:{day}", day_left)
        if used >= total:
            alert_daily_cap_reached(now, total)
        if used > total:
            return Refusal(
                "daily_total",
                _("今天的验证码发送量已达上限，请明天再试。需要帮助可拨打页面底部的举报电话。"),
                retry_after=day_left,
            )
    return None


def alert_daily_cap_reached(now, total):
    """Tell staff, once a day, that the day's verification-code cap is reached.

    Returns the StaffAlert created, or None when today's alert exists already.
    """
    day = _day(now)
    if not cache.add(f"{PREFIX}:alerted:{day}", 1, timeout=_seconds_until_midnight(now) + 60):
        return None
    today = timezone.localtime(now).date()
    # The cache may have been flushed since the first alert: the database has the last word.
    if StaffAlert.objects.filter(kind=ALERT_KIND, created_at__date=today).exists():
        return None
    message = _(
        "今天（%(day)s）的短信验证码已达每日上限 %(total)s 条，今天不再发送验证码。"
        "如果不是订阅人数真的激增，可能有人在利用订阅页面“短信轰炸”他人，请检查。"
    ) % {"day": today.isoformat(), "total": total}
    alert = StaffAlert.objects.create(kind=ALERT_KIND, message=message, created_at=now)
    logger.warning("SMS verification codes: daily total cap of %s reached", total)
    recipients = list(
        get_user_model()
        .objects.filter(groups__name=REVIEWER_GROUP, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )
    if recipients:
        send_mail(
            _("【防非】短信验证码已达每日上限"), message, None, recipients, fail_silently=True
        )
    return alert
