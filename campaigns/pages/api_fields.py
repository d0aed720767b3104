"""What the read-only API shows of a campaign besides its title: kind, dates, theme, phase,
audiences, regions, its public outreach events and the addresses of its calendar feed.

Like ``website.pages.api_fields``, the page model names these in ``api_fields`` and
``website.api`` serves them. Events never carry the organiser's contact person or phone.
"""

from django.utils import timezone
from rest_framework import serializers
from wagtail.api.utils import get_full_url

from campaigns.models.outreach import OutreachEvent
from campaigns.pages.ical import webcal_url
from website.core import api_schema as js
from website.pages.api_fields import REGION

# One event as EventsField gives it: never the organiser's contact person, phone or e-mail.
EVENT = {
    **js.obj(
        {
            "id": js.integer(),
            "title": js.string(),
            "start_at": js.datetime(),
            "end_at": js.datetime(),
            "status": js.choices(OutreachEvent.Status),
            "status_display": js.string(),
            "channel": js.string(),
            "venue": js.string(),
            "address": js.string(),
            "region": REGION,
            "calendar_url": js.url(nullable=True),
        },
        required=["id", "title", "start_at", "end_at", "calendar_url"],
    ),
    "additionalProperties": False,
}


class _ReadOnly(serializers.Field):
    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)


class _PageField(_ReadOnly):
    """A field computed from the whole page (and the request)."""

    def get_attribute(self, instance):
        return instance


class RegionsField(_ReadOnly):
    """Serializes a campaign's regions as ``[{"code", "name", "level"}]`` ([]: 全辖区)."""

    def to_representation(self, value):
        return [{"code": r.code, "name": r.name, "level": r.level} for r in value.all()]


class PhaseField(_PageField):
    """``upcoming``, ``current`` or ``past``, as of today (Asia/Shanghai)."""

    def to_representation(self, page):
        return page.phase()


def _calendar_url(request, page_url, subpath):
    """Return the absolute address of ``subpath`` under a page's ``page_url`` (None if the
    page has no address).

    On the API's public address (WAGTAILAPI_BASE_URL), like ``detail_url`` and ``html_url``:
    an answer is cached and shared, so it must not carry the host of whoever asked first.
    """
    return get_full_url(request, page_url + subpath) if page_url else None


def _page_calendar_url(serializer_field, page):
    request = serializer_field.context["request"]
    return _calendar_url(request, page.get_url(request), page.reverse_subpage("events_ics"))


class CalendarUrlField(_PageField):
    """The absolute address of the campaign's events feed (.ics)."""

    def to_representation(self, page):
        return _page_calendar_url(self, page)


class WebcalUrlField(_PageField):
    """The same feed as a ``webcal://`` address, for calendar apps to subscribe to."""

    def to_representation(self, page):
        url = _page_calendar_url(self, page)
        return webcal_url(url) if url else None


class EventsField(_PageField):
    """The campaign's public events (cancelled ones left out), earliest first; each with its
    own calendar file. Reads ``page.api_events`` when the listing prefetched them."""

    def to_representation(self, page):
        events = getattr(page, "api_events", None)
        if events is None:
            events = list(page.public_events())
        request = self.context["request"]
        base = page.get_url(request)
        return [
            {
                "id": e.pk,
                "title": e.title,
                # In Asia/Shanghai, as every other time the API gives.
                "start_at": timezone.localtime(e.start_at).isoformat(),
                "end_at": timezone.localtime(e.end_at).isoformat(),
                "status": e.status,
                "status_display": str(e.get_status_display()),
                "channel": e.channel.name,
                "venue": e.venue,
                "address": e.address,
                "region": {"code": e.region.code, "name": e.region.name, "level": e.region.level},
                "calendar_url": _calendar_url(
                    request, base, page.reverse_subpage("event_ics", args=[e.pk])
                ),
            }
            for e in events
        ]
