"""iCalendar (RFC 5545) text for public outreach events, written by hand: CRLF line ends,
lines folded at 75 octets without splitting a UTF-8 character, TEXT values escaped, times
in UTC. Never carries the contact person or phone."""

import datetime

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone

PRODID = "-//Fangfei//Outreach events//ZH"
STATUS = {
    "planned": "TENTATIVE",
    "confirmed": "CONFIRMED",
    "done": "CONFIRMED",
    "cancelled": "CANCELLED",
}


def escape(value):
    """Escape a TEXT value: backslash, semicolon, comma and newlines."""
    return (
        str(value)
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line):
    """Fold one content line into pieces of at most 75 octets (continuations start with a
    space, which counts towards their 75)."""
    pieces, current, size, limit = [], [], 0, 75
    for ch in line:
        width = len(ch.encode("utf-8"))
        if size + width > limit:
            pieces.append("".join(current))
            current, size, limit = [], 0, 74
        current.append(ch)
        size += width
    pieces.append("".join(current))
    return "\r\n ".join(pieces)


def utc(value):
    return value.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def event_lines(event, host, stamp, url=""):
    location = "，".join(x for x in (event.venue, event.address) if x)
    description = f"七进渠道：进{event.channel.name}；地区：{event.region.full_name}"
    lines = [
        "BEGIN:VEVENT",
        f"UID:outreach-{event.pk}@{host}",
        f"DTSTAMP:{stamp}",
        f"DTSTART:{utc(event.start_at)}",
        f"DTEND:{utc(event.end_at)}",
        f"SUMMARY:{escape(event.title)}",
        f"LOCATION:{escape(location)}",
        f"DESCRIPTION:{escape(description)}",
        f"CATEGORIES:{escape(event.channel.name)}",
        f"STATUS:{STATUS.get(event.status, 'CONFIRMED')}",
    ]
    if url:
        lines.append(f"URL:{url}")
    lines.append("END:VEVENT")
    return lines


def calendar(events, name, host="fangfei.local", url=""):
    """Return the VCALENDAR text for ``events``."""
    stamp = utc(timezone.now())
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape(name)}",
        f"X-WR-TIMEZONE:{settings.TIME_ZONE}",
    ]
    for event in events:
        lines.extend(event_lines(event, host, stamp, url))
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)


def calendar_response(request, events, name, filename, url=""):
    host = request.get_host().split(":")[0] or "fangfei.local"
    text = calendar(events, name, host=host, url=url)
    response = HttpResponse(text.encode("utf-8"), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
