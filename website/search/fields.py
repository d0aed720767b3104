from wagtail.search import index

from website.search.segment import segment_for_index


class SegmentedSearchField(index.SearchField):
    """A SearchField whose text reaches the index already split into Chinese words."""

    def get_value(self, obj):
        return segment_for_index(super().get_value(obj))


def page_search_fields(*extra):
    """Return Wagtail's Page search fields plus a segmented title and ``extra``.

    Wagtail's own fields stay (its system check wants them, and the raw title still
    matches exact phrases); the segmented title goes into the same weighted title column.
    """
    from wagtail.models import Page

    return Page.search_fields + [SegmentedSearchField("title", boost=2), *extra]
