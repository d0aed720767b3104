"""Error answers of the read-only API: always JSON ``{"message": "…"}``, always in Chinese.

Parameters are checked up front (``website.api.params``) so that Wagtail's own checks
rarely speak; when they do, their English messages are translated here.
"""

import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.api.v2.utils import BadRequestError


class ApiError(BadRequestError):
    """A 400 whose message is already meant for the partner's developer."""


# Wagtail's BadRequestError messages (wagtail/api/v2/*.py) and what we say instead.
WAGTAIL_MESSAGES = [
    (
        r"type doesn't exist",
        gettext_lazy("参数 type 不是已知的页面类型，例如 pages.RiskNoticePage。"),
    ),
    (r"parent page doesn't exist", gettext_lazy("child_of 指定的页面不存在或未公开。")),
    (r"ancestor page doesn't exist", gettext_lazy("descendant_of 指定的页面不存在或未公开。")),
    (r"descendant page doesn't exist", gettext_lazy("ancestor_of 指定的页面不存在或未公开。")),
    (
        r"translation_of page doesn't exist",
        gettext_lazy("translation_of 指定的页面不存在或未公开。"),
    ),
    (
        r"filtering by descendant_of with child_of is not supported",
        gettext_lazy("child_of 和 descendant_of 不能同时使用。"),
    ),
    (
        r"random ordering cannot be combined with other fields",
        gettext_lazy("order=random 不能与其他排序字段同时使用。"),
    ),
    (
        r"random ordering with offset is not supported",
        gettext_lazy("order=random 不能与 offset 同时使用。"),
    ),
    (r"unknown fields: (?P<names>.*)", gettext_lazy("fields 中有未知字段：%(names)s。")),
    (
        r"'(?P<name>.*)' does not support nested fields",
        gettext_lazy("字段 %(name)s 不能再选子字段。"),
    ),
    (r"fields error: (?P<detail>.*)", gettext_lazy("fields 参数写法有误（%(detail)s）。")),
    (
        r"cannot filter by '(?P<name>.*)' while searching.*",
        gettext_lazy("搜索时不能按 %(name)s 筛选。"),
    ),
    (
        r"cannot order by '(?P<name>.*)' while searching.*",
        gettext_lazy("搜索时不能按 %(name)s 排序。"),
    ),
]


def translate(message):
    """Return the Chinese message for one of Wagtail's BadRequestError messages."""
    for pattern, chinese in WAGTAIL_MESSAGES:
        match = re.fullmatch(pattern, message, flags=re.DOTALL)
        if match:
            return str(chinese) % match.groupdict() if match.groupdict() else str(chinese)
    return _("请求参数有误（%(detail)s）。") % {"detail": message}
