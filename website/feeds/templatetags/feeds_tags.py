from django import template

from website.feeds.views import feed_path

register = template.Library()


@register.simple_tag
def feed_url(section, fmt, filters=None):
    """Return the path of the ``section`` feed in ``fmt`` carrying ``filters`` (the
    index page's ListingFilters), e.g. /feeds/notices/rss/?audience=elderly."""
    return feed_path(section, fmt, filters)
