"""Phone numbers: subscribers' China mainland mobiles (stored as E.164) and organisers'
contact phones (mobile or fixed line), always shown masked."""

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

MOBILE_TYPES = {
    phonenumbers.PhoneNumberType.MOBILE,
    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
}
# An organiser may give a desk phone.
CONTACT_TYPES = MOBILE_TYPES | {phonenumbers.PhoneNumberType.FIXED_LINE}


def _parse_mainland(value):
    """Return ``value`` parsed as a valid China mainland number, or None."""
    raw = (value or "").strip().replace(" ", "").replace("－", "-").replace("-", "")
    if not raw or len(raw) > 20:
        return None
    try:
        number = phonenumbers.parse(raw, "CN")
    except phonenumbers.NumberParseException:
        return None
    if number.country_code != 86 or not phonenumbers.is_valid_number(number):
        return None
    return number


def _is_mobile(number):
    return phonenumbers.number_type(number) in MOBILE_TYPES and str(
        number.national_number
    ).startswith("1")


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
    if not _is_mobile(number):
        raise ValidationError(_("这是固定电话号码，请输入手机号码。"), code="fixed_line")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def validate_contact_phone(value):
    """Return a mainland mobile or fixed line in a canonical form: ``13812345678`` or
    ``0737-1234567``. Raises ValidationError with a message for the person typing it."""
    number = _parse_mainland(value)
    if number is None or phonenumbers.number_type(number) not in CONTACT_TYPES:
        raise ValidationError(
            _("电话号码格式不对：请填写 11 位手机号码，或带区号的固定电话，如 0737-1234567。"),
            code="invalid_phone",
        )
    if _is_mobile(number):
        return str(number.national_number)
    national = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return national.replace(" ", "-", 1).replace(" ", "")


def mobile_e164(value):
    """Return the E.164 form if ``value`` is a mainland mobile, else None."""
    number = _parse_mainland(value)
    if number is None or not _is_mobile(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def mask(e164):
    """Return a number as people expect to see it masked: 138****5678."""
    digits = (e164 or "").removeprefix("+86")
    if len(digits) != 11:
        return "***"
    return f"{digits[:3]}****{digits[-4:]}"


def mask_contact_phone(value):
    """Return a stored contact phone masked: 138****5678, or 0737-***4567 for fixed lines."""
    value = value or ""
    if "-" in value:
        area, local = value.split("-", 1)
        return f"{area}-***{local[-4:]}"
    return mask(value)


# The salt names what the key is for: a key derived for one purpose is useless for another.
PHONE_KEY_SALT = "campaigns.phone.phone_key"


def phone_key(e164):
    """Return a stable, non-reversible key for a number (24 hex digits, for rate-limit keys
    and logs): an HMAC keyed with SECRET_KEY, so nobody without it can test a guess."""
    return salted_hmac(PHONE_KEY_SALT, e164, algorithm="sha256").hexdigest()[:24]
