"""iCalendar (RFC 5545) feeds of public outreach events, written by the ``icalendar`` package
(folding, escaping and line ends are its job). Never carries the contact person or phone.

Subscribed calendars match events by UID, so a UID never depends on the request: it is
``outreach-event-<pk>@<CALENDAR_UID_DOMAIN>``. SEQUENCE (bumped when something that matters
to attendees changes) and STATUS let them follow a moved or cancelled event.
"""

import datetime
import hashlib

from django.conf import settings
from django.http import HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date, quote_etag
from icalendar import Calendar, Event

PRODID = "-//Fangfei//Outreach events//ZH"
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


def calendar(events, name, url=""):
    """Return the VCALENDAR of ``events`` as bytes (UTF-8, CRLF line ends)."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    for event in events:
        cal.add_component(vevent(event, url))
    return cal.to_ical()


def calendar_response(request, events, name, filename, url=""):
    """Return the feed of ``events`` with an ETag and Last-Modified, or 304 when the
    subscriber's copy is current."""
    events = list(events)
    body = calendar(events, name, url=url)
    etag = quote_etag(hashlib.sha256(body).hexdigest()[:32])
    last_modified = max((e.updated_at for e in events), default=None)
    last_modified_ts = int(last_modified.timestamp()) if last_modified else None
    not_modified = get_conditional_response(request, etag=etag, last_modified=last_modified_ts)
    response = not_modified or HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["ETag"] = etag
    if last_modified_ts is not None:
        response["Last-Modified"] = http_date(last_modified_ts)
    if not_modified is None:
        response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
