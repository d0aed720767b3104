"""What an SMS looks like on the phone, and what it costs.

Chinese SMS are billed per segment: 70 characters fit one message; longer texts are sent
as parts of 67 characters each (the rest carries the joining header).
"""

import math

from django.conf import settings

from campaigns.models.subscribers import UNSUBSCRIBE_TOKEN_LENGTH

SINGLE_LIMIT = 70
PART_LIMIT = 67
OPT_OUT_SUFFIX = "回复TD退订"
# Every recipient's unsubscribe link has the same length, so a placeholder of that length
# gives the exact billed size before any token exists.
TOKEN_PLACEHOLDER = "x" * UNSUBSCRIBE_TOKEN_LENGTH


def segments(text):
    """Return the number of billed SMS segments for ``text``."""
    length = len(text)
    if length == 0:
        return 0
    if length <= SINGLE_LIMIT:
        return 1
    return math.ceil(length / PART_LIMIT)


def signature():
    return f"【{settings.SMS_SIGNATURE}】"


def unsubscribe_url(token):
    return f"{settings.SMS_LINK_BASE_URL.rstrip('/')}/u/{token}"


def compose(body, link_url="", token=TOKEN_PLACEHOLDER):
    """Return the exact message a recipient gets: signature, body, link, opt-out."""
    parts = [signature(), body.strip()]
    if link_url:
        parts.append(f" {link_url}")
    parts.append(f" 退订点{unsubscribe_url(token)}或{OPT_OUT_SUFFIX}")
    return "".join(parts)
