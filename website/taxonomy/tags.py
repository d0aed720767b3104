"""How typed tags are split (django-taggit's ``TAGGIT_TAGS_FROM_STRING``).

Staff type Chinese: "养老服务，高息理财" must be two tags, not one. Taggit splits on ASCII
commas (and spaces when there are none); the full-width comma, the enumeration comma and
semicolons separate tags just the same here, also inside a tag the admin's widget sent quoted.
"""

import re

from taggit.utils import _parse_tags

SEPARATORS = re.compile(r"[，、；;,]")


def parse_tags(text):
    """Return the sorted unique tag names in ``text``."""
    tags = _parse_tags(SEPARATORS.sub(",", text or ""))
    return sorted({part.strip() for tag in tags for part in SEPARATORS.split(tag) if part.strip()})
