"""Django's RSS 2.0 and Atom 1.0 writers with these additions: each entry carries its facts
(level, dates, audiences, region) as HTML content; its categories say what they are (an
audience, a tag, the region) with RSS ``domain`` / Atom ``scheme``; its listing image is a
Media RSS ``media:content`` (besides the enclosure); and the feed's own date is the one we
give it rather than "now" in UTC.
"""

from django.utils import feedgenerator

CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
MEDIA_NS = "http://search.yahoo.com/mrss/"


def _add_media(handler, item):
    image = item.get("image")
    if not image:
        return
    size = {"width": str(image["width"]), "height": str(image["height"])}
    handler.addQuickElement(
        "media:content",
        None,
        {"url": image["url"], "medium": "image", "type": image["type"], **size},
    )
    handler.addQuickElement("media:thumbnail", None, {"url": image["url"], **size})
    handler.addQuickElement("media:description", image["alt"], {"type": "plain"})


class _FeedDate:
    def latest_post_date(self):
        """Return the feed's date as built (newest entry, in Asia/Shanghai)."""
        return self.feed["updated"]


class RssFeed(_FeedDate, feedgenerator.Rss201rev2Feed):
    """RSS 2.0 with ``content:encoded`` holding each entry's HTML."""

    format = "rss"

    def rss_attributes(self):
        return {**super().rss_attributes(), "xmlns:content": CONTENT_NS, "xmlns:media": MEDIA_NS}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for domain, term, _label in item.get("scheme_categories", ()):
            handler.addQuickElement("category", term, {"domain": domain})
        handler.addQuickElement("content:encoded", item["content"])
        _add_media(handler, item)


class AtomFeed(_FeedDate, feedgenerator.Atom1Feed):
    """Atom 1.0 with ``<content type="html">`` holding each entry's HTML."""

    format = "atom"

    def root_attributes(self):
        return {**super().root_attributes(), "xmlns:media": MEDIA_NS}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for scheme, term, label in item.get("scheme_categories", ()):
            handler.addQuickElement(
                "category", None, {"term": term, "scheme": scheme, "label": f"{label}：{term}"}
            )
        handler.addQuickElement("content", item["content"], {"type": "html"})
        _add_media(handler, item)


GENERATORS = {"rss": RssFeed, "atom": AtomFeed}
