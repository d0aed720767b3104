"""Wagtail's API serializers with every URL on the public address (WAGTAILAPI_BASE_URL).

Wagtail builds ``html_url`` from the Site record's hostname and port, which on a fresh
install say ``http://localhost`` whatever address the site is served on; ``detail_url``
already uses WAGTAILAPI_BASE_URL, and now ``html_url`` and ``download_url`` do too.
"""

from rest_framework.fields import Field
from wagtail.api.utils import get_full_url
from wagtail.api.v2.serializers import PageParentField, PageSerializer, get_serializer_class
from wagtail.images.api.v2.serializers import ImageSerializer


class PublicPageUrlField(Field):
    """Serializes a page's public address, absolute (null if it has none)."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def get_attribute(self, instance):
        return instance

    def to_representation(self, page):
        request = self.context["request"]
        url = page.get_url(request=request)
        return get_full_url(request, url) if url else None


class PublicParentField(PageParentField):
    def to_representation(self, value):
        serializer_class = get_serializer_class(
            value.__class__,
            ["id", "type", "detail_url", "html_url", "title"],
            meta_fields=["type", "detail_url", "html_url"],
            base=PublicPageSerializer,
        )
        return serializer_class(context=self.context).to_representation(value)


class PublicPageSerializer(PageSerializer):
    html_url = PublicPageUrlField()
    parent = PublicParentField(read_only=True)


class ImageDownloadUrlField(Field):
    """Serializes the original file's absolute address."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def get_attribute(self, instance):
        return instance

    def to_representation(self, image):
        return get_full_url(self.context["request"], image.file.url)


class PublicImageSerializer(ImageSerializer):
    download_url = ImageDownloadUrlField()
