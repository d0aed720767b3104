from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import Tag, TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.search import index

from website.core import api_schema as js
from website.pages.blocks import BodyBlock
from website.pages.models.base import TopicIndexPage, TopicPage
from website.search.fields import SegmentedSearchField


class CaseStudyPageTag(TaggedItemBase):
    content_object = ParentalKey(
        "pages.CaseStudyPage", on_delete=models.CASCADE, related_name="tagged_items"
    )
    # Named again only to give it a Chinese label (the admin shows "… → 标签", not "→ Tag").
    tag = models.ForeignKey(
        Tag,
        verbose_name=_("标签"),
        related_name="%(app_label)s_%(class)s_items",
        on_delete=models.CASCADE,
    )

    class Meta:
        verbose_name = _("典型案例标签")
        verbose_name_plural = _("典型案例标签")


class CaseStudyPage(TopicPage):
    """典型案例: what happened, the pitch, the red flags, and how it ended."""

    case_date = models.DateField(_("案发时间"), help_text=_("案件发生或被查处的日期"))
    body = StreamField(BodyBlock(), verbose_name=_("案情"), use_json_field=True)
    outcome = models.TextField(_("处置结果"), blank=True, help_text=_("查处、判决、追赃挽损情况"))
    amount_involved = models.DecimalField(
        _("涉案金额（万元）"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    victims = models.PositiveIntegerField(_("受害人数"), null=True, blank=True)
    tags = ClusterTaggableManager(
        through=CaseStudyPageTag, blank=True, verbose_name=_("幌子与行业")
    )

    content_panels = TopicPage.content_panels + [
        FieldPanel("summary"),
        FieldPanel("listing_image"),
        FieldPanel("case_date"),
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldPanel("outcome"),
                FieldRowPanel([FieldPanel("amount_involved"), FieldPanel("victims")]),
            ],
            heading=_("结果与规模"),
        ),
        *TopicPage.classification_panels,
    ]
    search_fields = TopicPage.search_fields + [
        SegmentedSearchField("outcome"),
        index.FilterField("case_date"),
    ]
    api_fields = [
        "case_date",
        "summary",
        "body",
        "outcome",
        "amount_involved",
        "victims",
        *TopicPage.api_fields,
    ]
    api_schema = {
        "case_date": js.date(nullable=True),
        "summary": js.string(),
        "body": js.stream(),
        "outcome": js.string(),
        "amount_involved": js.string(nullable=True, pattern=r"^-?[0-9]+(\.[0-9]+)?$"),
        "victims": js.integer(nullable=True, minimum=0),
        **TopicPage.api_schema,
    }
    # Partners embed a case as a card (website.embeds reads this; nothing here imports it).
    embed_widget = "case"
    parent_page_types = ["pages.CaseStudyIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("典型案例")
        verbose_name_plural = _("典型案例")


class CaseStudyIndexPage(TopicIndexPage):
    child_model = CaseStudyPage
    ordering = ("-case_date", "-pk")

    parent_page_types = ["pages.HomePage"]
    subpage_types = ["pages.CaseStudyPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("典型案例栏目")
