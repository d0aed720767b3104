"""Campaign pages: page rules, current/upcoming/past, the home slot, events shown publicly
without contact details, the iCalendar feeds, and junk query strings."""

import datetime

import pytest
from django.conf import settings
from django.utils import timezone
from icalendar import Calendar
from wagtail.test.utils import WagtailTestUtils  # noqa: F401

from campaigns.models import CampaignIndexPage, CampaignPage
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
    ev = by_uid[f"outreach-event-{first.pk}@{settings.CALENDAR_UID_DOMAIN}"]
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


def ics_lines(raw):
    assert raw.endswith(b"\r\n")
    return raw.split(b"\r\n")[:-1]


def test_feed_folding_never_splits_a_character(client):
    page = of.campaign()
    title = "防" * 100
    of.event(page, title=title)
    raw = client.get(page.url + "ical/").content
    lines = ics_lines(raw)
    assert all(len(line) <= 75 for line in lines)
    for line in lines:
        line.decode("utf-8")  # a character cut in two would not decode
    (event,) = Calendar.from_ical(raw).walk("VEVENT")
    assert str(event["SUMMARY"]) == title


def test_feed_escapes_text_values(client):
    page = of.campaign()
    title = "a,b;c\\d\ne"
    of.event(page, title=title)
    raw = client.get(page.url + "ical/").content
    assert b"SUMMARY:a\\,b\\;c\\\\d\\ne\r\n" in raw
    (event,) = Calendar.from_ical(raw).walk("VEVENT")
    assert str(event["SUMMARY"]) == title


def feed_event(client, page, event):
    """Return the VEVENT of ``event`` in the campaign's feed."""
    cal = Calendar.from_ical(client.get(page.url + "ical/").content)
    (found,) = [
        e for e in cal.walk("VEVENT") if str(e["UID"]).startswith(f"outreach-event-{event.pk}@")
    ]
    return found


def test_event_uid_is_the_same_under_any_host_header(client, settings):
    settings.ALLOWED_HOSTS = ["*"]
    page = of.campaign()
    e = of.event(page)
    uids = set()
    for host in ("testserver", "fangfei.example.cn", "10.0.0.5:8000"):
        for url in (page.url + "ical/", page.url + f"events/{e.pk}/ical/"):
            cal = Calendar.from_ical(client.get(url, HTTP_HOST=host).content)
            uids |= {str(v["UID"]) for v in cal.walk("VEVENT")}
    assert uids == {f"outreach-event-{e.pk}@{settings.CALENDAR_UID_DOMAIN}"}


def test_event_sequence_grows_with_each_change_attendees_see(client):
    page = of.campaign()
    e = of.event(page, title="社区宣讲", start=of.at(3, 9))
    assert feed_event(client, page, e)["SEQUENCE"] == 0
    e.start_at += datetime.timedelta(hours=2)
    e.end_at += datetime.timedelta(hours=2)
    e.save()
    moved = feed_event(client, page, e)
    assert moved["SEQUENCE"] == 1
    assert moved.decoded("DTSTART") == e.start_at
    e.venue = "村委会礼堂"
    e.save()
    assert feed_event(client, page, e)["SEQUENCE"] == 2
    # A change only staff see (attendance figures, contact) is no new revision.
    e.contact_person = "王五"
    e.planned_materials = 300
    e.save()
    assert feed_event(client, page, e)["SEQUENCE"] == 2


def test_cancelled_event_stays_in_feed_as_cancelled(client):
    page = of.campaign()
    e = of.event(page, title="要取消的活动", status="confirmed")
    assert str(feed_event(client, page, e)["STATUS"]) == "CONFIRMED"
    e.status = "cancelled"
    e.save()
    cancelled = feed_event(client, page, e)
    assert str(cancelled["STATUS"]) == "CANCELLED"
    assert cancelled["SEQUENCE"] == 1
    single = Calendar.from_ical(client.get(page.url + f"events/{e.pk}/ical/").content)
    assert [str(v["STATUS"]) for v in single.walk("VEVENT")] == ["CANCELLED"]
    # The campaign page itself no longer lists it.
    assert "要取消的活动" not in client.get(page.url).content.decode()


def test_feed_answers_not_modified_until_an_event_changes(client, settings):
    # The feed view's own answer: a page-cache hit is served before the view runs.
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    page = of.campaign()
    e = of.event(page)
    url = page.url + "ical/"
    first = client.get(url)
    assert first["ETag"] and first["Last-Modified"]
    assert client.get(url).content == first.content  # the same bytes while nothing changes
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and not again.content
    e.title = "改了名字"
    e.save()
    changed = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200 and "改了名字".encode() in changed.content


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
