"""The ``audience``, ``region`` and ``tag`` parameters, read strictly, for machines and
partners: feeds and embedded widgets.

An index page shows everything when a filter value is unknown and says so on the page; a
feed reader or a partner's iframe shows no such note, and a subscriber who asked for 老年人
but silently got everything would be misled. So these answer 400 instead, naming the
parameter.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from website.core.params import clean_param, unknown_names_message
from website.pages.models.base import ListingFilters, filter_choices
from website.pages.models.risk_notices import RiskNoticePage

PARAMS = {
    "audience": gettext_lazy("人群"),
    "region": gettext_lazy("地区"),
    "tag": gettext_lazy("类型"),
}
MAX_VALUE_LENGTH = 100


class FilterError(ValueError):
    """A filter parameter that names nothing; ``str()`` is the message for the client and
    ``param`` the parameter's name."""

    def __init__(self, message, param):
        super().__init__(message)
        self.param = param


def parse_filters(params):
    """Return the ``ListingFilters`` that ``params`` (a QueryDict) ask for.

    Raises FilterError naming the first parameter that is repeated with different values,
    junk, too long, or names no audience, region or tag. Blank values mean "no filter";
    other parameters are ignored.
    """
    chosen = {}
    for name, label in PARAMS.items():
        values = {value.strip() for value in params.getlist(name) if value.strip()}
        if len(values) > 1:
            raise FilterError(
                _("参数 %(name)s（%(label)s）只能有一个值。") % {"name": name, "label": label},
                name,
            )
        chosen[name] = values.pop() if values else ""

    filters = ListingFilters(chosen, filter_choices())
    for name, label in PARAMS.items():
        raw = chosen[name]
        if not raw or getattr(filters, name) is not None:
            continue
        value = clean_param(raw, MAX_VALUE_LENGTH + 1)
        if not value:
            message = _("参数 %(name)s（%(label)s）的值无效。")
        elif len(value) > MAX_VALUE_LENGTH:
            message = _("参数 %(name)s（%(label)s）的值太长。")
        else:
            message = _("参数 %(name)s（%(label)s）的值“%(value)s”不存在。")
        raise FilterError(message % {"name": name, "label": label, "value": value[:40]}, name)
    return filters


LEVEL_PARAM = "level"
# Names any partner URL may carry without changing what it shows: a cache-buster and the
# analytics tags link tools add (utm_source …).
HARMLESS_NAMES = ("_",)
HARMLESS_PREFIXES = ("utm_",)


def check_names(params, allowed):
    """Raise FilterError when ``params`` holds a name outside ``allowed`` (a misspelt
    ``audiance`` would otherwise quietly give everything); the message lists the valid
    names and the nearest one."""
    for name in params:
        if name in allowed or name in HARMLESS_NAMES or name.startswith(HARMLESS_PREFIXES):
            continue
        raise FilterError(unknown_names_message([name], allowed), name)


def parse_level(params):
    """Return the risk-notice level ``level`` asks for (notice, warning, severe), or None
    when absent or blank; raises FilterError listing the levels for anything else."""
    values = {value.strip() for value in params.getlist(LEVEL_PARAM) if value.strip()}
    if not values:
        return None
    choices = RiskNoticePage.Level
    if len(values) > 1 or next(iter(values)) not in choices.values:
        listed = "、".join(f"{value}（{label}）" for value, label in choices.choices)
        raise FilterError(
            _("参数 level（级别）只能是：%(choices)s。") % {"choices": listed}, LEVEL_PARAM
        )
    return values.pop()
