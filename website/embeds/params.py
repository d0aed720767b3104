"""The query parameters a partner puts in a widget's URL.

A widget is pasted once and then shown for months on someone else's site, so a wrong value
answers 400 with a message saying which parameter is wrong, inside the iframe where the
partner sees it, rather than quietly showing something other than what was asked for.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.utils.translation import gettext as _

from website.core.params import clean_param
from website.pages.filters import FilterError, check_names, parse_filters, parse_level

LOOK_NAMES = ("theme", "size")
FILTER_NAMES = ("audience", "region", "tag", "level")
THEMES = ("light", "dark", "auto")
SIZES = ("normal", "large")


class BadParam(Exception):
    """A widget parameter that cannot be honoured; ``str(exc)`` is the message to show."""


@dataclass(frozen=True)
class Look:
    """How a widget looks: colour theme and type size (``large`` is elder mode)."""

    theme: str = "light"
    size: str = "normal"

    @property
    def large(self):
        return self.size == "large"

    @property
    def key(self):
        return f"{self.theme}:{self.size}"

    def params(self, **changes):
        """Return the non-default look parameters, with ``changes`` applied."""
        values = {"theme": self.theme, "size": self.size, **changes}
        defaults = {"theme": "light", "size": "normal"}
        return {k: v for k, v in values.items() if v != defaults[k]}

    @property
    def query(self):
        """Return "?theme=…&size=…" for the non-default values, or ""."""
        params = self.params()
        return f"?{urlencode(params)}" if params else ""


def _choice(params, name, allowed):
    raw = params.get(name, "")
    value = clean_param(raw, max_length=20)
    if not raw:
        return allowed[0]
    if value not in allowed:
        raise BadParam(
            _("参数 %(name)s 只能是 %(allowed)s 之一。")
            % {"name": name, "allowed": "、".join(allowed)}
        )
    return value


def look(params):
    """Return the Look asked for by ``theme`` and ``size``; raises BadParam."""
    return Look(theme=_choice(params, "theme", THEMES), size=_choice(params, "size", SIZES))


def integer(params, name, default, lo, hi):
    """Return ``params[name]`` as an int in [lo, hi], ``default`` when absent; raises BadParam."""
    raw = params.get(name, "")
    if raw == "":
        return default
    value = clean_param(raw, max_length=12)
    if not value.isascii() or not value.isdigit() or not lo <= int(value) <= hi:
        raise BadParam(
            _("参数 %(name)s 应为 %(lo)d 到 %(hi)d 之间的整数。")
            % {"name": name, "lo": lo, "hi": hi}
        )
    return int(value)


def filters(params):
    """Return ListingFilters for ``audience``, ``region`` and ``tag``; raises BadParam."""
    try:
        return parse_filters(params)
    except FilterError as exc:
        raise BadParam(str(exc)) from exc


def names(params, allowed):
    """Refuse a parameter name the widget does not read (``audiance``): it would otherwise
    quietly show everything. Raises BadParam listing the names it reads."""
    try:
        check_names(params, allowed)
    except FilterError as exc:
        raise BadParam(str(exc)) from exc


def level(params):
    """Return the notice level ``level`` asks for, or None; raises BadParam."""
    try:
        return parse_level(params)
    except FilterError as exc:
        raise BadParam(str(exc)) from exc
