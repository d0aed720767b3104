"""统一社会信用代码 (unified social credit identifier), as defined by the national standard
GB 32100-2015 《法人和其他组织统一社会信用代码编码规则》.

A code has 18 characters from a 31-character alphabet (the digits and the capital letters
without I, O, Z, S and V, which are too easily misread): the registering department (1),
the kind of organisation (1), the registering authority's region code (6 digits), the
subject identifier (9, the old organisation code) and a check character (1). The check
character makes copying mistakes visible: the weights are 3^i mod 31 for positions i = 0…16,
and the check value is 31 − (Σ value × weight mod 31), where 31 stands for 0.
"""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
VALUES = {ch: i for i, ch in enumerate(ALPHABET)}
WEIGHTS = [pow(3, i, 31) for i in range(17)]
LENGTH = 18
# The shape of a code, check character not yet checked: positions 3–8 are a region code.
SHAPE = re.compile(rf"[{ALPHABET}]{{2}}[0-9]{{6}}[{ALPHABET}]{{10}}")


def check_character(first17):
    """Return the check character for the first 17 characters of a code.

    Raises ValueError when ``first17`` is not 17 characters of the code's alphabet.
    """
    if len(first17) != LENGTH - 1 or any(ch not in VALUES for ch in first17):
        raise ValueError("need 17 characters of the credit-code alphabet")
    total = sum(VALUES[ch] * weight for ch, weight in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def clean_code(text):
    """Return ``text`` as a code would be stored: full-width forms folded (NFKC), spaces and
    hyphens removed, upper case. It is not checked."""
    folded = unicodedata.normalize("NFKC", text or "")
    return "".join(ch for ch in folded if ch.isalnum()).upper()


def is_valid(code):
    """Return whether ``code`` (already cleaned, see clean_code) is a well-formed code whose
    check character is right."""
    return bool(SHAPE.fullmatch(code)) and check_character(code[:17]) == code[17]


def validate_credit_code(value):
    """Model and form validator: raises ValidationError unless ``value`` is an 18-character
    统一社会信用代码 with the right check character (GB 32100-2015)."""
    code = clean_code(value)
    if len(code) != LENGTH:
        raise ValidationError(
            _("统一社会信用代码应为 18 位（现在是 %(n)d 位）。"), params={"n": len(code)}
        )
    if not SHAPE.fullmatch(code):
        raise ValidationError(
            _(
                "统一社会信用代码只能由数字和大写字母组成（不含 I、O、Z、S、V），第 3 到 8 位是数字。"
            )
        )
    if check_character(code[:17]) != code[17]:
        raise ValidationError(_("统一社会信用代码的最后一位校验码不对，请核对是否抄错。"))
