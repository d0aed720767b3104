"""What the notices and cases feeds hold, and how each entry reads.

Both list at most FEED_ITEMS entries, newest first, in a constant number of SQL queries.
Notices: those in force today (``RiskNoticePage.current()``) ordered by issue date rather
than by severity, because feed readers sort by date anyway and a subscriber looks for
what is new; the level leads each entry's content. Cases: live cases by first
publication, which is when they are new to a subscriber (``case_date`` may be years old).
"""

import datetime

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Enclosure
from django.utils.html import escape, format_html, format_html_join
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.models import Site

from website.core.models import ReportingSettings
from website.pages.models import (
    CaseStudyIndexPage,
    CaseStudyPage,
    RiskNoticeIndexPage,
    RiskNoticePage,
)
from website.pages.models.base import LISTING_RENDITION, listing_queryset
from website.taxonomy.models import Region

FEED_ITEMS = 30
DEFAULT_OFFICE = gettext_lazy("防非")


def date_text(value):
    """Return ``value`` (a date) the way Chinese readers write it: 2026年5月15日."""
    return f"{value.year}年{value.month}月{value.day}日"


def local_time(value):
    """Return ``value`` (an aware datetime) in Asia/Shanghai to the whole second, as HTTP
    dates and most feed readers keep no more."""
    return timezone.localtime(value).replace(microsecond=0)


def local_midnight(value):
    """Return the start of the day ``value`` in the site's time zone."""
    return datetime.datetime.combine(value, datetime.time.min, timezone.get_current_timezone())


def region_names(pages):
    """Return {region id: full name (湖南省 益阳市 桃江县)} for the pages' regions, in one
    query for all of them (``Region.full_name`` costs a query per region)."""
    paths = {p.region_id: p.region.path.strip("/").split("/") for p in pages if p.region_id}
    codes = {code for path in paths.values() for code in path}
    if not codes:
        return {}
    names = dict(Region.objects.filter(code__in=codes).values_list("code", "name"))
    return {rid: " ".join(names[c] for c in path if c in names) for rid, path in paths.items()}


class TopicFeed:
    """A feed of one kind of TopicPage for one request and one set of filters."""

    section = ""  # the URL part: /feeds/<section>/rss/
    title = ""
    description = ""  # takes %(office)s
    index_model = None
    # Query parameters this feed reads; any other name is refused (website.pages.filters).
    params = ("audience", "region", "tag")

    def __init__(self, request, filters, level=None):
        self.request = request
        self.filters = filters
        self.level = level

    def query(self):
        """Return the feed's own parameters as a dict: the filters, and the level if any."""
        query = self.filters.as_query()
        if self.level:
            query["level"] = self.level
        return query

    def queryset(self):
        """Return the live pages this feed lists, newest first, before filters."""
        raise NotImplementedError

    def published(self, page):
        """Return when ``page`` appeared, as an aware datetime in Asia/Shanghai."""
        raise NotImplementedError

    def facts(self, page):
        """Return (label, text) pairs that lead the entry's content."""
        return []

    def filter_names(self):
        """Return the names of the active filters: audience, region, tag (and level)."""
        found = (self.filters.audience, self.filters.region, self.filters.tag)
        return [item.name for item in found if item is not None]

    def category_schemes(self):
        """Return {kind: URI} naming what a category is: an audience, a tag or a region.

        The API's listing of each kind, so a program can look the value up there."""
        return {
            kind: self.absolute(reverse(f"wagtailapi:{kind}:listing"))
            for kind in ("audiences", "tags", "regions")
        }

    def build(self, generator_class, feed_url):
        """Return a ``generator_class`` feed with this feed's entries, ready to write."""
        site = Site.find_for_request(self.request)
        pages = self.filters.apply(self.queryset())
        index = self.index_model.objects.live().public()
        if site is not None:
            # Several sites may share the database; each host lists its own pages only.
            pages = pages.descendant_of(site.root_page)
            index = index.descendant_of(site.root_page)
        pages = list(pages[:FEED_ITEMS])
        regions = region_names(pages)
        self.schemes = self.category_schemes()
        settings = ReportingSettings.for_site(site) if site is not None else None
        office = (settings and settings.office_name) or str(DEFAULT_OFFICE)

        entries = [self.entry(page, regions.get(page.region_id)) for page in pages]
        entries = [e for e in entries if e["link"]]
        if entries:
            updated = max(e["updateddate"] for e in entries)
        else:
            updated = local_time(timezone.now())

        index_page = index.first()
        link = self.absolute(index_page.get_url(self.request) if index_page else "/")
        query = urlencode(sorted(self.filters.as_query().items()))
        if query:
            link = f"{link}?{query}"
        description = self.description % {"office": office}
        names = self.filter_names()
        if names:
            description += _("筛选：%(filters)s。") % {"filters": "、".join(names)}
        feed = generator_class(
            title=" · ".join([str(self.title), *names, office]),
            link=link,
            description=description,
            # Atom has no description: its subtitle says the same.
            subtitle=description,
            language="zh-cn",
            feed_url=feed_url,
            feed_guid=feed_url,
            author_name=office,
            ttl="5",
            updated=updated,
        )
        for entry in entries:
            feed.add_item(**entry)
        return feed

    def absolute(self, url):
        """Return ``url`` made absolute for the host the request came to."""
        return self.request.build_absolute_uri(url) if url else ""

    def entry(self, page, region_name):
        """Return the ``add_item`` arguments for ``page``."""
        link = self.absolute(page.get_url(self.request))
        published = self.published(page)
        last = local_time(page.last_published_at) if page.last_published_at else None
        audiences = [a.name for a in page.audiences.all()]
        tags = [t.name for t in page.tags.all()]
        region = region_name or _("全辖区")
        schemes = self.schemes
        rows = [
            *self.facts(page),
            (_("适用人群"), "、".join(audiences) or _("所有人")),
            (_("地区"), region),
        ]
        if tags:
            rows.append((_("类型"), "、".join(tags)))
        content = (
            format_html_join("", "<p><strong>{}：</strong>{}</p>", rows)
            + format_html("<p>{}</p>", page.summary)
            + format_html('<p><a href="{}">{}</a></p>', link, _("阅读全文"))
        )
        return {
            "title": page.title,
            "link": link,
            # RSS descriptions and Atom summaries (type="html") are read as HTML.
            "description": escape(page.summary),
            "content": str(content),
            "pubdate": published,
            "updateddate": max(last, published) if last else published,
            # The page's translation key never changes, whatever its title, slug or host.
            "unique_id": f"urn:uuid:{page.translation_key}",
            "unique_id_is_permalink": False,
            # Written by the generators with a domain (RSS) or scheme (Atom) saying which
            # are audiences, tags and the region; Django's plain categories say nothing.
            "categories": [],
            "scheme_categories": [
                *((schemes["audiences"], name, _("适用人群")) for name in audiences),
                *((schemes["tags"], name, _("类型")) for name in tags),
                (schemes["regions"], region, _("地区")),
            ],
            "enclosures": self.image(page),
            "image": self.image_data(page),
        }

    def _rendition(self, page):
        image = page.listing_image
        if image is None:
            return None
        try:
            return image.get_rendition(LISTING_RENDITION)
        except OSError:  # Wagtail's SourceImageIOError: the original file is missing
            return None

    def image_data(self, page):
        """Return the listing image as {url, width, height, type, alt}, or None."""
        rendition = self._rendition(page)
        if rendition is None:
            return None
        url = rendition.url
        return {
            "url": url if "://" in url else self.absolute(url),
            "width": rendition.width,
            "height": rendition.height,
            "type": _image_type(rendition.file.name),
            "alt": rendition.alt or page.title,
            "rendition": rendition,
        }

    def image(self, page):
        """Return the RSS/Atom enclosure of the listing image ([] without one)."""
        data = self.image_data(page)
        if data is None:
            return []
        try:
            length = data["rendition"].file.size
        except OSError:
            return []
        return [Enclosure(data["url"], str(length), data["type"])]


def _image_type(name):
    extension = name.rsplit(".", 1)[-1].lower()
    return {
        "jpg": "image/jpeg",
        "jpeg": "image/jpeg",
        "png": "image/png",
        "gif": "image/gif",
        "webp": "image/webp",
        "avif": "image/avif",
    }.get(extension, "application/octet-stream")


class NoticeFeed(TopicFeed):
    section = "notices"
    title = gettext_lazy("风险提示")
    description = gettext_lazy("%(office)s发布的现行风险提示，提醒公众识别和防范非法集资。")
    index_model = RiskNoticeIndexPage
    # A bank branch's screen may show only 严重警示: level=severe.
    params = (*TopicFeed.params, "level")

    def queryset(self):
        notices = RiskNoticePage.current()
        if self.level:
            notices = notices.filter(level=self.level)
        return notices.order_by(
            "-issued_on", models.F("first_published_at").desc(nulls_last=True), "-pk"
        )

    def filter_names(self):
        names = super().filter_names()
        if self.level:
            names.append(str(RiskNoticePage.Level(self.level).label))
        return names

    def published(self, page):
        # issued_on is the official date; the time of day comes from first publication
        # when that happened the same day, so same-day notices keep their order.
        first = page.first_published_at and local_time(page.first_published_at)
        if first and first.date() == page.issued_on:
            return first
        return local_midnight(page.issued_on)

    def facts(self, page):
        until = date_text(page.valid_until) if page.valid_until else _("长期有效")
        return [
            (_("级别"), page.get_level_display()),
            (_("发布日期"), date_text(page.issued_on)),
            (_("有效期至"), until),
        ]


class CaseFeed(TopicFeed):
    section = "cases"
    title = gettext_lazy("典型案例")
    description = gettext_lazy("%(office)s发布的非法集资典型案例：案情经过、诱骗手法与处置结果。")
    index_model = CaseStudyIndexPage

    def queryset(self):
        return listing_queryset(CaseStudyPage).order_by(
            models.F("first_published_at").desc(nulls_last=True), "-pk"
        )

    def published(self, page):
        if page.first_published_at:
            return local_time(page.first_published_at)
        return local_midnight(page.case_date)

    def facts(self, page):
        rows = [(_("案发时间"), date_text(page.case_date))]
        if page.amount_involved is not None:
            rows.append((_("涉案金额"), _("%(amount)s万元") % {"amount": page.amount_involved}))
        if page.victims is not None:
            rows.append((_("受害人数"), _("%(count)s人") % {"count": page.victims}))
        if page.outcome:
            rows.append((_("处置结果"), page.outcome))
        return rows


FEEDS = {feed.section: feed for feed in (NoticeFeed, CaseFeed)}
