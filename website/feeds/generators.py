"""Django's RSS 2.0 and Atom 1.0 writers with two additions: each entry carries its facts
(level, dates, audiences, region) as HTML content, and the feed's own date is the one we
give it rather than "now" in UTC.
"""

from django.utils import feedgenerator

CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"


class _FeedDate:
    def latest_post_date(self):
        """Return the feed's date as built (newest entry, in Asia/Shanghai)."""
        return self.feed["updated"]


class RssFeed(_FeedDate, feedgenerator.Rss201rev2Feed):
    """RSS 2.0 with ``content:encoded`` holding each entry's HTML."""

    format = "rss"

    def rss_attributes(self):
        return {**super().rss_attributes(), "xmlns:content": CONTENT_NS}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        handler.addQuickElement("content:encoded", item["content"])


class AtomFeed(_FeedDate, feedgenerator.Atom1Feed):
    """Atom 1.0 with ``<content type="html">`` holding each entry's HTML."""

    format = "atom"

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        handler.addQuickElement("content", item["content"], {"type": "html"})


GENERATORS = {"rss": RssFeed, "atom": AtomFeed}
