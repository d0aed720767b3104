"""The OpenAPI description says what each endpoint's answers hold, not just ``id``/``meta``:
real answers of every endpoint (all fields, none, details) validate against the schema it
publishes, formats included, and answers that break the promises (an unknown notice level, an
event carrying its organiser's phone, a relative address, a time that is no time) do not.

The services tier drives the same description with schemathesis; this checks the shapes with
realistic content on every run."""

import copy
import re

import jsonschema_rs
import pytest
from django.conf import settings
from django.test import Client

from tests import factories
from tests.api.helpers import image
from tests.campaigns.outreach import factories as of

pytestmark = pytest.mark.django_db


@pytest.fixture
def doc():
    return Client().get("/api/v2/openapi.json").json()


def answer_schema(doc, path):
    """Return a validator for the documented 200 answer of ``path`` (a concrete address)."""
    for template, item in doc["paths"].items():
        if re.fullmatch(re.sub(r"\{id\}", "[0-9]+", template), path):
            schema = item["get"]["responses"]["200"]["content"]["application/json"]["schema"]
            return jsonschema_rs.Draft202012Validator(
                {**schema, "components": doc["components"]}, validate_formats=True
            )
    raise AssertionError(f"{path} is not in the description")


def errors(doc, path, body):
    return [e.message for e in answer_schema(doc, path).iter_errors(body)]


@pytest.fixture
def content():
    poster = image("宣传海报")
    notice = factories.notice(
        "养老院预售床位", audiences=["elderly"], tags=["养老服务"], region="430922", level="severe"
    )
    notice.listing_image = poster
    notice.save_revision().publish()
    factories.notice("昨天到期", valid_until=factories.days(-1))
    case = factories.case(
        "以房养老骗局",
        audiences=["elderly"],
        region="430922",
        victims=37,
        amount_involved="1280.50",
    )
    campaign = of.campaign("防范非法集资宣传月")
    of.event(campaign, title="社区宣讲")
    return {"notice": notice, "case": case, "campaign": campaign, "poster": poster}


ANSWERS = [
    ("/api/v2/", {}),
    ("/api/v2/pages/", {}),
    ("/api/v2/pages/", {"fields": "*"}),
    ("/api/v2/pages/", {"fields": "_"}),
    ("/api/v2/pages/", {"type": "pages.RiskNoticePage", "fields": "*"}),
    ("/api/v2/pages/", {"type": "pages.CaseStudyPage", "fields": "*"}),
    ("/api/v2/pages/", {"type": "campaigns.CampaignPage", "fields": "*"}),
    ("/api/v2/images/", {"fields": "*"}),
    ("/api/v2/audiences/", {"fields": "*"}),
    ("/api/v2/regions/", {"fields": "*", "limit": 50}),
    ("/api/v2/tags/", {"fields": "*"}),
]


@pytest.mark.parametrize(("path", "params"), ANSWERS)
def test_every_listing_answers_as_described(doc, content, path, params):
    response = Client().get(path, params)
    assert response.status_code == 200
    body = response.json()
    assert errors(doc, path, body) == []
    if "items" in body and params.get("fields") != "_":
        assert body["items"], "an empty listing would prove nothing"


def test_every_detail_answers_as_described(doc, content):
    client = Client()
    pages = client.get("/api/v2/pages/", {"limit": 50}).json()["items"]
    details = [f"/api/v2/pages/{p['id']}/" for p in pages]
    details.append(f"/api/v2/images/{content['poster'].pk}/")
    for name in ("audiences", "regions", "tags"):
        first = client.get(f"/api/v2/{name}/").json()["items"][0]
        details.append(f"/api/v2/{name}/{first['id']}/")
    assert len(details) >= 10
    for path in details:
        body = client.get(path).json()
        assert errors(doc, path, body) == [], path


def notice_answer(content):
    return Client().get(f"/api/v2/pages/{content['notice'].pk}/").json()


def campaign_answer(content):
    return Client().get(f"/api/v2/pages/{content['campaign'].pk}/").json()


@pytest.mark.parametrize(
    ("which", "break_it"),
    [
        ("notice", lambda b: b.update(level="urgent")),
        ("notice", lambda b: b.update(issued_on="昨天")),
        ("notice", lambda b: b["meta"].update(detail_url="/api/v2/pages/5/")),
        ("notice", lambda b: b.update(region={"code": "湖南", "name": "湖南", "level": 1})),
        ("notice", lambda b: b.update(audiences=["elderly"])),
        ("notice", lambda b: b.update(is_expired="no")),
        ("campaign", lambda b: b["events"][0].update(contact_phone="13812345678")),
        ("campaign", lambda b: b["events"][0].update(start_at="2027-06-15 09:00")),
        ("campaign", lambda b: b.update(calendar_webcal_url="https://example.cn/ical/")),
        ("campaign", lambda b: b.update(phase="soon")),
    ],
)
def test_answers_that_break_a_promise_do_not_validate(doc, content, which, break_it):
    body = notice_answer(content) if which == "notice" else campaign_answer(content)
    path = f"/api/v2/pages/{body['id']}/"
    assert errors(doc, path, body) == []
    broken = copy.deepcopy(body)
    break_it(broken)
    assert errors(doc, path, broken)


def test_campaign_addresses_are_on_the_public_address_and_times_in_shanghai(content):
    body = Client(HTTP_HOST="127.0.0.1").get(f"/api/v2/pages/{content['campaign'].pk}/").json()
    base = settings.WAGTAILAPI_BASE_URL
    assert body["calendar_url"].startswith(base + "/")
    assert body["events"][0]["calendar_url"].startswith(base + "/")
    assert body["calendar_webcal_url"].startswith("webcal://localhost/")
    assert body["events"][0]["start_at"].endswith("+08:00")


def test_every_api_field_of_every_page_type_is_described(doc):
    from wagtail.models import get_page_models

    described = doc["components"]["schemas"]["Page"]["properties"]
    for model in get_page_models():
        for field in getattr(model, "api_fields", []):
            name = getattr(field, "name", field)
            assert name in described, f"{model.__name__}.{name} is not in the description"


def test_two_page_types_may_not_describe_one_field_two_ways(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    from website.api import openapi

    class A:
        api_schema = {"summary": {"type": "string"}}

    class B:
        api_schema = {"summary": {"type": "integer"}}

    monkeypatch.setattr(openapi, "get_page_models", lambda: [A, B])
    with pytest.raises(ImproperlyConfigured, match="summary"):
        openapi.page_schema()
