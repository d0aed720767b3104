"""iCalendar (RFC 5545) feeds of public outreach events and of the campaigns themselves,
written by the ``icalendar`` package (folding, escaping and line ends are its job). Never
carries the contact person or phone.

Feeds are the same for everyone: public-cacheable, with an ETag and Last-Modified a
calendar app or CDN revalidates with (304), readable cross-origin by partners' scripts.

Subscribed calendars match events by UID, so a UID never depends on the request: it is
``outreach-event-<pk>@<CALENDAR_UID_DOMAIN>``. SEQUENCE (bumped when something that matters
to attendees changes) and STATUS let them follow a moved or cancelled event.
"""

import datetime
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.http import HttpResponse
from django.utils.cache import patch_cache_control
from icalendar import Calendar, Event

from website.core import conditional

PRODID = "-//Fangfei//Outreach events//ZH"
CAMPAIGNS_PRODID = "-//Fangfei//Campaigns//ZH"
# Calendar apps poll every few hours at most; a publish reaches CDNs within this.
MAX_AGE, STALE_WHILE_REVALIDATE, STALE_IF_ERROR = 900, 3600, 86400
STATUS = {
    "planned": "TENTATIVE",
    "confirmed": "CONFIRMED",
    "done": "CONFIRMED",
    "cancelled": "CANCELLED",
}


def event_uid(event):
    """Return the event's UID: the same whichever address the feed was fetched from."""
    return f"outreach-event-{event.pk}@{settings.CALENDAR_UID_DOMAIN}"


def _utc(value):
    # UTC times need no VTIMEZONE block, which some phone calendars mishandle.
    return value.astimezone(datetime.UTC)


def vevent(event, url=""):
    """Return the VEVENT of one outreach event (no contact details)."""
    location = "，".join(x for x in (event.venue, event.address) if x)
    description = f"七进渠道：进{event.channel.name}；地区：{event.region.full_name}"
    component = Event()
    component.add("uid", event_uid(event))
    # The last change, not the time of the request: the same event gives the same bytes, so
    # the feed's ETag only changes when an event does.
    component.add("dtstamp", _utc(event.updated_at))
    component.add("last-modified", _utc(event.updated_at))
    component.add("sequence", event.sequence)
    component.add("status", STATUS.get(event.status, "CONFIRMED"))
    component.add("dtstart", _utc(event.start_at))
    component.add("dtend", _utc(event.end_at))
    component.add("summary", event.title)
    component.add("location", location)
    component.add("description", description)
    component.add("categories", [event.channel.name])
    if url:
        component.add("url", url)
    return component


def campaign_uid(page):
    """Return a campaign's UID: its page's translation key never changes, whatever its
    title, slug or host."""
    return f"campaign-{page.translation_key}@{settings.CALENDAR_UID_DOMAIN}"


def campaign_vevent(page, url=""):
    """Return the all-day VEVENT of one campaign, from its first to its last day."""
    changed = page.last_published_at or page.first_published_at
    component = Event()
    component.add("uid", campaign_uid(page))
    if changed:
        component.add("dtstamp", _utc(changed))
        component.add("last-modified", _utc(changed))
    component.add("status", "CONFIRMED")
    component.add("transp", "TRANSPARENT")  # a month-long campaign does not make anyone busy
    component.add("dtstart", page.start_date)
    # DTEND of an all-day event is exclusive: the day after the last one.
    component.add("dtend", page.end_date + datetime.timedelta(days=1))
    component.add("summary", page.title)
    description = f"{page.get_kind_display()}主题：{page.theme}"
    if page.summary:
        description += f"\n{page.summary}"
    component.add("description", description)
    component.add("categories", [str(page.get_kind_display())])
    if url:
        component.add("url", url)
    return component


def _calendar(name, components, prodid=PRODID):
    cal = Calendar()
    cal.add("prodid", prodid)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    for component in components:
        cal.add_component(component)
    return cal.to_ical()


def calendar(events, name, url=""):
    """Return the VCALENDAR of ``events`` as bytes (UTF-8, CRLF line ends)."""
    return _calendar(name, [vevent(event, url) for event in events])


def campaigns_calendar(pages, name, urls):
    """Return the VCALENDAR of campaign ``pages`` (``urls``: {page id: its address})."""
    components = [campaign_vevent(page, urls.get(page.pk, "")) for page in pages]
    return _calendar(name, components, prodid=CAMPAIGNS_PRODID)


def ics_response(request, body, filename, newest=None, *, page=None):
    """Return the feed ``body`` with its caching headers. ``newest`` is the latest change the
    feed's items record; ``page`` is the page that serves it.

    The feed is public and cookie-free (partners' pages may read it from the browser), unless a
    view restriction may cover ``page``: then only the visitor who passed it may keep it.
    Conditional GETs are answered above the page cache (website.core.conditional), so a 304
    never stops a fresh copy from being cached.
    """
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    # Imported here: this module is loaded with the page models, routing needs them loaded.
    from website.core.routing import may_be_restricted

    if page is not None and may_be_restricted(page):
        patch_cache_control(response, private=True, max_age=0)
        return response
    conditional.stamp(request, response, hint=newest.timestamp() if newest else None)
    conditional.public(response, MAX_AGE, STALE_WHILE_REVALIDATE, STALE_IF_ERROR)
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Expose-Headers"] = conditional.EXPOSED_HEADERS
    return response


def calendar_response(request, events, name, filename, url="", *, page=None):
    """Return the feed of outreach ``events`` (served by ``page``, see ``ics_response``)."""
    events = list(events)
    newest = max((e.updated_at for e in events), default=None)
    return ics_response(request, calendar(events, name, url=url), filename, newest, page=page)


def webcal_url(url):
    """Return ``url`` (absolute http or https) as a ``webcal://`` address, which phones and
    desktop calendar apps open as a subscription rather than a one-off download."""
    parts = urlsplit(url)
    return urlunsplit(("webcal", *parts[1:]))
