"""The public lookup page and its JSON twin: what people are told, junk never a 500, limits."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from website.firms.models import Entity

from .conftest import make_entity

pytestmark = pytest.mark.django_db

PAGE = "/lookup/"
API = "/api/lookup/"


@pytest.fixture
def lists():
    return {
        "warned": make_entity("示范汇金投资管理有限公司", reason="承诺年化18%回报吸收资金"),
        "bank": make_entity("示范农村商业银行股份有限公司", "持牌机构", reason="持牌银行"),
        "lifted": make_entity(
            "示范旧事商贸有限公司",
            "经营异常",
            status=Entity.Status.LIFTED,
            lifted_on=datetime.date(2026, 6, 1),
        ),
    }


def page(q):
    response = Client().get(PAGE, {"q": q})
    assert response.status_code == 200
    return response.content.decode()


def test_the_url_name_and_empty_form():
    assert reverse("firms:lookup") == PAGE
    html = Client().get(PAGE).content.decode()
    assert 'name="q"' in html and "查询结果" not in html


def test_a_warned_firm_is_shown_red_with_reason_source_and_date(lists):
    html = page("汇金投资")
    assert "firm-warning" in html and "badge-severe" in html
    assert "承诺年化18%回报吸收资金" in html
    assert "示范市处非办风险提示" in html and "2026年3月15日" in html


def test_a_licensed_firm_comes_with_the_clone_warning_and_how_to_check(lists):
    html = page("农村商业银行")
    assert "firm-licensed" in html and "持牌金融机构" in html
    assert "持牌不等于它卖的产品安全" in html
    assert "克隆机构" in html and "国家金融监督管理总局" in html


def test_a_lifted_entry_says_so(lists):
    html = page("旧事商贸")
    assert "firm-lifted" in html and "2026年6月1日 解除" in html


def test_not_found_says_it_is_not_safe_and_how_to_verify(lists):
    html = page("查无此名的公司")
    assert "没查到不等于安全" in html
    assert "国家企业信用信息公示系统" in html
    assert "我要举报" in html or "举报" in html


def test_report_button_falls_back_to_the_reporting_settings(lists):
    from wagtail.models import Site

    from website.core.models import ReportingSettings

    settings_row = ReportingSettings.for_site(Site.objects.get(is_default_site=True))
    settings_row.hotline = "0737-12345678"
    settings_row.save()
    html = page("查无此名的公司")
    assert "0737-12345678" in html


def test_the_query_stays_out_of_the_site_search_box(lists):
    html = page("汇金投资")
    assert 'id="site-search" type="search" name="q" maxlength="100" placeholder' in html
    assert 'value="汇金投资"' in html and html.count('value="汇金投资"') == 1


def test_a_long_query_is_cut_and_said(lists):
    html = page("汇金投资" + "啊" * 100)
    assert "只查了前 60 个字" in html


def test_a_client_looking_up_too_fast_is_refused_for_a_while(lists, settings):
    settings.FIRMS_LOOKUP_RATE = (3, 60)
    client = Client()
    codes = [client.get(PAGE, {"q": f"汇金{i}"}).status_code for i in range(5)]
    assert codes[:3] == [200, 200, 200] and codes[-1] == 429
    refused = client.get(PAGE, {"q": "汇金x"})
    assert "太频繁" in refused.content.decode() and int(refused["Retry-After"]) >= 1
    # The empty form costs nothing.
    assert client.get(PAGE).status_code == 200


# -- JSON -------------------------------------------------------------------------------------
def test_the_json_endpoint_answers_with_the_matches(lists):
    response = Client().get(API, {"q": "汇金投资"})
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    data = response.json()
    assert data["found"] and data["warning"] and not data["licensed"]
    first = data["results"][0]
    assert first["name"] == "示范汇金投资管理有限公司" and first["role"] == "warning"
    assert first["source_date"] == "2026-03-15" and first["list"] == "警示名单"
    assert data["lookup_page"].endswith("/lookup/")


def test_the_json_endpoint_says_not_found_plainly(lists):
    data = Client().get(API, {"q": "查无此名"}).json()
    assert data["found"] is False and data["results"] == []
    assert "没查到不等于安全" in data["notice"]


@pytest.mark.parametrize(
    "query, message",
    [
        ({}, "缺少参数 q"),
        ({"q": ""}, "缺少参数 q"),
        ({"q": "汇"}, "至少要有两个字"),
        ({"q": "汇金" * 40}, "太长"),
        ({"q": "汇金", "limit": "5"}, "不支持的参数"),
        ({"q": ["汇金", "投资"]}, "只能出现一次"),
        ({"q": "汇\x00金"}, "控制字符"),
    ],
)
def test_bad_parameters_are_a_400_with_a_chinese_message(lists, query, message):
    response = Client().get(API, query)
    assert response.status_code == 400
    assert message in response.json()["message"]


def test_the_json_endpoint_is_read_only_and_rate_limited(lists, settings):
    assert Client().post(API, {"q": "汇金"}).status_code == 405
    settings.FIRMS_LOOKUP_RATE = (2, 60)
    client = Client()
    codes = [client.get(API, {"q": f"汇金{i}"}).status_code for i in range(4)]
    assert codes[-1] == 429


# -- junk ------------------------------------------------------------------------------------
FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
junk = st.one_of(
    st.text(max_size=80),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=30),
    st.sampled_from(
        [
            "\x00",
            "%",
            "_",
            "' OR 1=1 --",
            "９１３５０１００Ｍ０００１００Ｙ４３",
            "（）",
            "有限公司",
        ]
    ),
)


@FUZZ
@given(q=junk)
def test_junk_queries_never_error(lists, q, settings):
    settings.FIRMS_LOOKUP_RATE = (10**6, 60)
    assert Client().get(PAGE, {"q": q}).status_code == 200
    assert Client().get(API, {"q": q}).status_code in (200, 400)
