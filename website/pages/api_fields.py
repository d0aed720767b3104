"""Serializer fields that page models name in their ``api_fields``.

They live with the pages, as Wagtail's ``APIField`` lives in ``wagtail.api``: a page model
describes what the read-only API shows of it, and ``website.api`` (a layer above) serves it,
so the pages never import the API.

Each field's shape is written beside it as JSON Schema (``NAMED``, ``REGION``, …), which the
page models' ``api_schema`` use and the OpenAPI description publishes.

Each reads only what a listing query has already fetched (``select_related`` and
``prefetch_related`` in ``website.api.views``), so a listing costs the same number of SQL
queries whatever its length. Wagtail's own TagsField re-queries per item; these do not.
"""

from rest_framework import serializers
from wagtail.images.api.fields import ImageRenditionField

from website.core import api_schema as js

# An audience or a tag: {"slug", "name"}.
NAMED = js.obj({"slug": js.string(), "name": js.string()}, required=["slug", "name"])
# A region as pages, campaigns and events give it (RegionField).
REGION = js.obj(
    {"code": js.string(pattern="^[0-9]{2,12}$"), "name": js.string(), "level": js.integer()},
    required=["code", "name", "level"],
)
# An image rendition (rendition_field), null without an image.
RENDITION = js.obj(
    {
        "url": js.string(),
        "full_url": js.url(),
        "width": js.integer(minimum=1),
        "height": js.integer(minimum=1),
        "alt": js.string(),
    },
    nullable=True,
)
# An image named by a page (Wagtail's nested image serializer), null without one.
IMAGE_REF = js.obj(
    {
        "id": js.integer(),
        "meta": js.obj({"type": js.string(), "detail_url": js.url(), "download_url": js.url()}),
        "title": js.string(),
    },
    nullable=True,
)


def nullable(schema):
    """Return ``schema`` (an object) that may also be null, e.g. a region left empty (全辖区)."""
    return {**schema, "type": ["object", "null"]}


class AudiencesField(serializers.Field):
    """Serializes a page's audiences as ``[{"slug": …, "name": …}, …]``."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        return [{"slug": a.slug, "name": a.name} for a in value.all()]


class RegionField(serializers.Field):
    """Serializes a region as ``{"code": …, "name": …, "level": …}`` (null: 全辖区)."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        return {"code": value.code, "name": value.name, "level": value.level}


class TagsField(serializers.Field):
    """Serializes taggit tags as ``[{"slug": …, "name": …}, …]``, sorted by name."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        tags = sorted(value.all(), key=lambda t: t.name)
        return [{"slug": t.slug, "name": t.name} for t in tags]


def display_field(method):
    """Return a read-only field holding ``method()``, e.g. ``get_level_display``."""
    return serializers.CharField(source=method, read_only=True)


def flag_field():
    """Return a read-only boolean field for a model property such as ``is_expired``."""
    return serializers.BooleanField(read_only=True)


def rendition_field(filter_spec, source):
    """Return a field with the ``filter_spec`` rendition of image ``source``: url, full_url,
    width, height and alt (null without an image)."""
    return ImageRenditionField(filter_spec, source=source, read_only=True)
