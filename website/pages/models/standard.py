from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page

from website.core import api_schema as js
from website.core.cache import BodyCachedPage
from website.pages.blocks import BodyBlock
from website.pages.forms import PageForm
from website.search.fields import SegmentedSearchField, page_search_fields


class StandardPage(BodyCachedPage, Page):
    """A plain page: about us, how to report, legal basis."""

    base_form_class = PageForm

    intro = models.TextField(_("导语"), blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("正文"), use_json_field=True, blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    search_fields = page_search_fields(
        SegmentedSearchField("intro"),
        SegmentedSearchField("body"),
    )
    api_fields = ["intro", "body"]
    api_schema = {"intro": js.string(), "body": js.stream()}
    parent_page_types = ["pages.HomePage", "pages.StandardPage"]
    subpage_types = ["pages.StandardPage"]

    class Meta:
        verbose_name = _("普通页面")
