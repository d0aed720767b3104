"""Find the pages to load and count SQL queries per page: ``python -m bench.probe [PATH ...]``.

Runs in-process against the bench database with the settings the environment names. Prints
one ``BENCH-JSON`` line: the URLs of the home page, the notices index, one notice and one case
study, and for each probed page its status and the number of SQL queries one uncached request
makes (the second request; the first fills per-process caches such as Wagtail's site root
paths). Listing pages are probed at several page numbers, so a count that grows with the items
listed shows up as different counts for pages listing different numbers of items.

With paths as arguments it only counts queries for those paths, in whatever project the
settings name (the bench uses this for the ``wagtail start`` welcome page).
"""

import json
import os
import sys

import django

HOST = "localhost"


def _urls():
    from wagtail.models import Site

    from website.pages.models import (
        CaseStudyIndexPage,
        CaseStudyPage,
        RiskNoticeIndexPage,
        RiskNoticePage,
    )

    site = Site.objects.get(is_default_site=True)

    def url(page):
        return page.get_url(request=None, current_site=site) if page else None

    def pick(queryset):
        """Prefer a page written by load_demo over one added by bench.seed."""
        return queryset.exclude(slug__startswith="bench-").first() or queryset.first() or None

    notice_index = RiskNoticeIndexPage.objects.live().first()
    case_index = CaseStudyIndexPage.objects.live().first()
    return {
        "home": "/",
        "notice_index": url(notice_index),
        "case_index": url(case_index),
        "notice": url(pick(RiskNoticePage.current())),
        "case": url(pick(CaseStudyPage.objects.live().public().order_by("-case_date", "-pk"))),
    }, notice_index


def _listing_pages(notice_index):
    """Return [(label, query string, items listed)] for the notices index."""
    from django.test import RequestFactory

    from website.pages.models.base import PAGE_SIZE, ListingFilters

    request = RequestFactory().get("/")
    total = notice_index.specific.items(request, ListingFilters({})).count()
    pages = max(1, -(-total // PAGE_SIZE))
    listing = [("page 1", "", min(total, PAGE_SIZE))]
    if pages >= 2:
        listing.append(("page 2", "?page=2", min(total - PAGE_SIZE, PAGE_SIZE)))
    if pages >= 3:
        listing.append((f"page {pages} (last)", f"?page={pages}", total - (pages - 1) * PAGE_SIZE))
    return total, listing


def count_queries(client, path):
    """Return (status, queries) for the second uncached GET of ``path``."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(path)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    return response.status_code, len(captured.captured_queries)


def probe():
    from django.test import Client, override_settings

    urls, notice_index = _urls()
    client = Client(HTTP_HOST=HOST)
    rows = []

    def add(label, path, items=None):
        if not path:
            return
        try:
            status, queries = count_queries(client, path)
        except Exception as exc:  # a broken template must not hide the other counts
            status, queries = f"error: {type(exc).__name__}: {exc}"[:200], None
        rows.append(
            {"label": label, "path": path, "items": items, "status": status, "queries": queries}
        )

    add("home", urls["home"])
    total = 0
    if notice_index is not None:
        total, listing = _listing_pages(notice_index)
        for label, query, items in listing:
            add(f"notices index, {label}", urls["notice_index"] + query, items)
    add("notice", urls["notice"])
    add("case index, page 1", urls["case_index"])
    add("case", urls["case"])

    # A cached hit must cost no query at all: second request, with the page cache on (the
    # bench runs this probe with it off, so the rows above count what rendering costs).
    cached_client = Client(HTTP_HOST=HOST)
    with override_settings(PUBLIC_PAGE_CACHE_SECONDS=300):
        status, queries = count_queries(cached_client, urls["home"])
    rows.append(
        {
            "label": "home, page cache hit",
            "path": urls["home"],
            "items": None,
            "status": status,
            "queries": queries,
        }
    )
    return {"urls": urls, "notices_listed": total, "queries": rows}


def probe_paths(paths):
    """Count queries for ``paths`` of any project (used for the Wagtail welcome page)."""
    from django.test import Client

    client = Client(HTTP_HOST=HOST)
    rows = []
    for path in paths:
        status, queries = count_queries(client, path)
        rows.append({"path": path, "status": status, "queries": queries})
    return rows


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "website.settings.production")
    django.setup()
    paths = sys.argv[1:]
    result = probe_paths(paths) if paths else probe()
    sys.stdout.write("BENCH-JSON " + json.dumps(result, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
