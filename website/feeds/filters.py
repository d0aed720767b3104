"""The ``audience``, ``region`` and ``tag`` parameters of a feed, read strictly.

An index page shows everything when a filter value is unknown and says so on the page; a
feed reader shows no such note, and a subscriber who asked for 老年人 but silently got
everything would be misled. So a feed answers 400 instead, naming the parameter.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from website.core.params import clean_param
from website.pages.models.base import ListingFilters, filter_choices

PARAMS = {
    "audience": gettext_lazy("人群"),
    "region": gettext_lazy("地区"),
    "tag": gettext_lazy("类型"),
}
MAX_VALUE_LENGTH = 100


class FilterError(ValueError):
    """A filter parameter that names nothing; ``str()`` is the message for the client."""


def _error(message):
    hint = _("可用的取值与网站栏目页筛选栏中的相同；去掉此参数即订阅全部内容。")
    return FilterError(f"{message}\n{hint}\n")


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
            raise _error(
                _("参数 %(name)s（%(label)s）只能有一个值。") % {"name": name, "label": label},
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
        raise _error(message % {"name": name, "label": label, "value": value[:40]})
    return filters
