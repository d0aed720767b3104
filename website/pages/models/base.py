"""What case studies and risk notices share: audiences, region, tags, a listing image, and
index pages that filter them by those three and paginate.
"""

from django import forms
from django.core.paginator import Page as DjangoPage
from django.core.paginator import Paginator
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from taggit.models import Tag
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.images import get_image_model
from wagtail.models import Page
from wagtail.search import index

from website.core import api_schema as js
from website.core.cache import BodyCachedPage, cached_for_content
from website.core.params import clean_param
from website.pages.api_fields import (
    IMAGE_REF,
    NAMED,
    REGION,
    RENDITION,
    AudiencesField,
    RegionField,
    TagsField,
    nullable,
    rendition_field,
)
from website.pages.forms import PageForm
from website.search.fields import SegmentedSearchField, page_search_fields
from website.taxonomy.models import Audience, Region

LISTING_RENDITION = "fill-480x270"
PAGE_SIZE = 12


class TopicPage(BodyCachedPage, Page):
    """A piece of content about one scam: for whom, where, under which pretexts."""

    base_form_class = PageForm

    summary = models.TextField(
        _("摘要"),
        max_length=400,
        # TextField's max_length only reaches the admin form; imports and the API need this.
        validators=[MaxLengthValidator(400)],
        help_text=_("一两句话说清要点，显示在列表和分享卡片上。"),
    )
    listing_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("列表图片"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    audiences = ParentalManyToManyField(
        Audience, verbose_name=_("重点人群"), blank=True, related_name="+"
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("地区"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("留空表示适用于全辖区。"),
    )

    classification_panels = [
        MultiFieldPanel(
            [
                FieldPanel("audiences", widget=forms.CheckboxSelectMultiple),
                FieldPanel("region"),
                FieldPanel("tags"),
            ],
            heading=_("分类"),
        )
    ]

    search_fields = page_search_fields(
        SegmentedSearchField("summary"),
        SegmentedSearchField("body"),
        index.RelatedFields("tags", [SegmentedSearchField("name")]),
        index.RelatedFields("audiences", [SegmentedSearchField("name")]),
        index.FilterField("region"),
    )
    # What media partners read through /api/v2/pages/ (subclasses put theirs first).
    api_fields = [
        APIField("audiences", serializer=AudiencesField()),
        APIField("region", serializer=RegionField()),
        APIField("tags", serializer=TagsField()),
        "listing_image",
        APIField(
            "listing_image_thumbnail",
            serializer=rendition_field(LISTING_RENDITION, "listing_image"),
        ),
        "last_published_at",
    ]
    # What each of api_fields holds (JSON Schema), for the OpenAPI description.
    api_schema = {
        "audiences": js.array(NAMED),
        "region": nullable(REGION),
        "tags": js.array(NAMED),
        "listing_image": IMAGE_REF,
        "listing_image_thumbnail": RENDITION,
        "last_published_at": js.datetime(nullable=True),
    }

    # Link previews and search engines read cases and notices as articles (JSON-LD).
    schema_type = "Article"

    class Meta:
        abstract = True

    def facts(self):
        """Return what the facts box shows: audiences, tags, region and section."""
        parent = self.get_parent()
        return {
            "audiences": list(self.audiences.all()),
            "tags": list(self.tags.all()),
            "region": self.region,
            "region_name": self.region.full_name if self.region else "",
            "section_url": parent.url,
            "section_title": parent.title,
        }

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        if getattr(request, "is_preview", False):
            context["facts"] = self.facts()
        else:
            context["facts"] = cached_for_content(f"facts:{self.pk}", self.facts)
        return context

    def get_sitemap_urls(self, request=None):
        return [{**entry, "changefreq": "weekly"} for entry in super().get_sitemap_urls(request)]


class ListingFilters:
    """Filters read from a listing's query string: ``audience``, ``tag``, ``region``.

    Unknown values are ignored (and reported in ``ignored``) rather than raising, so a
    stale or mangled shared link still shows a useful page.
    """

    def __init__(self, params, choices=None):
        self.ignored = []
        self.choices = choices or {}
        self.audience = self._lookup(params, "audience", Audience.objects, "slug", _("人群"))
        self.tag = self._lookup(params, "tag", Tag.objects, "slug", _("类型"))
        self.region = self._lookup(params, "region", Region.objects, "code", _("地区"))

    def _lookup(self, params, name, queryset, field, label):
        raw = params.get(name, "")
        value = clean_param(raw, max_length=101)
        if not value:
            if raw.strip():
                self.ignored.append(label)
            return None
        if len(value) > 100:
            self.ignored.append(label)
            return None
        known = {getattr(o, field): o for o in self.choices.get(f"{name}s", [])}
        found = known.get(value) or queryset.filter(**{field: value}).first()
        if found is None:
            self.ignored.append(label)
        return found

    def apply(self, queryset):
        if self.audience:
            queryset = queryset.filter(audiences=self.audience)
        if self.tag:
            queryset = queryset.filter(tags=self.tag)
        if self.region:
            # A region's content includes its subtree; content for the whole jurisdiction
            # (no region) and for the region's ancestors also applies to people there.
            ancestors = [c for c in self.region.path.strip("/").split("/") if c]
            queryset = queryset.filter(
                models.Q(region__path__startswith=self.region.path)
                | models.Q(region__code__in=ancestors)
                | models.Q(region__isnull=True)
            )
        return queryset

    def as_query(self, **changes):
        """Return the current filters as a dict, with ``changes`` applied (None removes)."""
        current = {
            "audience": self.audience.slug if self.audience else None,
            "tag": self.tag.slug if self.tag else None,
            "region": self.region.code if self.region else None,
        }
        current.update(changes)
        return {k: v for k, v in current.items() if v}

    @property
    def active(self):
        return any((self.audience, self.tag, self.region))

    @property
    def key(self):
        """A cache-key part that identifies these filters."""
        return ":".join(f"{k}={v}" for k, v in sorted(self.as_query().items()))


def with_renditions(items):
    """Return ``items`` after making sure each listing image has its listing rendition.

    Lists are cached with their prefetched renditions, and Wagtail trusts a prefetched list
    completely: a rendition missing from it would be regenerated on every render.
    """
    for item in items:
        if item.listing_image is not None:
            item.listing_image.get_rendition(LISTING_RENDITION)
    return items


def listing_queryset(model):
    """Return live ``model`` pages with everything a listing card shows, in constant queries."""
    return (
        model.objects.live()
        .public()
        .select_related("region")
        .prefetch_related(
            "audiences",
            "tags",
            Prefetch(
                "listing_image",
                queryset=get_image_model().objects.prefetch_renditions(LISTING_RENDITION),
            ),
        )
    )


class TopicIndexPage(BodyCachedPage, Page):
    """A filterable, paginated list of one kind of TopicPage."""

    base_form_class = PageForm

    intro = models.TextField(_("导语"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    search_fields = page_search_fields(
        SegmentedSearchField("intro"),
    )
    api_fields = ["intro"]
    api_schema = {"intro": js.string()}

    # Set by subclasses.
    child_model = None
    ordering = ("-first_published_at",)
    # What get_context reads from the query string; the page cache keys on these alone.
    cache_query_params = ("audience", "region", "tag", "page")

    class Meta:
        abstract = True

    def items(self, request, filters):
        """Return the queryset this index lists for ``request``; subclasses narrow it."""
        return filters.apply(listing_queryset(self.child_model).child_of(self)).order_by(
            *self.ordering
        )

    def listing_key(self, request):
        """Extra cache-key part for what ``items`` reads from the request besides filters."""
        return ""

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        choices = filter_choices()
        filters = ListingFilters(request.GET, choices)
        number = page_number(request.GET.get("page"))

        def build():
            paginator = Paginator(self.items(request, filters), PAGE_SIZE)
            page = paginator.get_page(number)
            return paginator.count, page.number, with_renditions(list(page.object_list))

        key = f"listing:{self.pk}:{filters.key}:{self.listing_key(request)}:{number}:{timezone.localdate()}"
        if getattr(request, "is_preview", False):
            count, number, items = build()
        else:
            count, number, items = cached_for_content(key, build)
        page = DjangoPage(items, number, Paginator(_Counted(count), PAGE_SIZE))
        context.update(filters=filters, items=page, **choices)
        return context


class _Counted:
    """Stands in for a list of known length: all a Paginator needs to number pages."""

    def __init__(self, count):
        self._count = count

    def count(self):
        return self._count

    def __len__(self):
        return self._count


def page_number(raw):
    """Return the page number asked for as a small positive int (junk gives 1)."""
    try:
        return min(max(int(clean_param(raw, 12)), 1), 10_000)
    except ValueError:
        return 1


def filter_choices():
    """Return the audiences, tags and regions a listing offers as filters (cached)."""
    return cached_for_content(
        "listing-filter-choices",
        lambda: {
            "audiences": list(Audience.objects.all()),
            "tags": list(Tag.objects.order_by("name")),
            "regions": list(Region.objects.filter(level__lte=Region.Level.COUNTY)),
        },
    )
