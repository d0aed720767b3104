import json

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from website.redflags.forms import MAX_CHARS

pytestmark = pytest.mark.django_db

URL = "/api/check/"
ORIGIN = {"Origin": "https://partner.example"}


def post_json(body, client=None, content_type="application/json"):
    data = body if isinstance(body, (str, bytes)) else json.dumps(body)
    return (client or Client(enforce_csrf_checks=True)).post(
        URL, data=data, content_type=content_type, headers=ORIGIN
    )


def test_a_json_post_gets_the_flags_cross_origin_without_csrf():
    response = post_json({"text": "保 本 保 息，月息2分，推荐好友奖励100元"})
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response
    data = response.json()
    assert data["flagged"] is True
    assert {"lure", "social"} <= set(data["features"])
    assert "保本保息" in data["methods"]
    flag = data["flags"][0]
    assert {"start", "end", "phrase", "feature", "feature_label", "method", "explanation"} <= set(
        flag
    )
    assert data["rates"][0]["annual_percent"] == 24
    assert "没发现风险信号不等于安全" in data["note"]


def test_a_form_body_works_too():
    response = Client().post(URL, {"text": "稳赚不赔"}, headers=ORIGIN)
    assert response.status_code == 200
    assert response.json()["flagged"] is True


def test_the_preflight_allows_a_json_post():
    response = Client().options(
        URL,
        headers={
            **ORIGIN,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert response.status_code == 204
    assert "POST" in response["Access-Control-Allow-Methods"]
    assert "Content-Type" in response["Access-Control-Allow-Headers"]


@pytest.mark.parametrize(
    "body, content_type, status, says",
    [
        ("{not json", "application/json", 400, "JSON"),
        (b"\xff\xfe", "application/json", 400, "JSON"),
        ([1, 2], "application/json", 400, "JSON 对象"),
        ({}, "application/json", 400, "缺少 text"),
        ({"text": 5}, "application/json", 400, "缺少 text"),
        ({"text": "   "}, "application/json", 400, "缺少 text"),
        ({"text": "保" * (MAX_CHARS + 1)}, "application/json", 400, "太长"),
        ("text=x", "text/plain", 415, "application/json"),
    ],
)
def test_bad_input_is_a_json_message(body, content_type, status, says):
    response = post_json(body, content_type=content_type)
    assert response.status_code == status
    assert says in response.json()["message"]


def test_get_is_refused_with_a_json_message():
    response = Client().get(URL)
    assert response.status_code == 405
    assert "POST" in response.json()["message"]


def test_the_endpoint_is_rate_limited():
    from website.redflags import views

    client = Client()
    statuses = [
        post_json({"text": "保本"}, client).status_code for _ in range(views.API_RATE.limit + 1)
    ]
    assert statuses[0] == 200 and statuses[-1] == 429


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    text=st.one_of(
        st.text(max_size=400),
        st.text(
            alphabet="保本息月年日化分厘成千万两十%0123456789.·- 　，。返推荐…#|*", max_size=200
        ),
    )
)
def test_junk_never_makes_a_server_error(text):
    from django.core.cache import cache

    cache.clear()  # the rate limit is not what this test is about
    api = Client().post(URL, data=json.dumps({"text": text}), content_type="application/json")
    assert api.status_code in (200, 400)
    page = Client().post("/check/", {"text": text})
    assert page.status_code in (200, 400)
