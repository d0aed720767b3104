"""发送测试短信到我的手机: a staff member sends a blast's exact text to their own phone
before it is approved, to see it on a real handset.

It goes through the one sending layer (the configured gateway backend and the global rate
limit) but never through the ledger: it is no delivery of the blast, counts in none of its
figures, and reaches only the sender's own number. Each person may do it a few times an hour
(website.core.limits), so the button cannot become a way round the two-person rule.
"""

import secrets

from django.conf import settings
from django.utils.translation import gettext as _

from campaigns.phone import mask
from campaigns.sms import sending
from campaigns.sms.sending import Message, Result
from website.core import limits, notify

SCOPE = "sms-trial-send"
DEFAULT_RATE = (5, 3600)  # five tests an hour per person


class TrialSendError(Exception):
    """Raised with a message for the staff member when no test SMS was sent."""


def phone_of(user):
    """Return the user's own mobile (E.164) from their 通知方式 settings, or "": one number
    per member of staff, for review notices and test sends alike."""
    return notify.preference(user).phone


def send_trial(blast, user):
    """Send ``blast``'s exact text to ``user``'s own phone; return the masked number.

    Raises TrialSendError when the user has no phone on their profile, has sent too many
    tests lately, the limiter cannot count (the cache is down: nothing goes out uncounted),
    or the gateway refused the message.
    """
    phone = phone_of(user)
    if not phone:
        raise TrialSendError(
            _(
                "您的账号还没有填写手机号码，无法发送测试短信。请在“账号设置 › 通知 › 通知方式”中填写后再试。"
            )
        )
    rate = getattr(settings, "SMS_TRIAL_SEND_RATE", DEFAULT_RATE)
    try:
        verdict = limits.hit(SCOPE, user.pk, rate)
    except limits.CacheUnavailable:
        raise TrialSendError(_("暂时无法发送测试短信，请稍后再试。")) from None
    if not verdict.allowed:
        raise TrialSendError(
            _("测试短信发得太频繁了，请 %(minutes)s 分钟后再试。")
            % {"minutes": max(1, round(verdict.wait / 60))}
        )
    # A key of its own, never a ledger row's: a retry of a test is another test. The text is
    # what recipients get: the approved text once there is one.
    message = Message(f"trial-{blast.pk}-{secrets.token_hex(6)}", phone, blast.outgoing_text())
    (result,) = sending.send([message])
    if result.status != Result.ACCEPTED:
        raise TrialSendError(_("短信网关没有接收这条测试短信，请稍后再试。"))
    return mask(phone)
