"""The human check on the sign-up form, asked only under pressure (``limits.under_pressure``).

A small sum written in Chinese numerals ("七加五等于几？"), answered in digits or in Chinese.
Why this and not a picture: it needs no third-party service and no JavaScript, a phone's
read-aloud and a screen reader can speak it (a distorted picture shuts out the elders and the
blind people the site is for), and it is rendered on the server with nothing to download. What
it stops is the generic flood (scripts that post the form again and again); a bot written for
this site could learn the sums, which is why it is only one layer: the per-number, per-session
and paced daily budgets still hold behind it.

The question and its answer live in the server-side session, never in the page, so the answer
cannot be read from the form, and a client that keeps no cookies can never pass. A passed check
lasts SMS_CODE_HUMAN_SECONDS for that session.
"""

import secrets
import time
import unicodedata

from django.conf import settings
from django.utils.translation import gettext as _

SESSION_KEY = "campaigns_sms_check"
PASSED_KEY = "campaigns_sms_human_until"
MAX_TRIES = 3  # then a new sum, so guessing through the answers does not pay
DIGITS = "零一二三四五六七八九"


def chinese_number(n):
    """Return ``n`` (0–99) in Chinese numerals as people write them: 七, 十二, 二十, 四十五."""
    tens, ones = divmod(n, 10)
    if not tens:
        return DIGITS[ones]
    head = "十" if tens == 1 else DIGITS[tens] + "十"
    return head + (DIGITS[ones] if ones else "")


def _new():
    a, b = secrets.randbelow(9) + 1, secrets.randbelow(9) + 1
    if secrets.randbelow(2) and a != b:
        a, b = max(a, b), min(a, b)
        text, answer = (
            _("%(a)s减%(b)s等于几？") % {"a": chinese_number(a), "b": chinese_number(b)},
            a - b,
        )
    else:
        text, answer = (
            _("%(a)s加%(b)s等于几？") % {"a": chinese_number(a), "b": chinese_number(b)},
            a + b,
        )
    return {"q": text, "a": answer, "tries": 0}


def passed(request):
    """Return True while this browser's session holds a passed check."""
    return float(request.session.get(PASSED_KEY) or 0) > time.time()


def question(request):
    """Return the session's question (making one if there is none yet)."""
    state = request.session.get(SESSION_KEY)
    if not isinstance(state, dict) or "q" not in state:
        state = _new()
        request.session[SESSION_KEY] = state
    return state["q"]


def answer(request, typed):
    """Check ``typed`` against the session's question; return True when it is right.

    A right answer marks the session as passed; MAX_TRIES wrong ones replace the question.
    Without a question in the session (no cookies, or none was asked) nothing passes.
    """
    state = request.session.get(SESSION_KEY)
    if not isinstance(state, dict) or "a" not in state:
        return False
    value = "".join(unicodedata.normalize("NFKC", str(typed or "")).split())
    if value in (str(state["a"]), chinese_number(state["a"])):
        request.session.pop(SESSION_KEY, None)
        lasting = getattr(settings, "SMS_CODE_HUMAN_SECONDS", 1800)
        request.session[PASSED_KEY] = time.time() + lasting
        return True
    state["tries"] = state.get("tries", 0) + 1
    request.session[SESSION_KEY] = _new() if state["tries"] >= MAX_TRIES else state
    return False
