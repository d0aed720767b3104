"""The images endpoint and the taxonomy: audiences, regions, tags."""

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests import factories
from website.pages.models import RiskNoticePage
from website.taxonomy.models import Audience, Region

from .helpers import get_json, image

pytestmark = pytest.mark.django_db


def test_images_are_those_that_live_public_pages_show():
    on_notice, in_body, on_draft, unused = (
        image(t) for t in ("列表图", "正文图", "草稿图", "闲置图")
    )
    notice = factories.notice("有图提示")
    notice.listing_image = on_notice
    notice.save_revision().publish()
    case = factories.case("正文有图的案例")
    case.body.append(("image", {"image": in_body, "caption": "图", "alt": ""}))
    case.save_revision().publish()
    draft = RiskNoticePage(
        title="草稿", slug="draft", summary="草稿", body=factories.body("草稿"), live=False
    )
    draft.listing_image = on_draft
    factories.notice_index().add_child(instance=draft)

    body = get_json("/api/v2/images/")[1]
    assert {i["title"] for i in body["items"]} == {"列表图", "正文图"}
    for hidden in (on_draft, unused):
        assert get_json(f"/api/v2/images/{hidden.pk}/")[0].status_code == 404


def test_image_detail_has_absolute_urls_and_a_thumbnail():
    poster = image("宣传海报")
    notice = factories.notice("有图提示")
    notice.listing_image = poster
    notice.save_revision().publish()
    poster.tags.add("5·15")
    body = get_json(f"/api/v2/images/{poster.pk}/")[1]
    assert body["title"] == "宣传海报"
    assert (body["width"], body["height"]) == (640, 360)
    assert body["meta"]["download_url"].startswith(settings.WAGTAILAPI_BASE_URL + "/media/")
    assert body["meta"]["tags"] == [{"slug": "515", "name": "5·15"}]
    assert body["thumbnail"]["width"] == 480
    assert body["thumbnail"]["full_url"].startswith(settings.WAGTAILADMIN_BASE_URL)


def test_audiences_come_in_the_sites_order_with_their_labels():
    body = get_json("/api/v2/audiences/", {"fields": "entry_label"})[1]
    assert [i["slug"] for i in body["items"]] == list(
        Audience.objects.order_by("sort_order", "name").values_list("slug", flat=True)
    )
    elderly = body["items"][0]
    assert (elderly["name"], elderly["entry_label"]) == ("老年人", "我是老年人")


def test_audience_found_by_slug():
    response = Client().get("/api/v2/audiences/find/", {"slug": "students"})
    assert response.status_code == 302
    detail = get_json(response["Location"])[1]
    assert detail["name"] == "在校学生"


def test_regions_filter_by_parent_code_and_level():
    children = get_json("/api/v2/regions/", {"parent": "4309"})[1]
    assert {i["code"] for i in children["items"]} == set(
        Region.objects.filter(parent__code="4309").values_list("code", flat=True)
    )
    assert all(i["parent"]["code"] == "4309" for i in children["items"])
    provinces = get_json("/api/v2/regions/", {"level": "1"})[1]
    assert {i["level"] for i in provinces["items"]} == {1}
    assert all(i["parent"] is None for i in provinces["items"])
    one = get_json("/api/v2/regions/", {"code": "430922"})[1]
    assert [i["name"] for i in one["items"]] == ["桃江县"]


def test_region_detail_and_find_by_code():
    response = Client().get("/api/v2/regions/find/", {"code": "430922"})
    assert response.status_code == 302
    detail = get_json(response["Location"])[1]
    assert detail["name"] == "桃江县"
    assert detail["level_display"] == "县(区)"
    assert detail["parent"] == {"code": "4309", "name": "益阳市", "level": 2}
    assert detail["path"].endswith("/4309/430922/")


def test_tags_are_listed_by_name_with_the_slugs_filters_use(topics):
    body = get_json("/api/v2/tags/", {"limit": 50})[1]
    names = [i["name"] for i in body["items"]]
    assert names == sorted(names)
    crypto = next(i for i in body["items"] if i["name"] == "区块链/虚拟货币")
    pages = get_json("/api/v2/pages/", {"tag": crypto["slug"]})[1]
    assert {i["title"] for i in pages["items"]} == {"校园虚拟币"}


def test_taxonomy_listings_cost_constant_queries(django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        regions = get_json("/api/v2/regions/", {"limit": 50, "fields": "*"})[1]
    assert len(regions["items"]) == min(50, Region.objects.count())
    with django_assert_max_num_queries(4):
        get_json("/api/v2/audiences/", {"fields": "*"})
    with django_assert_max_num_queries(4):
        get_json("/api/v2/tags/", {"limit": 50})


def test_image_listing_queries_do_not_grow_with_the_number_of_images(django_assert_max_num_queries):
    for i in range(8):
        poster = image(f"图{i}")
        poster.tags.add("海报")
        notice = factories.notice(f"提示{i}")
        notice.listing_image = poster
        notice.save_revision().publish()
    fields = "thumbnail,tags,download_url"
    get_json("/api/v2/images/", {"fields": fields, "limit": 8})  # draws the thumbnails
    with CaptureQueriesContext(connection) as one_image:
        get_json("/api/v2/images/", {"fields": fields, "limit": 1})
    with django_assert_max_num_queries(len(one_image)):
        body = get_json("/api/v2/images/", {"fields": fields, "limit": 8, "_": 1})[1]
    assert len(body["items"]) == 8
