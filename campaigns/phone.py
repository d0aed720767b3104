"""Mobile numbers: China mainland mobiles only, stored as E.164, shown masked."""

import hashlib

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MOBILE_TYPES = {
    phonenumbers.PhoneNumberType.MOBILE,
    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
}


def normalize_mobile(value):
    """Return ``value`` as an E.164 China mainland mobile number (``+8613812345678``).

    Raises ValidationError with a message for the person typing it: not a number, not a
    mainland number, a fixed line, or an invalid mobile.
    """
    raw = (value or "").strip().replace(" ", "").replace("-", "")
    if not raw or len(raw) > 20:
        raise ValidationError(_("请输入 11 位手机号码。"), code="invalid")
    try:
        number = phonenumbers.parse(raw, "CN")
    except phonenumbers.NumberParseException:
        raise ValidationError(_("请输入 11 位手机号码。"), code="invalid") from None
    if number.country_code != 86:
        raise ValidationError(_("目前只支持中国大陆手机号码。"), code="not_mainland")
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(_("这个手机号码无效，请检查后重新输入。"), code="invalid")
    if phonenumbers.number_type(number) not in MOBILE_TYPES:
        raise ValidationError(_("这是固定电话号码，请输入手机号码。"), code="fixed_line")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def mask(e164):
    """Return a number as people expect to see it masked: 138****5678."""
    digits = (e164 or "").removeprefix("+86")
    if len(digits) != 11:
        return "***"
    return f"{digits[:3]}****{digits[-4:]}"


def phone_key(e164):
    """Return a stable, non-reversible key for a number (for rate-limit keys and logs)."""
    return hashlib.sha256(f"{settings.SECRET_KEY}:{e164}".encode()).hexdigest()[:24]
