from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import Tag, TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.api import APIField
from wagtail.fields import StreamField
from wagtail.search import index

from website.core import api_schema as js
from website.pages.api_fields import display_field, flag_field
from website.pages.blocks import BodyBlock
from website.pages.models.base import TopicIndexPage, TopicPage, listing_queryset


class RiskNoticePageTag(TaggedItemBase):
    content_object = ParentalKey(
        "pages.RiskNoticePage", on_delete=models.CASCADE, related_name="tagged_items"
    )
    # Named again only to give it a Chinese label (the admin shows "… → 标签", not "→ Tag").
    tag = models.ForeignKey(
        Tag,
        verbose_name=_("标签"),
        related_name="%(app_label)s_%(class)s_items",
        on_delete=models.CASCADE,
    )

    class Meta:
        verbose_name = _("风险提示标签")
        verbose_name_plural = _("风险提示标签")


def current_q(today=None):
    """Return a Q for notices still in force today (Asia/Shanghai)."""
    today = today or timezone.localdate()
    return models.Q(valid_until__isnull=True) | models.Q(valid_until__gte=today)


class RiskNoticePage(TopicPage):
    """风险提示: a current warning with a level and an expiry date."""

    class Level(models.TextChoices):
        NOTICE = "notice", _("提示")
        WARNING = "warning", _("警示")
        SEVERE = "severe", _("严重警示")

    level = models.CharField(_("级别"), max_length=10, choices=Level.choices, default=Level.NOTICE)
    issued_on = models.DateField(_("发布日期"), default=timezone.localdate)
    valid_until = models.DateField(
        _("有效期至"),
        null=True,
        blank=True,
        help_text=_("过了这一天自动标为“已过期”；留空表示长期有效。"),
    )
    body = StreamField(BodyBlock(), verbose_name=_("正文"), use_json_field=True)
    tags = ClusterTaggableManager(
        through=RiskNoticePageTag, blank=True, verbose_name=_("幌子与行业")
    )

    content_panels = TopicPage.content_panels + [
        FieldRowPanel([FieldPanel("level"), FieldPanel("issued_on"), FieldPanel("valid_until")]),
        FieldPanel("summary"),
        FieldPanel("listing_image"),
        FieldPanel("body"),
        *TopicPage.classification_panels,
    ]
    search_fields = TopicPage.search_fields + [
        index.FilterField("level"),
        index.FilterField("issued_on"),  # the API orders search results by it
        index.FilterField("valid_until"),
    ]
    api_fields = [
        "level",
        APIField("level_display", serializer=display_field("get_level_display")),
        "issued_on",
        "valid_until",
        APIField("is_expired", serializer=flag_field()),
        "summary",
        "body",
        *TopicPage.api_fields,
    ]
    api_schema = {
        "level": js.choices(Level),
        "level_display": js.string(),
        "issued_on": js.date(),
        "valid_until": js.date(nullable=True),
        "is_expired": js.boolean(),
        "summary": js.string(),
        "body": js.stream(),
        **TopicPage.api_schema,
    }
    # Partners embed a notice as a card (website.embeds reads this; nothing here imports it).
    embed_widget = "notice"
    parent_page_types = ["pages.RiskNoticeIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("风险提示")
        verbose_name_plural = _("风险提示")

    def clean(self):
        super().clean()
        if self.valid_until and self.issued_on and self.valid_until < self.issued_on:
            raise ValidationError({"valid_until": _("有效期不能早于发布日期。")})

    @property
    def is_expired(self):
        return self.valid_until is not None and self.valid_until < timezone.localdate()

    @classmethod
    def current(cls):
        """Return live notices still in force, most severe and newest first."""
        return (
            listing_queryset(cls)
            .filter(current_q())
            .order_by(
                models.Case(
                    models.When(level=cls.Level.SEVERE, then=0),
                    models.When(level=cls.Level.WARNING, then=1),
                    default=2,
                ),
                "-issued_on",
                "-pk",
            )
        )


class RiskNoticeIndexPage(TopicIndexPage):
    child_model = RiskNoticePage
    ordering = ("-issued_on", "-pk")
    # Partners embed the section as the list of current notices.
    embed_widget = "notices"

    parent_page_types = ["pages.HomePage"]
    subpage_types = ["pages.RiskNoticePage"]
    max_count_per_parent = 1
    cache_query_params = (*TopicIndexPage.cache_query_params, "status")

    class Meta:
        verbose_name = _("风险提示栏目")

    def listing_key(self, request):
        return "expired" if request.GET.get("status") == "expired" else "current"

    def items(self, request, filters):
        """List current notices, or expired ones with ``?status=expired``."""
        items = super().items(request, filters)
        if request.GET.get("status") == "expired":
            return items.exclude(current_q())
        return items.filter(current_q())
