"""Wagtail's database search backend with Chinese query handling.

Picks the vendor backend (SQLite FTS5, PostgreSQL, …) exactly as Wagtail does. Every string
or plain-text query, from the public search page, the API and the admin alike, goes through
``website.search.query``: normalised (traditional → simplified), segmented with the same
jieba dictionary as the index, read as pinyin where it is Latin letters, and widened with
the staff's synonym dictionary. Autocomplete (the admin's page and snippet search) is only
normalised and segmented: staff look for a title they know, and the last word is matched as
a prefix, so 宣传 finds 宣传月. Elasticsearch/OpenSearch take over in production by setting
WAGTAILSEARCH_BACKEND (see README).
"""

import functools

from django.db import connection
from wagtail.search.backends.database import SearchBackend as vendor_backend
from wagtail.search.query import PlainText

from website.search.query import analyse, search_query
from website.search.segment import segment_query


def _as_text(query, operator, compiler_class):
    """Return (text, operator) of a string or PlainText query, or (None, None)."""
    if isinstance(query, str):
        return query, (operator or compiler_class.DEFAULT_OPERATOR).lower()
    if isinstance(query, PlainText):
        return query.query_string, query.operator
    return None, None


class ChineseQueryMixin:
    def search(self, query, model_or_queryset, *args, **kwargs):
        text, operator = _as_text(query, kwargs.get("operator"), self.query_compiler_class)
        if text is not None:
            built = search_query(analyse(text), operator)
            # Keep the raw query when nothing is left (e.g. only stop words), so the
            # backend's own handling of such queries applies.
            if built is not None:
                query = built
                kwargs.pop("operator", None)
        return super().search(query, model_or_queryset, *args, **kwargs)

    def autocomplete(self, query, model_or_queryset, *args, **kwargs):
        text, operator = _as_text(
            query, kwargs.get("operator"), self.autocomplete_query_compiler_class
        )
        if text is not None:
            segmented = segment_query(text)
            if segmented:
                query = PlainText(segmented, operator=operator)
                kwargs.pop("operator", None)
        return super().autocomplete(query, model_or_queryset, *args, **kwargs)


@functools.cache
def _backend_class(vendor, params_key):
    base_class = type(vendor_backend(dict(params_key)))
    return type(f"Chinese{base_class.__name__}", (ChineseQueryMixin, base_class), {})


def SearchBackend(params):  # noqa: N802 - Wagtail looks the factory up by this name
    """Return the database backend for the default connection, with Chinese queries."""
    params = {"SEARCH_CONFIG": "simple", **params}
    key = tuple(sorted((k, v) for k, v in params.items() if isinstance(v, str)))
    return _backend_class(connection.vendor, key)(params)
