"""Campaign pages: page rules, current/upcoming/past, the home slot, events shown publicly
without contact details, the iCalendar feeds, and junk query strings."""

import datetime

import pytest
from django.utils import timezone
from icalendar import Calendar
from wagtail.test.utils import WagtailTestUtils  # noqa: F401

from campaigns.models import CampaignIndexPage, CampaignPage
from campaigns.pages import ical
from tests import factories
from tests.campaigns.outreach import factories as of
from website.pages.models import HomePage

pytestmark = pytest.mark.django_db

SECRET_PHONE = "13987654321"
SECRET_PERSON = "李秘密"


def days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


def test_page_rules():
    assert CampaignIndexPage.parent_page_types == ["pages.HomePage"]
    assert "campaigns.CampaignIndexPage" in HomePage.subpage_types
    assert CampaignPage.parent_page_types == ["campaigns.CampaignIndexPage"]
    assert CampaignIndexPage.can_create_at(factories.home_page())
    assert not CampaignPage.can_create_at(factories.home_page())
    index = of.campaign_index()
    assert not CampaignIndexPage.can_create_at(factories.home_page())  # one per home
    assert CampaignPage.can_create_at(index)


def test_end_before_start_is_refused():
    from django.core.exceptions import ValidationError

    page = CampaignPage(title="x", slug="x", theme="t", start_date=days(5), end_date=days(1))
    with pytest.raises(ValidationError) as exc:
        page.clean()
    assert "end_date" in exc.value.message_dict


def test_index_groups_current_upcoming_past(client):
    current = of.campaign("本月宣传月", start=days(-2), end=days(10))
    upcoming = of.campaign("下月宣传周", start=days(20), end=days(27), kind="week")
    past = of.campaign("去年5·15", start=days(-400), end=days(-400), kind="day")
    groups = of.campaign_index().grouped()
    assert groups["current"] == [current]
    assert groups["upcoming"] == [upcoming]
    assert groups["past"] == [past]
    response = client.get(of.campaign_index().url)
    assert response.status_code == 200
    text = response.content.decode()
    assert text.index("本月宣传月") < text.index("下月宣传周") < text.index("去年5·15")


def test_home_slot_shows_current_campaign(client):
    of.campaign("过去的", start=days(-60), end=days(-30))
    page = of.campaign("正在进行的宣传月", start=days(-1), end=days(20))
    of.event(page, title="社区宣讲会", start=of.at(2))
    text = client.get("/").content.decode()
    assert "正在进行的宣传月" in text and "社区宣讲会" in text
    assert "过去的" not in text


def test_home_without_campaign_has_no_slot(client):
    of.campaign("早就结束了", start=days(-60), end=days(-30))
    assert "正在进行的宣传活动" not in client.get("/").content.decode()


def test_campaign_page_lists_public_events_without_contact(client):
    page = of.campaign()
    of.event(
        page, title="公开活动", phone=SECRET_PHONE, contact_person=SECRET_PERSON
    ) if False else None
    e = of.event(page, title="公开活动", phone=SECRET_PHONE)
    e.contact_person = SECRET_PERSON
    e.contact_email = "secret@example.org"
    e.save()
    of.event(page, title="内部活动", is_public=False)
    of.event(page, title="取消的活动", status="cancelled")
    of.event(page, title="已办活动", start=of.at(-3), status="done", attendance=50)
    response = client.get(page.url)
    text = response.content.decode()
    assert response.status_code == 200
    assert "公开活动" in text and "已办活动" in text
    assert "内部活动" not in text and "取消的活动" not in text
    assert_no_contact(text)


def assert_no_contact(text):
    for secret in (
        SECRET_PHONE,
        "139****4321",
        "3987654321",
        SECRET_PERSON,
        "secret@example.org",
        "张三",
    ):
        assert secret not in text


def test_no_contact_phone_in_any_public_page_or_feed(client):
    page = of.campaign()
    e = of.event(page, title="公开活动", phone=SECRET_PHONE, email="secret@example.org")
    e.contact_person = SECRET_PERSON
    e.save()
    urls = [
        "/",
        of.campaign_index().url,
        page.url,
        page.url + "ical/",
        page.url + f"events/{e.pk}/ical/",
        "/sitemap.xml",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_no_contact(response.content.decode())


def test_events_feed_is_valid_icalendar(client):
    page = of.campaign(title="防范非法集资宣传月，守住“钱袋子”；保护好养老钱")
    long_title = "进社区：" + "守住养老钱，远离高息诱惑；" * 8
    first = of.event(page, title=long_title, start=of.at(2, 9))
    of.event(
        page, title="金融网点宣传", channel_name="金融网点", start=of.at(3, 14), status="confirmed"
    )
    of.event(page, title="不公开", is_public=False)
    response = client.get(page.url + "ical/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    raw = response.content
    # Every line ends with CRLF, none is longer than 75 octets, continuations start with a space.
    assert raw.endswith(b"\r\n")
    lines = raw.split(b"\r\n")[:-1]
    assert all(b"\n" not in line and b"\r" not in line for line in lines)
    assert all(len(line) <= 75 for line in lines)
    assert any(line.startswith(b" ") for line in lines)  # the long title was folded
    cal = Calendar.from_ical(raw)
    events = cal.walk("VEVENT")
    assert len(events) == 2
    by_uid = {str(e["UID"]): e for e in events}
    ev = by_uid[f"outreach-{first.pk}@testserver"]
    assert str(ev["SUMMARY"]) == long_title
    assert ev.decoded("DTSTART") == first.start_at
    assert ev.decoded("DTEND") == first.end_at
    assert "DTSTAMP" in ev
    assert str(cal["X-WR-CALNAME"]) == page.title


def test_single_event_ics(client):
    page = of.campaign()
    e = of.event(page, title="学校宣讲", channel_name="学校")
    hidden = of.event(page, is_public=False)
    response = client.get(page.url + f"events/{e.pk}/ical/")
    cal = Calendar.from_ical(response.content)
    (only,) = cal.walk("VEVENT")
    assert str(only["SUMMARY"]) == "学校宣讲"
    assert client.get(page.url + f"events/{hidden.pk}/ical/").status_code == 404
    assert client.get(page.url + "events/999999/ical/").status_code == 404


def test_fold_never_splits_a_character():
    line = "SUMMARY:" + "防" * 100
    folded = ical.fold(line)
    pieces = folded.split("\r\n")
    assert all(len(p.encode()) <= 75 for p in pieces)
    assert "".join(p[1:] if i else p for i, p in enumerate(pieces)) == line


def test_escape():
    assert ical.escape("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"


@pytest.mark.parametrize(
    "query",
    [
        "?page=abc",
        "?region=%00",
        "?channel=" + "x" * 500,
        "?a=%ff%fe",
        "?date=2026-13-45&view=%3Cscript%3E",
    ],
)
def test_junk_query_params_never_500(client, query):
    page = of.campaign()
    of.event(page)
    for url in ("/", of.campaign_index().url, page.url, page.url + "ical/"):
        assert client.get(url + query).status_code in (200, 404), url


def test_demo_campaigns_are_current_and_idempotent(client):
    from website.demo.builder import publish_child
    from website.demo.campaigns import build_demo_campaigns

    made = build_demo_campaigns(factories.home_page(), publish_child)
    assert len(made) == 3
    assert build_demo_campaigns(factories.home_page(), publish_child) == []
    month = made[1]
    assert month.phase() == "current" and month.events.count() == 6
    text = client.get("/").content.decode()
    assert month.title in text
    assert "13800001003" not in client.get(month.url).content.decode()
