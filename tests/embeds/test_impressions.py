"""Impressions: one counter per (local day, referring host, widget), upserted in one SQL
statement, with nothing personal stored; prefetches and HEAD are not views; a database error
never breaks the widget; concurrent views on PostgreSQL are all counted."""

import datetime
import logging
import os
import threading
from unittest import mock

import pytest
from django.db import OperationalError, connection, connections, transaction
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from website.embeds import impressions
from website.embeds.impressions import display_host, record, referring_host
from website.embeds.models import Impression

rf = RequestFactory()


def view(referer=None, method="get", **headers):
    if referer is not None:
        headers["HTTP_REFERER"] = referer
    return getattr(rf, method)("/embed/notices/", **headers)


def counts():
    return {(i.host, i.widget): i.count for i in Impression.objects.all()}


# -- the referring host ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "referer, host",
    [
        ("https://News.Example.COM:8443/2026/05/15/story.html?uid=123#top", "news.example.com"),
        ("http://www.example.com./", "www.example.com"),
        ("http://例子.中国/新闻/", "xn--fsqu00a.xn--fiqs8s"),
        ("http://xn--fsqu00a.xn--fiqs8s/", "xn--fsqu00a.xn--fiqs8s"),
        ("http://192.168.1.10:8080/intranet", "192.168.1.10"),
        ("http://[2001:db8::1]:8080/", "2001:db8::1"),
        ("android-app://com.tencent.mm/", "com.tencent.mm"),
        ("https://user:secret@bank.example.cn/branch", "bank.example.cn"),
        ("", ""),
        ("not a url", ""),
        ("/relative/only", ""),
        ("http://[::1/", ""),
        ("http://a..b/", ""),
        ("http://-bad-.example/", ""),
        ("http://bad host.example/", ""),
        ("http://<script>.example/", ""),
        ("http://" + "a" * 64 + ".example/", ""),
        ("http://" + ".".join(["abcdefghi"] * 26) + "/", ""),
        ("https://example.com/" + "x" * 5000, ""),
    ],
)
def test_the_referring_host_is_normalised(referer, host):
    assert referring_host(referer) == host


@given(st.text(max_size=300))
def test_any_referer_gives_a_short_plain_host_or_nothing(referer):
    host = referring_host(referer)
    assert len(host) <= 253
    assert host == host.lower()
    assert all(c.isascii() and (c.isalnum() or c in ".-_:") for c in host)


def test_hosts_are_shown_as_people_read_them():
    assert display_host("xn--fsqu00a.xn--fiqs8s") == "例子.中国（xn--fsqu00a.xn--fiqs8s）"
    assert display_host("news.example.com") == "news.example.com"
    assert display_host("") == "（未知来源）"


# -- counting --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_views_are_counted_per_day_host_and_widget():
    assert record(view("https://news.example.com/a?reader=42"), "notices")
    record(view("https://NEWS.example.com:443/b"), "notices")
    record(view("https://news.example.com/c"), "quiz")
    record(view("https://bank.example.cn/"), "notices")
    record(view(), "page")
    assert counts() == {
        ("news.example.com", "notices"): 2,
        ("news.example.com", "quiz"): 1,
        ("bank.example.cn", "notices"): 1,
        ("", "page"): 1,
    }
    assert set(Impression.objects.values_list("day", flat=True)) == {timezone.localdate()}


@pytest.mark.django_db
def test_the_day_is_the_local_date_in_shanghai():
    # 17:30 UTC on 31 December is already 1 January in Asia/Shanghai.
    utc = datetime.datetime(2026, 12, 31, 17, 30, tzinfo=datetime.UTC)
    with mock.patch("django.utils.timezone.now", return_value=utc):
        record(view("https://news.example.com/"), "kiosk")
    assert Impression.objects.get().day == datetime.date(2027, 1, 1)


@pytest.mark.django_db
def test_nothing_personal_is_stored():
    record(
        view(
            "https://news.example.com/story?phone=13812345678",
            HTTP_USER_AGENT="Mozilla/5.0 (Linux; Android 10; 老人机)",
            REMOTE_ADDR="203.0.113.9",
        ),
        "page",
    )
    assert {f.name for f in Impression._meta.get_fields()} == {
        "id",
        "day",
        "host",
        "widget",
        "count",
    }
    row = Impression.objects.values().get()
    stored = " ".join(str(v) for v in row.values())
    for secret in ("13812345678", "story", "203.0.113.9", "Mozilla", "Android"):
        assert secret not in stored


@pytest.mark.django_db
@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_SEC_PURPOSE": "prefetch"},
        {"HTTP_SEC_PURPOSE": "prefetch;prerender"},
        {"HTTP_PURPOSE": "prefetch"},
        {"HTTP_X_PURPOSE": "preview, prefetch"},
        {"HTTP_X_MOZ": "prefetch"},
    ],
)
def test_prefetches_are_not_views(headers):
    assert record(view("https://news.example.com/", **headers), "notices") is False
    assert not Impression.objects.exists()


@pytest.mark.django_db
def test_head_requests_are_not_views():
    assert record(view("https://news.example.com/", method="head"), "notices") is False
    assert not Impression.objects.exists()


def test_an_unknown_widget_is_a_programming_error():
    with pytest.raises(ValueError):
        record(view(), "banner")


# Serialized rollback: a plain flush would re-create content types under new ids and break
# the serialized-rollback tests that run after this one.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_view_costs_one_sql_statement():
    record(view("https://news.example.com/"), "notices")  # the row exists: the update path
    for referer in ("https://news.example.com/", "https://other.example.com/"):
        with CaptureQueriesContext(connection) as queries:
            record(view(referer), "notices")
        assert len(queries) == 1, [q["sql"] for q in queries]
        sql = queries[0]["sql"].upper()
        assert sql.startswith("INSERT") and "ON CONFLICT" in sql
    assert counts() == {("news.example.com", "notices"): 2, ("other.example.com", "notices"): 1}


@pytest.mark.django_db
def test_a_database_error_is_logged_without_the_referrer_and_swallowed(caplog):
    referer = "https://secret-partner.example.com/page?reader=13812345678"
    with (
        mock.patch.object(
            impressions, "_write", side_effect=OperationalError("database is locked")
        ),
        caplog.at_level(logging.WARNING, logger="website.embeds.impressions"),
    ):
        assert record(view(referer), "quiz") is False
    logged = caplog.text
    assert "quiz" in logged and "OperationalError" in logged and "database is locked" in logged
    assert "secret-partner" not in logged and "13812345678" not in logged


@pytest.mark.django_db
def test_a_failed_statement_leaves_the_surrounding_transaction_usable():
    # On PostgreSQL a failed statement aborts the whole transaction unless it ran inside a
    # savepoint; the widget view that called record() must still be able to query.
    with mock.patch.object(
        impressions, "_upsert_sql", return_value="INSERT INTO no_such_table VALUES (%s, %s, %s)"
    ):
        with transaction.atomic():
            assert record(view("https://news.example.com/"), "page") is False
            assert Impression.objects.count() == 0
    assert record(view("https://news.example.com/"), "page") is True


@pytest.mark.django_db
def test_the_widget_views_count_their_impressions(client):
    from tests import factories

    notice = factories.notice()
    referer = "https://news.example.com/2026/05/15/story.html"
    assert client.get("/embed/notices/", HTTP_REFERER=referer).status_code == 200
    assert client.get(f"/embed/page/{notice.pk}/", HTTP_REFERER=referer).status_code == 200
    assert client.get(f"/embed/page/{notice.pk}/", HTTP_SEC_PURPOSE="prefetch").status_code == 200
    assert counts() == {("news.example.com", "notices"): 1, ("news.example.com", "page"): 1}


# -- concurrency (PostgreSQL) ----------------------------------------------------------------


@pytest.mark.services
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_views_on_postgresql_lose_no_counts():
    if not os.environ.get("FANGFEI_SERVICES") or connection.vendor != "postgresql":
        pytest.skip("services tier only (PostgreSQL)")
    threads, per_thread = 8, 40
    barrier = threading.Barrier(threads)
    failures = []

    def worker(n):
        try:
            barrier.wait()
            for i in range(per_thread):
                host = "news.example.com" if i % 2 else "bank.example.cn"
                if not record(view(f"https://{host}/{n}/{i}"), "notices"):
                    failures.append((n, i))
        finally:
            connections.close_all()

    pool = [threading.Thread(target=worker, args=(n,)) for n in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    assert failures == []
    half = threads * per_thread // 2
    assert counts() == {("news.example.com", "notices"): half, ("bank.example.cn", "notices"): half}
