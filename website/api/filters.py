"""Filter backends of the read-only API, in place of Wagtail's where those can fail.

Wagtail's FieldsFilter passes values to the database unchecked (a bad date or a 30-digit
number is a 500) and its SearchFilter sends NUL bytes to PostgreSQL; these check first.
Messages are Chinese; ``view.query`` is the query string already read by
``website.api.params.read_query``.
"""

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.http import QueryDict
from django.utils.translation import gettext as _
from rest_framework.filters import BaseFilterBackend
from wagtail.fields import StreamField
from wagtail.models import Locale, Page, get_page_models
from wagtail.search.backends import get_search_backend
from wagtail.search.backends.base import FilterFieldError, OrderByFieldError

from website.api.errors import ApiError
from website.api.params import parse_flag, shown
from website.pages.filters import FilterError, parse_filters
from website.pages.models import RiskNoticePage
from website.pages.models.base import TopicPage
from website.pages.models.risk_notices import current_q
from website.search.segment import query_words
from website.taxonomy.models import Region


def topic_models():
    """Return the concrete TopicPage types (notices, case studies and any added later): the
    page types the audience, region and tag filters apply to."""
    return [m for m in get_page_models() if issubclass(m, TopicPage) and not m._meta.abstract]


TOPIC_PARAMETERS = ("audience", "region", "tag", "current")
MAX_ORDER_FIELDS = 6


def _model_field(model, name):
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def orderable_fields(view, model):
    """Return {name: field} of the API fields a listing of ``model`` may be ordered by."""
    found = {}
    for name in view.get_available_fields(model, db_fields_only=True):
        field = _model_field(model, name)
        if (
            field is not None
            and field.concrete
            and not field.is_relation
            and not isinstance(field, (StreamField, models.JSONField))
        ):
            found[name] = field
    return found


def filterable_fields(view, model):
    """Return {name: field} of the API fields a listing of ``model`` may be filtered by
    exact value: orderable fields less timestamps (an exact instant matches nothing) and
    less the names the endpoint filters in its own way (``region`` is a code, not an id)."""
    return {
        name: field
        for name, field in orderable_fields(view, model).items()
        if not isinstance(field, models.DateTimeField) and name not in view.own_filters
    }


class CheckedFieldsFilter(BaseFilterBackend):
    """``?level=severe``, ``?issued_on=2025-05-15``: values are validated by the model field
    (type, range, choices, length) before they reach the database."""

    def filter_queryset(self, request, queryset, view):
        fields = filterable_fields(view, queryset.model)
        for name, raw in view.query.items():
            field = fields.get(name)
            if field is None:
                continue
            if isinstance(field, models.BooleanField):
                # Wagtail's spelling (true/false/1/0), not Django's (True/False/t/f).
                queryset = queryset.filter(**{name: parse_flag(name, raw)})
                continue
            try:
                value = field.clean(raw, None)
            except ValidationError as e:
                raise ApiError(
                    _("参数 %(name)s 的值无效：%(detail)s")
                    % {"name": name, "detail": " ".join(str(m) for m in e.messages)}
                ) from e
            queryset = queryset.filter(**{name: value})
        return queryset


class CheckedOrderingFilter(BaseFilterBackend):
    """``?order=-issued_on,title`` or ``?order=random``, on concrete fields only."""

    def filter_queryset(self, request, queryset, view):
        order = view.query.get("order")
        if not order:
            return queryset
        if order == "random":
            if "offset" in view.query:
                raise ApiError(_("order=random 不能与 offset 同时使用。"))
            return queryset.order_by("?")
        allowed = orderable_fields(view, queryset.model)
        names = order.split(",")
        for name in names:
            if name.lstrip("-") not in allowed:
                raise ApiError(
                    _("不能按 %(name)s 排序；可用的字段：%(allowed)s。")
                    % {"name": shown(name.lstrip("-")), "allowed": ", ".join(sorted(allowed))}
                )
        if "search" not in view.query and "id" not in [n.lstrip("-") for n in names]:
            # A unique last key keeps pages of a listing from overlapping.
            names.append("id")
        return queryset.order_by(*names)


class SegmentedSearchFilter(BaseFilterBackend):
    """``?search=养老``: the site's Chinese segmentation and ranking, any query text."""

    def filter_queryset(self, request, queryset, view):
        if "search" not in view.query:
            return queryset
        words = query_words(view.query["search"])
        if not words:
            # Only punctuation or stop words: nothing to look for, as on the search page.
            return queryset.none()
        try:
            return get_search_backend().search(
                " ".join(words),
                queryset,
                operator=view.query.get("search_operator", "or"),
                order_by_relevance="order" not in view.query,
            )
        except FilterFieldError as e:
            raise ApiError(_("搜索时不能按 %(name)s 筛选。") % {"name": e.field_name}) from e
        except OrderByFieldError as e:
            raise ApiError(_("搜索时不能按 %(name)s 排序。") % {"name": e.field_name}) from e


class CheckedLocaleFilter(BaseFilterBackend):
    """``?locale=zh-hans``; an unknown language is a 400, not Wagtail's 404."""

    def filter_queryset(self, request, queryset, view):
        code = view.query.get("locale")
        if code is None:
            return queryset
        locale = Locale.objects.filter(language_code=code).first()
        if locale is None:
            codes = Locale.objects.values_list("language_code", flat=True)
            raise ApiError(_("参数 locale 只能是：%(choices)s。") % {"choices": "、".join(codes)})
        filtered = queryset.filter(locale=locale)
        # Wagtail's filters after this one read what child_of left on the queryset.
        if hasattr(queryset, "_filtered_by_child_of"):
            filtered._filtered_by_child_of = queryset._filtered_by_child_of
        return filtered


def _lookup(query, name, model, field, label, endpoint):
    """Return the ``model`` whose ``field`` is the value of ``name``, None if not given."""
    value = query.get(name, "")
    if not value:
        return None
    found = model.objects.filter(**{field: value}).first()
    if found is None:
        raise ApiError(
            _("没有这个%(label)s：%(value)s（参数 %(name)s；可用的值见 /api/v2/%(endpoint)s/）。")
            % {"label": label, "value": shown(value), "name": name, "endpoint": endpoint}
        )
    return found


def _listing_filters(query):
    """Return the site's ListingFilters for ``audience``, ``tag`` and ``region``; raises
    ApiError naming the parameter and the endpoint that lists its values."""
    params = QueryDict(mutable=True)
    for name in ("audience", "tag", "region"):
        if query.get(name):
            params[name] = query[name]
    try:
        return parse_filters(params)
    except FilterError as exc:
        endpoint = {"audience": "audiences", "tag": "tags", "region": "regions"}[exc.param]
        raise ApiError(
            _("%(message)s可用的值见 /api/v2/%(endpoint)s/。")
            % {"message": exc, "endpoint": endpoint}
        ) from exc


class TopicFilter(BaseFilterBackend):
    """The site's listing filters: ``audience`` (slug), ``tag`` (slug), ``region`` (code:
    the region's subtree, its ancestors and content for the whole jurisdiction, exactly as
    ``ListingFilters.apply``) and, for notices, ``current`` (1: in force, 0: expired).

    Unlike the HTML listings, an unknown value is a 400: a partner's URL is code.
    """

    def filter_queryset(self, request, queryset, view):
        query = view.query
        if not any(query.get(name) for name in TOPIC_PARAMETERS):
            return queryset
        filters = _listing_filters(query)
        current = parse_flag("current", query["current"]) if query.get("current") else None

        model = queryset.model
        if current is not None:
            if model is not RiskNoticePage:
                raise ApiError(_("参数 current 只能与 type=pages.RiskNoticePage 一起使用。"))
            queryset = self._current(queryset, current, ordered="order" not in query)
        if not filters.active:
            return queryset
        # As id subqueries: the search backend accepts a filter on id, not on audiences.
        if issubclass(model, TopicPage):
            return queryset.filter(pk__in=filters.apply(model.objects.all()).values("pk"))
        if model is Page:
            # Untyped (or several types): topic pages of either kind that match.
            matching = models.Q()
            for topic_model in topic_models():
                matching |= models.Q(pk__in=filters.apply(topic_model.objects.all()).values("pk"))
            return queryset.filter(matching)
        raise ApiError(
            _(
                "参数 audience、region 和 tag 只适用于风险提示和典型案例（pages.RiskNoticePage、pages.CaseStudyPage）。"
            )
        )

    @staticmethod
    def _current(queryset, current, ordered):
        if not current:
            return queryset.exclude(current_q())
        queryset = queryset.filter(current_q())
        if ordered:
            # As on the site: most severe first, then newest.
            queryset = queryset.order_by(*RiskNoticePage.current().query.order_by)
        return queryset


class RegionTreeFilter(BaseFilterBackend):
    """``?parent=4309`` (a region code): the regions directly under it."""

    def filter_queryset(self, request, queryset, view):
        parent = _lookup(view.query, "parent", Region, "code", _("上级地区"), "regions")
        if parent is not None:
            queryset = queryset.filter(parent=parent)
        return queryset
