"""Checks on the API's query parameters, made before any of them reaches the database.

Every check raises ApiError (400) with a message that names the parameter and says what
is expected. Values are refused rather than cleaned: a partner's developer should learn
that a URL is wrong, not get a silently different answer.
"""

import re
import unicodedata

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.utils.translation import gettext as _

from website.api.errors import ApiError
from website.search.segment import MAX_QUERY_CHARS

MAX_VALUE_LENGTH = 200
# Search words beyond this are not read by the site's search either.
MAX_SEARCH_LENGTH = MAX_QUERY_CHARS
MAX_FIELDS_LENGTH = 300
MAX_FIELDS_DEPTH = 3
# Page, image and taxonomy ids are 32-bit in PostgreSQL.
MAX_ID = 2**31 - 1
# Deep offsets cost the database a scan each; nobody pages this far through this site.
MAX_OFFSET = 100_000
MAX_NAME_SHOWN = 40
MAX_LENGTHS = {"fields": MAX_FIELDS_LENGTH, "search": MAX_SEARCH_LENGTH}

_DIGITS = re.compile(r"[0-9]+")
_FIELDS = re.compile(r"[A-Za-z0-9_*,()\-]*")
_ORDER = re.compile(r"-?[a-z_]{1,60}(,-?[a-z_]{1,60}){0,5}")
_TYPE = re.compile(r"[A-Za-z0-9_.]{1,100}(,[A-Za-z0-9_.]{1,100}){0,9}")

TRUE_VALUES = ("1", "true")
FALSE_VALUES = ("0", "false")


def limit_max():
    return getattr(settings, "WAGTAILAPI_LIMIT_MAX", 20)


def shown(name):
    """Return a parameter name fit to quote in a message: printable and short."""
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    return name if len(name) <= MAX_NAME_SHOWN else name[:MAX_NAME_SHOWN] + "…"


def has_control_chars(text):
    return any(unicodedata.category(ch) == "Cc" for ch in text)


def read_query(request):
    """Return the query string as ``{name: value}``.

    Raises ApiError for too many parameters, a parameter given twice, control characters
    (NUL breaks PostgreSQL) or over-long values.
    """
    try:
        lists = {key: request.GET.getlist(key) for key in request.GET}
    except SuspiciousOperation as e:
        raise ApiError(_("参数太多。")) from e
    query = {}
    for name, values in lists.items():
        if has_control_chars(name):
            raise ApiError(_("参数名含有控制字符。"))
        if len(values) > 1:
            raise ApiError(_("参数 %(name)s 只能出现一次。") % {"name": shown(name)})
        value = values[0]
        if has_control_chars(value):
            raise ApiError(_("参数 %(name)s 含有控制字符。") % {"name": shown(name)})
        longest = MAX_LENGTHS.get(name, MAX_VALUE_LENGTH)
        if len(value) > longest:
            raise ApiError(
                _("参数 %(name)s 太长（最多 %(max)d 个字符）。")
                % {"name": shown(name), "max": longest}
            )
        query[name] = value
    return query


def parse_int(name, value, maximum, minimum=0):
    """Return ``value`` as an int within [minimum, maximum], or raise ApiError."""
    if not _DIGITS.fullmatch(value):
        raise ApiError(
            _("参数 %(name)s 应为不小于 %(min)d 的整数。") % {"name": name, "min": minimum}
        )
    # Past 12 digits it is too large for any limit here; int() of 4,300+ digits would fail.
    number = int(value) if len(value) <= 12 else maximum + 1
    if number < minimum:
        raise ApiError(_("参数 %(name)s 不能小于 %(min)d。") % {"name": name, "min": minimum})
    if number > maximum:
        raise ApiError(_("参数 %(name)s 不能大于 %(max)d。") % {"name": name, "max": maximum})
    return number


def parse_flag(name, value):
    """Return True or False for 1/true and 0/false, or raise ApiError."""
    if value.lower() in TRUE_VALUES:
        return True
    if value.lower() in FALSE_VALUES:
        return False
    raise ApiError(_("参数 %(name)s 只能是 1 或 0（true 或 false）。") % {"name": name})


def check_fields(value):
    if not _FIELDS.fullmatch(value):
        raise ApiError(
            _("参数 fields 只能含字段名、逗号、括号、“-”、“*”和“_”，例如 fields=summary,region。")
        )
    depth = 0
    for ch in value:
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if depth > MAX_FIELDS_DEPTH:
            raise ApiError(_("参数 fields 最多嵌套 %(max)d 层。") % {"max": MAX_FIELDS_DEPTH})


def check_order(value):
    if value != "random" and not _ORDER.fullmatch(value):
        raise ApiError(
            _("参数 order 应为逗号分隔的字段名（最多 6 个），前加“-”表示倒序，或 random。")
        )


def check_type(value):
    if not _TYPE.fullmatch(value):
        raise ApiError(_("参数 type 应为页面类型，例如 pages.RiskNoticePage。"))


def check_choice(name, value, choices):
    if value not in choices:
        raise ApiError(
            _("参数 %(name)s 只能是：%(choices)s。") % {"name": name, "choices": "、".join(choices)}
        )


def page_reference(name, value, root_allowed):
    """Check a page id parameter (``child_of`` …); ``root`` means the site's home page."""
    if root_allowed and value == "root":
        return
    if not _DIGITS.fullmatch(value):
        if root_allowed:
            raise ApiError(_("参数 %(name)s 应为页面 id 或 root。") % {"name": name})
        raise ApiError(_("参数 %(name)s 应为页面 id。") % {"name": name})
    parse_int(name, value, MAX_ID)


def check_common(query):
    """Check the parameters every endpoint shares; raises ApiError."""
    if "limit" in query:
        parse_int("limit", query["limit"], limit_max())
    if "offset" in query:
        parse_int("offset", query["offset"], MAX_OFFSET)
    if "fields" in query:
        check_fields(query["fields"])
    if "order" in query:
        check_order(query["order"])
    if "search_operator" in query:
        check_choice("search_operator", query["search_operator"], ("and", "or"))
    if "rich_text_format" in query:
        check_choice("rich_text_format", query["rich_text_format"], ("html", "db_html", "markdown"))
    if "format" in query:
        check_choice("format", query["format"], ("json",))
    if "id" in query:
        parse_int("id", query["id"], MAX_ID)


def check_pages(query):
    """Check the parameters only the pages endpoint has; raises ApiError."""
    if "type" in query:
        check_type(query["type"])
    for name, root_allowed in (
        ("child_of", True),
        ("descendant_of", True),
        ("translation_of", True),
        ("ancestor_of", False),
    ):
        if name in query:
            page_reference(name, query[name], root_allowed)
    if "current" in query:
        parse_flag("current", query["current"])
