"""What lets a partner's CDN or browser hold API answers: public Cache-Control with
stale-while-revalidate, an ETag and Last-Modified, 304s (on page-cache hits too), no
Vary: Cookie; ETag readable by scripts; gzip; the OpenAPI description; campaign fields."""

import gzip
import json

import pytest
from django.test import Client
from django.utils.cache import get_max_age

from tests import factories
from tests.campaigns.outreach import factories as of

pytestmark = pytest.mark.django_db

LISTING = "/api/v2/pages/"


def directives(response):
    return {d.strip() for d in response["Cache-Control"].split(",")}


def vary(response):
    return {v.strip().lower() for v in response.get("Vary", "").split(",") if v.strip()}


def test_content_answers_are_public_briefly_and_revalidated_in_the_background():
    factories.notice("提示")
    response = Client().get(LISTING)
    assert response.status_code == 200
    assert {"public", "max-age=60"} <= directives(response)
    assert any(d.startswith("stale-while-revalidate=") for d in directives(response))
    assert response["ETag"].startswith('"') and response["Last-Modified"]
    assert "cookie" not in vary(response) and "accept-language" not in vary(response)
    assert "ETag" in response["Access-Control-Expose-Headers"]


def test_reference_data_is_kept_longer_than_content():
    factories.notice("提示")
    regions = Client().get("/api/v2/regions/")
    pages = Client().get(LISTING)
    assert get_max_age(regions) > get_max_age(pages)
    assert "cookie" not in vary(regions)


@pytest.mark.parametrize("hit", [False, True])
def test_a_matching_etag_or_date_is_a_304_whether_or_not_the_page_cache_answers(hit, settings):
    factories.notice("提示")
    client = Client()
    if not hit:
        settings.PUBLIC_PAGE_CACHE_SECONDS = 0  # every answer is rendered by the view
    first = client.get(LISTING)
    if hit:
        assert client.get(LISTING)["X-Cache"] == "HIT"
    else:
        assert "X-Cache" not in client.get(LISTING)
    again = client.get(LISTING, headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == first["ETag"]
    assert again["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in again["Access-Control-Expose-Headers"]
    since = client.get(LISTING, headers={"If-Modified-Since": first["Last-Modified"]})
    assert since.status_code == 304


def test_a_gzipped_etag_still_validates():
    factories.notice("提示")
    client = Client()
    first = client.get(LISTING, headers={"Accept-Encoding": "gzip"})
    assert first["Content-Encoding"] == "gzip"
    assert first["ETag"].startswith('W/"')
    assert json.loads(gzip.decompress(first.content))["items"]
    again = client.get(LISTING, headers={"Accept-Encoding": "gzip", "If-None-Match": first["ETag"]})
    assert again.status_code == 304


def test_a_publish_changes_the_etag_and_moves_last_modified_on():
    factories.notice("提示")
    first = Client().get(LISTING)
    factories.notice("新提示")
    changed = Client().get(LISTING, headers={"If-None-Match": first["ETag"]})
    assert changed.status_code == 200
    assert changed["ETag"] != first["ETag"]
    assert "新提示" in changed.content.decode()
    from django.utils.http import parse_http_date

    assert parse_http_date(changed["Last-Modified"]) > parse_http_date(first["Last-Modified"])


def test_errors_are_cacheable_briefly_and_never_304():
    response = Client().get(LISTING, {"limit": "abc"})
    assert response.status_code == 400
    assert get_max_age(response) == 60
    assert "ETag" not in response


def test_a_throttled_lookup_is_never_cached(settings):
    from unittest import mock

    from website.core.limits import Verdict

    with mock.patch("website.firms.throttle.check", return_value=Verdict(allowed=False, wait=30)):
        response = Client().get("/api/lookup/", {"q": "某某理财"})
    assert response.status_code == 429
    assert "no-store" in response["Cache-Control"]


# -- compression (BREACH-aware) ------------------------------------------------------------


def test_public_pages_and_feeds_are_gzipped():
    notice = factories.notice("提示", summary="不要相信保本高息。" * 20)
    for path in (notice.url, "/feeds/notices/rss/", LISTING):
        response = Client().get(path, headers={"Accept-Encoding": "gzip"})
        assert response.status_code == 200, path
        assert response["Content-Encoding"] == "gzip", path
        assert "accept-encoding" in vary(response)


def test_pages_carrying_a_csrf_token_are_never_compressed():
    from django.http import HttpResponse
    from django.middleware.csrf import get_token
    from django.test import RequestFactory

    from website.core.compression import SafeGZipMiddleware

    body = "<form><input name=csrfmiddlewaretoken value={}></form>" + "x" * 500

    def view(request):
        return HttpResponse(body.format(get_token(request)))

    request = RequestFactory().get("/report/", headers={"Accept-Encoding": "gzip"})
    response = SafeGZipMiddleware(view)(request)
    assert not response.has_header("Content-Encoding")
    plain = RequestFactory().get("/", headers={"Accept-Encoding": "gzip"})
    assert (
        SafeGZipMiddleware(lambda r: HttpResponse("x" * 600))(plain)["Content-Encoding"] == "gzip"
    )


def test_signed_in_staff_get_uncompressed_pages():
    user = factories.staff("bianji", "编辑")
    client = factories.logged_in(user)
    response = client.get("/admin/", headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert not response.has_header("Content-Encoding")
    # A response that used no CSRF token: compressed for anyone else, not for staff.
    from django.http import HttpResponse
    from django.test import RequestFactory

    from website.core.compression import SafeGZipMiddleware

    plain = SafeGZipMiddleware(lambda r: HttpResponse("x" * 600))
    request = RequestFactory().get("/", headers={"Accept-Encoding": "gzip"})
    request.user = user
    assert not plain(request).has_header("Content-Encoding")


# -- OpenAPI ---------------------------------------------------------------------------------


def test_the_openapi_description_is_published_and_listed():
    response = Client().get("/api/v2/openapi.json")
    assert response.status_code == 200
    doc = response.json()
    assert doc["openapi"].startswith("3.")
    assert {"/api/v2/pages/", "/api/v2/pages/{id}/", "/api/v2/regions/find/"} <= set(doc["paths"])
    assert doc["servers"] == [{"url": "http://testserver"}]
    # Absolute on FANGFEI_BASE_URL, like every address the API gives.
    assert Client().get("/api/").json()["openapi"].endswith("/api/v2/openapi.json")
    names = {p["name"] for p in doc["paths"]["/api/v2/pages/"]["get"]["parameters"]}
    assert {"type", "audience", "region", "tag", "limit", "offset", "fields"} <= names


# -- campaigns ---------------------------------------------------------------------------------


def test_campaigns_give_dates_events_and_their_calendar():
    page = of.campaign("防范非法集资宣传月")
    of.event(page, title="社区宣讲")
    of.event(page, title="不公开的活动", is_public=False)
    body = Client().get(f"{LISTING}{page.pk}/").json()
    assert body["kind"] == "month" and body["kind_display"] == "宣传月"
    assert body["start_date"] == page.start_date.isoformat()
    assert body["end_date"] == page.end_date.isoformat()
    assert body["phase"] == "current"
    assert [e["title"] for e in body["events"]] == ["社区宣讲"]
    event = body["events"][0]
    assert "contact_person" not in event and "13812345678" not in json.dumps(body)
    # On the public address, like every other address the API gives.
    assert event["calendar_url"].startswith(f"http://localhost{page.url}events/")
    assert body["calendar_url"] == f"http://localhost{page.url}ical/"
    assert body["calendar_webcal_url"] == f"webcal://localhost{page.url}ical/"


def test_a_campaign_listing_costs_the_same_queries_for_more_campaigns(
    django_assert_max_num_queries,
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    params = {"type": "campaigns.CampaignPage", "fields": "events,regions,audiences"}
    for _ in range(2):
        of.event(of.campaign())
    Client().get(LISTING, params)
    factories.standard("发布一下")
    with CaptureQueriesContext(connection) as few:
        assert Client().get(LISTING, params).status_code == 200
    for _ in range(4):
        of.event(of.campaign())
    factories.standard("再发布一下")
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = Client().get(LISTING, params).json()
    assert len(body["items"]) == 6 and all(item["events"] for item in body["items"])
