"""CORS for reads, no writes, and the page cache in front of the API."""

import pytest
from django.test import Client

from tests import factories

from .helpers import get_json, titles

pytestmark = pytest.mark.django_db

LISTING = "/api/v2/pages/"
ORIGIN = {"Origin": "https://news.example.cn"}


def test_reads_are_open_to_any_origin_without_credentials(topics):
    for response in (
        Client().get(LISTING, headers=ORIGIN),
        Client().head(LISTING, headers=ORIGIN),
        Client().get("/api/v2/regions/", headers=ORIGIN),
        Client().get("/api/", headers=ORIGIN),
    ):
        assert response.status_code == 200
        assert response["Access-Control-Allow-Origin"] == "*"
        assert "Access-Control-Allow-Credentials" not in response


def test_errors_are_readable_cross_origin_too():
    for path in (f"{LISTING}?limit=abc", f"{LISTING}999999/", "/api/v2/nothing/"):
        response = Client().get(path, headers=ORIGIN)
        assert response.status_code in (400, 404)
        assert response["Access-Control-Allow-Origin"] == "*"
        assert response.json()["message"]


def test_preflight_allows_only_read_methods():
    response = Client().options(
        LISTING,
        headers={
            **ORIGIN,
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "accept",
        },
    )
    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    assert "Accept" in response["Access-Control-Allow-Headers"]
    assert int(response["Access-Control-Max-Age"]) > 0
    assert "Access-Control-Allow-Credentials" not in response


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_writes_are_refused_before_csrf_or_anything_else(method):
    client = Client(enforce_csrf_checks=True)
    response = getattr(client, method)(
        LISTING, data='{"title": "x"}', content_type="application/json", headers=ORIGIN
    )
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD, OPTIONS"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "GET" in response.json()["message"]


def test_other_paths_get_no_cors_headers():
    response = Client().get("/", headers=ORIGIN)
    assert "Access-Control-Allow-Origin" not in response


def test_cached_answers_keep_cors_and_follow_publishing(topics):
    params = {"type": "pages.RiskNoticePage", "limit": 50}
    first = Client().get(LISTING, params, headers=ORIGIN)
    again = Client().get(LISTING, params, headers=ORIGIN)
    assert first["X-Cache"] == "MISS" and again["X-Cache"] == "HIT"
    assert again["Access-Control-Allow-Origin"] == "*"
    assert again.content == first.content

    factories.notice("刚发布的提示")
    fresh = get_json(LISTING, params)[1]
    assert "刚发布的提示" in titles(fresh)


def test_bad_requests_are_not_cached():
    Client().get(LISTING, {"limit": "abc"})
    response = Client().get(LISTING, {"limit": "abc"})
    assert response.status_code == 400
    assert "X-Cache" not in response


def test_a_staff_session_sees_only_what_everyone_sees(topics):
    from wagtail.models import Page

    user = factories.staff("shenhe", "审核员")
    client = factories.logged_in(user)
    draft = factories.notice("草稿提示")
    Page.objects.filter(pk=draft.pk).update(live=False)
    response = client.get(LISTING, {"limit": 50})
    assert "草稿提示" not in titles(response.json())
    assert client.get(f"{LISTING}{draft.pk}/").status_code == 404
