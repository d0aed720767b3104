"""Wagtail's database search backend with Chinese query segmentation.

Picks the vendor backend (SQLite FTS5, PostgreSQL, …) exactly as Wagtail does, and splits
every string query into words with the same segmenter the index uses, so admin searches
and the public search page both find "养老" inside "养老服务". Elasticsearch/OpenSearch
take over in production by setting WAGTAILSEARCH_BACKEND (see README).
"""

import functools

from django.db import connection
from wagtail.search.backends.database import SearchBackend as vendor_backend

from website.search.segment import segment_query


class ChineseQueryMixin:
    def search(self, query, model_or_queryset, *args, **kwargs):
        if isinstance(query, str):
            # Keep the raw query when segmentation leaves nothing (e.g. only stop words),
            # so the backend's own handling of such queries applies.
            query = segment_query(query) or query
        return super().search(query, model_or_queryset, *args, **kwargs)


@functools.cache
def _backend_class(vendor, params_key):
    base_class = type(vendor_backend(dict(params_key)))
    return type(f"Chinese{base_class.__name__}", (ChineseQueryMixin, base_class), {})


def SearchBackend(params):  # noqa: N802 - Wagtail looks the factory up by this name
    """Return the database backend for the default connection, with segmented queries."""
    params = {"SEARCH_CONFIG": "simple", **params}
    key = tuple(sorted((k, v) for k, v in params.items() if isinstance(v, str)))
    return _backend_class(connection.vendor, key)(params)
