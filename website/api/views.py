"""Endpoints of the read-only API (Wagtail API v2): pages, images, audiences, regions, tags.

Anonymous and JSON only. Every query parameter is checked before use
(``website.api.params``); anything wrong is a 400 with ``{"message": "…"}`` in Chinese,
never a 500. Pages are live and public (no view restriction of any kind, whoever asks), so
an answer never depends on the visitor and the page cache may keep it.
"""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import SuspiciousOperation
from django.db import models
from django.db.models import Prefetch
from django.db.models.functions import Cast
from django.http import Http404, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import status
from rest_framework.exceptions import APIException, NotFound
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from taggit.models import Tag
from wagtail.api import APIField
from wagtail.api.utils import get_full_url
from wagtail.api.v2.filters import (
    AncestorOfFilter,
    ChildOfFilter,
    DescendantOfFilter,
    TranslationOfFilter,
)
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import BaseAPIViewSet, PagesAPIViewSet
from wagtail.images import get_image_model
from wagtail.images.api.v2.views import ImagesAPIViewSet
from wagtail.models import Page, ReferenceIndex, Site

from website.api import params
from website.api.caching import api_answer, cache_headers
from website.api.errors import ApiError, translate
from website.api.filters import (
    TOPIC_PARAMETERS,
    CheckedFieldsFilter,
    CheckedLocaleFilter,
    CheckedOrderingFilter,
    RegionTreeFilter,
    SegmentedSearchFilter,
    TopicFilter,
    filterable_fields,
    topic_models,
)
from website.api.serializers import PublicImageSerializer, PublicPageSerializer
from website.core.params import unknown_names_message
from website.pages.api_fields import RegionField, TagsField, display_field, rendition_field
from website.pages.models.base import LISTING_RENDITION, TopicPage
from website.taxonomy.models import Audience, Region

IMAGE_THUMBNAIL = "max-480x480"
# Parameters that only shape the answer; the detail and find views take these and no others.
SHAPE_PARAMETERS = frozenset(["fields", "rich_text_format", "format", "_"])


def json_message(message, status_code):
    """Return the API's error answer: ``{"message": …}`` with ``status_code``."""
    return Response({"message": str(message)}, status=status_code)


class JSONOnlyNegotiation(BaseContentNegotiation):
    """Always JSON, whatever Accept or ``?format`` says (no 406 for a browser's Accept)."""

    def select_parser(self, request, parsers):
        return None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class ReadOnlyEndpoint:
    """Mixed in before a Wagtail endpoint class: checked parameters, Chinese messages."""

    renderer_classes = [JSONRenderer]
    content_negotiation_class = JSONOnlyNegotiation
    # Parameters filtered by this endpoint's own backends rather than by field value.
    own_filters = frozenset()
    not_found_message = gettext_lazy("没有找到。")
    # How long partners' caches keep an answer (website.api.caching.POLICIES).
    cache_policy = "content"

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.query = params.read_query(request)
        params.check_common(self.query)
        self.check_endpoint_parameters(self.query)

    def check_endpoint_parameters(self, query):
        """Check parameters particular to this endpoint; raises ApiError."""

    def _refuse_unknown(self, allowed):
        unknown = sorted(set(self.query) - set(allowed))
        if unknown:
            raise ApiError(unknown_names_message(unknown, sorted(set(allowed) - {"_"})))

    def check_query_parameters(self, queryset):
        self._refuse_unknown(
            set(self.known_query_parameters)
            | set(filterable_fields(self, queryset.model))
            | set(self.own_filters)
        )

    def detail_view(self, request, pk):
        self._refuse_unknown(SHAPE_PARAMETERS)
        if pk > params.MAX_ID:
            raise Http404
        return super().detail_view(request, pk)

    def find_view(self, request):
        self._refuse_unknown(SHAPE_PARAMETERS | set(self.find_query_parameters))
        return super().find_view(request)

    def handle_exception(self, exc):
        if isinstance(exc, ApiError):
            return json_message(exc, status.HTTP_400_BAD_REQUEST)
        if isinstance(exc, BadRequestError):
            return json_message(translate(str(exc)), status.HTTP_400_BAD_REQUEST)
        if isinstance(exc, Http404 | NotFound):
            return json_message(self.not_found_message, status.HTTP_404_NOT_FOUND)
        if isinstance(exc, SuspiciousOperation):
            return json_message(_("请求有误。"), status.HTTP_400_BAD_REQUEST)
        if isinstance(exc, APIException):
            response = super().handle_exception(exc)
            response.data = {"message": _("请求有误（%(detail)s）。") % {"detail": exc.detail}}
            return response
        return super().handle_exception(exc)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        return cache_headers(request, response, self.cache_policy)


class PagesEndpoint(ReadOnlyEndpoint, PagesAPIViewSet):
    base_serializer_class = PublicPageSerializer
    filter_backends = [
        CheckedFieldsFilter,
        TopicFilter,
        ChildOfFilter,
        AncestorOfFilter,
        DescendantOfFilter,
        CheckedOrderingFilter,
        TranslationOfFilter,
        CheckedLocaleFilter,
        SegmentedSearchFilter,  # last: search results cannot be filtered further
    ]
    # One site: Wagtail's ``site`` parameter would only add ways to fail.
    known_query_parameters = (PagesAPIViewSet.known_query_parameters - {"site"}) | set(
        TOPIC_PARAMETERS
    )
    own_filters = frozenset(TOPIC_PARAMETERS)
    not_found_message = gettext_lazy("没有这个页面，或它没有公开发布。")

    def check_endpoint_parameters(self, query):
        params.check_pages(query)

    def get_base_queryset(self):
        """Return the live pages of the requested site that have no view restriction."""
        site = Site.find_for_request(self.request)
        if site is None:
            return Page.objects.none()
        return Page.objects.live().public().descendant_of(site.root_page, inclusive=True)

    def get_queryset(self):
        queryset = super().get_queryset()
        if issubclass(queryset.model, TopicPage):
            # Everything the topic fields show, in a fixed number of queries per listing.
            queryset = queryset.select_related("region").prefetch_related(
                "audiences",
                "tags",
                Prefetch(
                    "listing_image",
                    queryset=get_image_model().objects.prefetch_renditions(LISTING_RENDITION),
                ),
            )
        elif hasattr(queryset.model, "api_queryset"):
            # Other apps' page types prefetch what their api_fields read (campaigns: events).
            queryset = queryset.model.api_queryset(queryset)
        return queryset


def public_image_filter():
    """Return a Q for images that live public pages use (listing image or in the body).

    Images uploaded for drafts or private pages stay out of the API until published.
    """
    pages = Page.objects.live().public()
    image_type = ContentType.objects.get_for_model(get_image_model())
    used_in_pages = (
        ReferenceIndex.objects.filter(
            base_content_type=ContentType.objects.get_for_model(Page),
            object_id__in=pages.annotate(key=Cast("pk", models.CharField())).values("key"),
            to_content_type=image_type,
        )
        .annotate(image_id=Cast("to_object_id", models.IntegerField()))
        .values("image_id")
    )
    # Listing images directly too: the reference index may lag behind a publish.
    used = models.Q(pk__in=used_in_pages)
    for model in topic_models():
        used |= models.Q(
            pk__in=model.objects.live()
            .public()
            .filter(listing_image__isnull=False)
            .values("listing_image")
        )
    return used


class ImagesEndpoint(ReadOnlyEndpoint, ImagesAPIViewSet):
    base_serializer_class = PublicImageSerializer
    filter_backends = [CheckedFieldsFilter, CheckedOrderingFilter, SegmentedSearchFilter]
    body_fields = ImagesAPIViewSet.body_fields + [
        APIField("thumbnail", serializer=rendition_field(IMAGE_THUMBNAIL, "*")),
    ]
    meta_fields = BaseAPIViewSet.meta_fields + [
        APIField("tags", serializer=TagsField()),
        "download_url",
    ]
    not_found_message = gettext_lazy("没有这张图片，或它不在已发布的页面上。")
    cache_policy = "images"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .filter(public_image_filter())
            .prefetch_related("tags")
            .prefetch_renditions(IMAGE_THUMBNAIL)
        )


TAXONOMY_PARAMETERS = BaseAPIViewSet.known_query_parameters - {"search", "search_operator"}


class TaxonomyEndpoint(ReadOnlyEndpoint, BaseAPIViewSet):
    """Reference data: listed, filtered by field value, found by id or by its key field."""

    filter_backends = [CheckedFieldsFilter, CheckedOrderingFilter]
    known_query_parameters = TAXONOMY_PARAMETERS
    cache_policy = "reference"
    key_field = None  # what ``find/?<key_field>=…`` looks up, besides id

    def find_object(self, queryset, request):
        if self.key_field in self.query:
            return queryset.filter(**{self.key_field: self.query[self.key_field]}).first()
        return super().find_object(queryset, request)


class AudiencesEndpoint(TaxonomyEndpoint):
    model = Audience
    name = "audiences"
    body_fields = ["id", "name", "slug", "entry_label", "description", "sort_order"]
    listing_default_fields = ["id", "type", "detail_url", "name", "slug"]
    nested_default_fields = ["id", "type", "detail_url", "name", "slug"]
    find_query_parameters = frozenset(["id", "slug"])
    key_field = "slug"
    not_found_message = gettext_lazy("没有这个人群。")

    def get_queryset(self):
        return Audience.objects.order_by("sort_order", "name", "id")


class RegionsEndpoint(TaxonomyEndpoint):
    model = Region
    name = "regions"
    filter_backends = [RegionTreeFilter, CheckedFieldsFilter, CheckedOrderingFilter]
    known_query_parameters = TAXONOMY_PARAMETERS | {"parent"}
    own_filters = frozenset(["parent"])
    body_fields = [
        "id",
        "name",
        "code",
        "level",
        APIField("level_display", serializer=display_field("get_level_display")),
        APIField("parent", serializer=RegionField()),
        "path",
    ]
    listing_default_fields = ["id", "type", "detail_url", "name", "code", "level", "parent"]
    nested_default_fields = ["id", "type", "detail_url", "name", "code"]
    find_query_parameters = frozenset(["id", "code"])
    key_field = "code"
    not_found_message = gettext_lazy("没有这个地区。")

    def get_queryset(self):
        return Region.objects.select_related("parent").order_by("path")


class TagsEndpoint(TaxonomyEndpoint):
    model = Tag
    name = "tags"
    body_fields = ["id", "name", "slug"]
    listing_default_fields = ["id", "type", "detail_url", "name", "slug"]
    nested_default_fields = ["id", "type", "detail_url", "name", "slug"]
    find_query_parameters = frozenset(["id", "slug"])
    key_field = "slug"
    not_found_message = gettext_lazy("没有这个类型标签。")

    def get_queryset(self):
        return Tag.objects.order_by("name", "id")


# By name: DRF's as_view() resets each class's own ``name`` attribute to None.
ENDPOINTS = {
    "pages": PagesEndpoint,
    "images": ImagesEndpoint,
    "audiences": AudiencesEndpoint,
    "regions": RegionsEndpoint,
    "tags": TagsEndpoint,
}


def _json(data, status_code=200):
    return JsonResponse(data, status=status_code, json_dumps_params={"ensure_ascii": False})


@api_answer("reference")
def index(request):
    """Return the endpoints of the API, as absolute URLs."""
    return _json(
        {
            "name": _("防非只读接口"),
            "version": "v2",
            "openapi": get_full_url(request, reverse("api_openapi")),
            "endpoints": {
                name: get_full_url(request, reverse(f"wagtailapi:{name}:listing"))
                for name in ENDPOINTS
            },
            # The check-before-you-pay tools beside the content endpoints.
            "tools": {
                "lookup": get_full_url(request, reverse("api_lookup")),
                "check": get_full_url(request, reverse("redflags_api_check")),
            },
        }
    )


@api_answer("content")
def not_found(request):
    """Return a JSON 404 for any path under /api/ that is no endpoint."""
    return _json({"message": _("没有这个接口地址；可用的接口见 /api/v2/。")}, 404)
