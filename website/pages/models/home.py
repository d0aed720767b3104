from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.http import Http404
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.models import Orderable, Page

from website.core import api_schema as js
from website.core.cache import BodyCachedPage, cached_for_content
from website.pages.forms import PageForm
from website.pages.models.base import filter_choices, listing_queryset, with_renditions
from website.pages.models.case_studies import CaseStudyIndexPage, CaseStudyPage
from website.pages.models.risk_notices import RiskNoticeIndexPage, RiskNoticePage
from website.search.fields import SegmentedSearchField, page_search_fields
from website.taxonomy.models import Audience

HOME_NOTICES = 5
HOME_CASES = 3
AUDIENCE_ITEMS = 6


class HomePageFeaturedCase(Orderable):
    home = ParentalKey("pages.HomePage", on_delete=models.CASCADE, related_name="featured_cases")
    case = models.ForeignKey(
        "pages.CaseStudyPage", verbose_name=_("案例"), on_delete=models.CASCADE, related_name="+"
    )

    panels = [FieldPanel("case")]


class HomePage(BodyCachedPage, RoutablePageMixin, Page):
    """The front page: current warnings first, then a way in for each audience."""

    base_form_class = PageForm

    intro = models.CharField(
        _("导语"),
        max_length=200,
        blank=True,
        default="看清高息诱惑，守住养老钱、血汗钱。",
    )

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        InlinePanel("featured_cases", label=_("推荐案例"), max_num=6),
    ]
    search_fields = page_search_fields(
        SegmentedSearchField("intro"),
    )
    api_fields = ["intro"]
    api_schema = {"intro": js.string()}
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "pages.RiskNoticeIndexPage",
        "pages.CaseStudyIndexPage",
        "pages.StandardPage",
        "quiz.QuizPage",
        "campaigns.CampaignIndexPage",
    ]
    max_count = 1

    class Meta:
        verbose_name = _("首页")

    def featured(self):
        """Return the editors' picks, or the newest cases when none are picked."""
        picked_ids = [fc.case_id for fc in self.featured_cases.all()]
        cases = listing_queryset(CaseStudyPage)
        if picked_ids:
            by_id = {c.pk: c for c in cases.filter(pk__in=picked_ids)}
            return [by_id[i] for i in picked_ids if i in by_id]
        return list(cases.order_by("-case_date", "-pk")[:HOME_CASES])

    def sections(self):
        """Return the notice and case index pages under this home page (one query).

        Plain Page objects are enough for links; ``.specific()`` would cost a query per type.
        """
        notice_type = ContentType.objects.get_for_model(RiskNoticeIndexPage)
        case_type = ContentType.objects.get_for_model(CaseStudyIndexPage)
        found = {}
        for page in self.get_children().live().filter(content_type__in=[notice_type, case_type]):
            found.setdefault(page.content_type_id, page)
        return found.get(notice_type.pk), found.get(case_type.pk)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)

        def build():
            notice_index, case_index = self.sections()
            return {
                "notices": list(RiskNoticePage.current()[:HOME_NOTICES]),
                "featured_cases": with_renditions(self.featured()),
                "notice_index": notice_index,
                "case_index": case_index,
            }

        if getattr(request, "is_preview", False):
            context.update(build())
        else:
            # Changes only on publish (content version) or at midnight (notices expire).
            context.update(cached_for_content(f"home:{self.pk}:{timezone.localdate()}", build))
        context.update(
            audiences=filter_choices()["audiences"],
            campaign=self.current_campaign(request),
        )
        return context

    def current_campaign(self, request):
        """Return what the campaign slot shows, from the first ``current_campaign`` hook.

        The campaigns app registers the hook; without it the slot stays empty.
        """
        for fn in hooks.get_hooks("current_campaign"):
            campaign = fn(request)
            if campaign is not None:
                return campaign
        return None

    @path("for/<slug:slug>/", name="audience")
    def audience(self, request, slug):
        """A landing page for one audience: its current notices and its case studies."""
        audience = Audience.objects.filter(slug=slug).first()
        if audience is None:
            raise Http404(_("没有这个人群。"))
        notice_index, case_index = self.sections()
        return TemplateResponse(
            request,
            "pages/audience_page.html",
            {
                "page": self,
                "notice_index": notice_index,
                "case_index": case_index,
                "audience": audience,
                "audience_notices": list(
                    RiskNoticePage.current().filter(audiences=audience)[:AUDIENCE_ITEMS]
                ),
                "audience_cases": list(
                    listing_queryset(CaseStudyPage)
                    .filter(audiences=audience)
                    .order_by("-case_date", "-pk")[:AUDIENCE_ITEMS]
                ),
            },
        )
