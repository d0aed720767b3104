"""What an SMS looks like on the phone, and what it costs.

Chinese SMS are billed per segment: 70 characters fit one message; longer texts are sent
as parts of 67 characters each (the rest carries the joining header). ``segments()`` is the
one place that rule lives: the compose counter (through the server-side count), the preview,
the blast's cost and the tests all call it.
"""

import math

from django.conf import settings

from website.core.site_address import public_url

SINGLE_LIMIT = 70
PART_LIMIT = 67
# The shortest opt-out Chinese carriers accept for bulk SMS: a reply word and what it does.
# The gateway's reply webhook unsubscribes on "T" (webhooks.REQUIRED_OPT_OUT_WORDS), and
# the welcome SMS each subscriber gets carries their personal unsubscribe link as well.
OPT_OUT = "回T退订"
# After these the opt-out reads as a new sentence without a space; after anything else (a
# link above all, which a phone would otherwise run into the opt-out) one space is needed.
SENTENCE_ENDS = "。！？；…）】」』”"


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
    """Return the personal unsubscribe page of ``token`` on the site's one public address."""
    return public_url(f"/u/{token}")


def compose(body, link_url=""):
    """Return the exact message every recipient gets: signature, body, link, opt-out.

    ``body`` is the text as sent (its links already shortened, see ``campaigns.sms.links``).
    """
    text = signature() + body.strip()
    if link_url:
        text += f" {link_url}"
    separator = "" if text.endswith(tuple(SENTENCE_ENDS)) else " "
    return text + separator + OPT_OUT
