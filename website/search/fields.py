from wagtail.search import index

from website.search.segment import segment_for_index


class SegmentedSearchField(index.SearchField):
    """A SearchField whose text reaches the index already split into Chinese words."""

    def get_value(self, obj):
        return segment_for_index(super().get_value(obj))


class SegmentedAutocompleteField(index.AutocompleteField):
    """An AutocompleteField split into Chinese words, so the admin's search (which
    autocompletes) finds 宣传月 inside 2026年防范非法集资宣传月: each word is a token whose
    prefix can match."""

    def get_value(self, obj):
        return segment_for_index(super().get_value(obj))


def page_search_fields(*extra):
    """Return Wagtail's Page search fields plus a segmented title and ``extra``.

    Wagtail's own fields stay (its system check wants them, and the raw title still
    matches exact phrases); the segmented title goes into the same weighted title column
    and into the autocomplete column the admin searches.
    """
    from wagtail.models import Page

    return Page.search_fields + [
        SegmentedSearchField("title", boost=2),
        SegmentedAutocompleteField("title"),
        *extra,
    ]
