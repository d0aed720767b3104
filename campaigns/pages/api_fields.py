"""What the read-only API shows of a campaign besides its title: kind, dates, theme, phase,
audiences, regions, its public outreach events and the addresses of its calendar feed.

Like ``website.pages.api_fields``, the page model names these in ``api_fields`` and
``website.api`` serves them. Events never carry the organiser's contact person or phone.
"""

from rest_framework import serializers

from campaigns.pages.ical import webcal_url


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


def _calendar_url(serializer_field, page, subpath):
    request = serializer_field.context["request"]
    url = page.get_url(request)
    return request.build_absolute_uri(url + subpath) if url else None


class CalendarUrlField(_PageField):
    """The absolute address of the campaign's events feed (.ics)."""

    def to_representation(self, page):
        return _calendar_url(self, page, page.reverse_subpage("events_ics"))


class WebcalUrlField(_PageField):
    """The same feed as a ``webcal://`` address, for calendar apps to subscribe to."""

    def to_representation(self, page):
        url = _calendar_url(self, page, page.reverse_subpage("events_ics"))
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
                "start_at": e.start_at.isoformat(),
                "end_at": e.end_at.isoformat(),
                "status": e.status,
                "status_display": str(e.get_status_display()),
                "channel": e.channel.name,
                "venue": e.venue,
                "address": e.address,
                "region": {"code": e.region.code, "name": e.region.name, "level": e.region.level},
                "calendar_url": (
                    request.build_absolute_uri(
                        base + page.reverse_subpage("event_ics", args=[e.pk])
                    )
                    if base
                    else None
                ),
            }
            for e in events
        ]
