"""Reading feeds back in tests: parsed with feedparser (as readers do) and as plain XML."""

import xml.etree.ElementTree as ET

import feedparser

ATOM = "{http://www.w3.org/2005/Atom}"
FEEDS = [
    "/feeds/notices/rss/",
    "/feeds/notices/atom/",
    "/feeds/cases/rss/",
    "/feeds/cases/atom/",
]


def fetch(client, url, params=None, **extra):
    """Return (response, feedparser result) for a feed that must answer 200."""
    response = client.get(url, params or {}, **extra)
    assert response.status_code == 200, response.content.decode()
    return response, feedparser.parse(response.content)


def xml(response):
    """Return the root element of a feed response."""
    return ET.fromstring(response.content)


def titles(parsed):
    return {entry.title for entry in parsed.entries}


def ordered_titles(parsed):
    return [entry.title for entry in parsed.entries]
