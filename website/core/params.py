"""Reading query-string parameters that may hold anything a visitor or a bot types."""

import difflib
import unicodedata

from django.utils.translation import gettext as _


def clean_param(value, max_length=100):
    """Return ``value`` stripped of control characters (NUL breaks PostgreSQL) and cut to
    ``max_length``; None or a non-string gives "".
    """
    if not isinstance(value, str):
        return ""
    cleaned = "".join(ch for ch in value if unicodedata.category(ch)[0] != "C")
    return cleaned.strip()[:max_length]


def unknown_names_message(names, allowed, max_shown=5):
    """Return the message for query parameters ``names`` that nothing reads here: each name
    (cleaned, at most ``max_shown``), the nearest allowed name when one name looks like a
    misspelling (``audiance``, ``Region``, ``audience[]``), and every allowed name in the
    order given.

    A partner's URL is code: a misspelt filter quietly giving everything would mislead, so
    feeds, widgets and the API all refuse it, and all say the same thing.
    """
    allowed = list(allowed)
    shown = [clean_param(name, 40) or "?" for name in list(names)[:max_shown]]
    message = _("不认识的参数：%(names)s。") % {"names": "、".join(shown)}
    if len(shown) == 1:
        nearest = difflib.get_close_matches(shown[0].lower().strip("[]"), allowed, n=1)
        if nearest:
            message += _("是不是 %(nearest)s？") % {"nearest": nearest[0]}
    return message + _("可用的参数：%(allowed)s。") % {"allowed": "、".join(allowed)}
