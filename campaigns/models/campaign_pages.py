"""Campaign pages (宣传月 / 宣传周 / 宣传日) and their index: current, upcoming, past."""

import datetime
from dataclasses import dataclass

from django import forms
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    PageChooserPanel,
)
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page

from campaigns.pages.api_fields import (
    EVENT,
    CalendarUrlField,
    EventsField,
    PhaseField,
    RegionsField,
    WebcalUrlField,
)
from website.core import api_schema as js
from website.core.cache import cached_for_content
from website.pages.api_fields import NAMED, REGION, AudiencesField, display_field
from website.pages.blocks import BodyBlock
from website.pages.forms import PageForm
from website.search.fields import SegmentedSearchField, page_search_fields
from website.taxonomy.models import Audience, Region
from website.taxonomy.widgets import RegionSelectMultiple


def _quiz_panels():
    if apps.is_installed("quiz"):
        return [PageChooserPanel("related_quiz", page_type="quiz.QuizPage")]
    return []


class CampaignRelatedPage(Orderable):
    """A notice or case study shown with a campaign."""

    campaign = ParentalKey(
        "campaigns.CampaignPage", on_delete=models.CASCADE, related_name="related_pages"
    )
    page = models.ForeignKey(
        "wagtailcore.Page", verbose_name=_("相关页面"), on_delete=models.CASCADE, related_name="+"
    )

    panels = [PageChooserPanel("page", page_type=["pages.RiskNoticePage", "pages.CaseStudyPage"])]


@dataclass
class CampaignSlot:
    """What the home page's campaign slot renders (``{% include campaign.template %}``)."""

    page: "CampaignPage"
    events: list
    template: str = "campaigns/pages/campaign_slot.html"


class CampaignPage(RoutablePageMixin, Page):
    """A publicity month, week or day: theme, dates, audiences, regions, body, events."""

    base_form_class = PageForm

    class Kind(models.TextChoices):
        MONTH = "month", _("宣传月")
        WEEK = "week", _("宣传周")
        DAY = "day", _("宣传日")

    kind = models.CharField(_("类型"), max_length=5, choices=Kind.choices, default=Kind.MONTH)
    theme = models.CharField(_("主题"), max_length=120)
    start_date = models.DateField(_("开始日期"))
    end_date = models.DateField(_("结束日期"))
    summary = models.TextField(_("摘要"), max_length=400, blank=True)
    audiences = ParentalManyToManyField(
        Audience, verbose_name=_("重点人群"), blank=True, related_name="+"
    )
    regions = ParentalManyToManyField(
        Region,
        verbose_name=_("地区"),
        blank=True,
        related_name="+",
        help_text=_("留空表示全辖区。"),
    )
    body = StreamField(BodyBlock(), verbose_name=_("正文"), blank=True, use_json_field=True)
    related_quiz = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("相关测试"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    content_panels = Page.content_panels + [
        FieldRowPanel([FieldPanel("kind"), FieldPanel("start_date"), FieldPanel("end_date")]),
        FieldPanel("theme"),
        FieldPanel("summary"),
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldPanel("audiences", widget=forms.CheckboxSelectMultiple),
                FieldPanel("regions", widget=RegionSelectMultiple),
            ],
            heading=_("对象与范围"),
        ),
        InlinePanel("related_pages", label=_("相关风险提示与案例")),
        *_quiz_panels(),
    ]
    search_fields = page_search_fields(
        SegmentedSearchField("theme"), SegmentedSearchField("summary"), SegmentedSearchField("body")
    )
    parent_page_types = ["campaigns.CampaignIndexPage"]
    subpage_types = []
    template = "campaigns/pages/campaign_page.html"
    # Partners embed a campaign as a card (website.embeds): oEmbed, share panel, discovery.
    embed_widget = "campaign"
    # /api/v2/pages/?type=campaigns.CampaignPage: what partners need to show a campaign and
    # its events, and the feed their calendars subscribe to.
    api_fields = [
        "kind",
        APIField("kind_display", serializer=display_field("get_kind_display")),
        "theme",
        "start_date",
        "end_date",
        APIField("phase", serializer=PhaseField()),
        "summary",
        "body",
        APIField("audiences", serializer=AudiencesField()),
        APIField("regions", serializer=RegionsField()),
        APIField("events", serializer=EventsField()),
        APIField("calendar_url", serializer=CalendarUrlField()),
        APIField("calendar_webcal_url", serializer=WebcalUrlField()),
        "last_published_at",
    ]
    api_schema = {
        "kind": js.choices(Kind),
        "kind_display": js.string(),
        "theme": js.string(),
        "start_date": js.date(),
        "end_date": js.date(),
        "phase": {"type": "string", "enum": ["upcoming", "current", "past"]},
        "summary": js.string(),
        "body": js.stream(),
        "audiences": js.array(NAMED),
        "regions": js.array(REGION),
        "events": js.array(EVENT),
        "calendar_url": js.url(nullable=True),
        "calendar_webcal_url": js.string(nullable=True, pattern="^webcal://"),
        "last_published_at": js.datetime(nullable=True),
    }

    class Meta:
        verbose_name = _("宣传活动")
        verbose_name_plural = _("宣传活动")

    @classmethod
    def api_queryset(cls, queryset):
        """Return ``queryset`` with what ``api_fields`` read prefetched: a listing costs the
        same queries however many campaigns it holds."""
        from campaigns.models.outreach import OutreachEvent

        return queryset.prefetch_related(
            "audiences",
            "regions",
            models.Prefetch(
                "events",
                queryset=OutreachEvent.objects.public()
                .select_related("channel", "region")
                .order_by("start_at", "pk"),
                to_attr="api_events",
            ),
        )

    def clean(self):
        super().clean()
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("结束日期不能早于开始日期。")})

    # -- state ----------------------------------------------------------------------------
    def phase(self, today=None):
        today = today or timezone.localdate()
        if today < self.start_date:
            return "upcoming"
        if today > self.end_date:
            return "past"
        return "current"

    @property
    def period(self):
        if self.start_date == self.end_date:
            return f"{self.start_date:%Y-%m-%d}"
        return f"{self.start_date:%Y-%m-%d} 至 {self.end_date:%Y-%m-%d}"

    def public_events(self):
        from campaigns.models.outreach import OutreachEvent

        return (
            OutreachEvent.objects.public()
            .filter(campaign=self)
            .select_related("channel", "region")
            .order_by("start_at", "pk")
        )

    def calendar_events(self):
        """Return the events the calendar feeds carry: the public ones and the public ones
        since cancelled, which subscribed calendars must see as cancelled to drop them."""
        from campaigns.models.outreach import OutreachEvent

        return (
            OutreachEvent.objects.filter(campaign=self, is_public=True)
            .select_related("channel", "region")
            .order_by("start_at", "pk")
        )

    def related_items(self):
        ids = [r.page_id for r in self.related_pages.all()]
        pages = {p.pk: p for p in Page.objects.live().public().filter(pk__in=ids).specific()}
        return [pages[i] for i in ids if i in pages]

    def quiz(self):
        if not self.related_quiz_id:
            return None
        return Page.objects.live().public().filter(pk=self.related_quiz_id).first()

    # -- routes ---------------------------------------------------------------------------
    @path("")
    def index_route(self, request, *args, **kwargs):
        now = timezone.now()
        events = list(self.public_events())
        context = self.get_context(request)
        context.update(
            upcoming_events=[e for e in events if e.end_at >= now],
            past_events=[e for e in events if e.end_at < now],
            related_items=self.related_items(),
            quiz=self.quiz(),
        )
        context.update(calendar_links(request, self.reverse_subpage("events_ics"), self))
        return TemplateResponse(request, self.get_template(request), context)

    # Wagtail serves only slash-ended paths of word characters, so ".ics" cannot be in the
    # path: the feed is /…/campaign/ical/ (served as events.ics).
    @path("ical/", name="events_ics")
    def events_ics(self, request):
        from campaigns.pages.ical import calendar_response

        return calendar_response(
            request,
            self.calendar_events(),
            name=self.title,
            filename="events.ics",
            url=self.get_full_url(request) or "",
            page=self,
        )

    @path("events/<int:event_id>/ical/", name="event_ics")
    def event_ics(self, request, event_id):
        from campaigns.pages.ical import calendar_response

        event = self.calendar_events().filter(pk=event_id).first()
        if event is None:
            raise Http404
        return calendar_response(
            request,
            [event],
            name=event.title,
            filename=f"event-{event.pk}.ics",
            url=self.get_full_url(request) or "",
            page=self,
        )


def calendar_links(request, subpath, page):
    """Return the context of a calendar link: the feed's address (https/http, downloads it)
    and its ``webcal://`` twin (calendar apps subscribe to it), for the host asked."""
    from campaigns.pages.ical import webcal_url

    url = page.get_url(request)
    if not url:
        return {}
    ics = request.build_absolute_uri(url + subpath)
    return {"calendar_url": ics, "calendar_webcal_url": webcal_url(ics)}


class CampaignIndexPage(RoutablePageMixin, Page):
    """宣传活动栏目: current campaigns first, then upcoming and past ones; ``ical/`` is the
    calendar of them all."""

    base_form_class = PageForm

    intro = models.TextField(_("导语"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    # Segmented like every page, so the admin's search finds the section by 宣传 or 活动.
    search_fields = page_search_fields(SegmentedSearchField("intro"))
    parent_page_types = ["pages.HomePage"]
    subpage_types = ["campaigns.CampaignPage"]
    max_count_per_parent = 1
    template = "campaigns/pages/campaign_index_page.html"

    class Meta:
        verbose_name = _("宣传活动栏目")

    def grouped(self, today=None):
        today = today or timezone.localdate()
        campaigns = CampaignPage.objects.live().public().child_of(self)
        return {
            "current": list(
                campaigns.filter(start_date__lte=today, end_date__gte=today).order_by(
                    "start_date", "pk"
                )
            ),
            "upcoming": list(campaigns.filter(start_date__gt=today).order_by("start_date", "pk")),
            "past": list(campaigns.filter(end_date__lt=today).order_by("-end_date", "-pk")),
        }

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(self.grouped())
        context.update(calendar_links(request, self.reverse_subpage("campaigns_ics"), self))
        return context

    @path("ical/", name="campaigns_ics")
    def campaigns_ics(self, request):
        """Every live public campaign, past, current and upcoming, as all-day events."""
        from campaigns.pages.ical import campaigns_calendar, ics_response

        pages = list(
            CampaignPage.objects.live().public().child_of(self).order_by("start_date", "pk")
        )
        urls = {p.pk: request.build_absolute_uri(p.get_url(request) or "") for p in pages}
        newest = max((p.last_published_at for p in pages if p.last_published_at), default=None)
        body = campaigns_calendar(pages, self.title, urls)
        return ics_response(request, body, "campaigns.ics", newest, page=self)


def current_campaign(request=None):
    """Return the home slot for the campaign running today (the latest started), or None."""
    today = timezone.localdate()

    def build():
        page = (
            CampaignPage.objects.live()
            .public()
            .filter(start_date__lte=today, end_date__gte=today)
            .order_by("-start_date", "pk")
            .first()
        )
        if page is None:
            return None
        # Today's and later events; which have ended is decided at each request below.
        start_of_day = timezone.make_aware(datetime.datetime.combine(today, datetime.time.min))
        return page, list(page.public_events().filter(end_at__gte=start_of_day)[:10])

    # Every home page render shows the slot: cache it until content changes or the day ends.
    found = cached_for_content(f"campaign-slot:{today}", build)
    if found is None:
        return None
    page, events = found
    now = timezone.now()
    return CampaignSlot(page=page, events=[e for e in events if e.end_at >= now][:3])


__all__ = [
    "CampaignIndexPage",
    "CampaignPage",
    "CampaignRelatedPage",
    "CampaignSlot",
    "current_campaign",
]
