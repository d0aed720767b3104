"""Calendar feeds for partners: a calendar of all campaigns, webcal:// links beside the .ics
ones, caching headers a CDN can use (304 on page-cache hits too), CORS."""

import datetime

import pytest
from django.utils import timezone
from django.utils.cache import get_max_age
from icalendar import Calendar

from tests.campaigns.outreach import factories as of

pytestmark = pytest.mark.django_db


def days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


def test_one_calendar_holds_every_campaign_as_all_day_events(client):
    past = of.campaign("去年5·15", start=days(-400), end=days(-400), kind="day")
    current = of.campaign("本月宣传月", start=days(-2), end=days(10))
    response = client.get(of.campaign_index().url + "ical/")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    events = {str(e["SUMMARY"]): e for e in Calendar.from_ical(response.content).walk("VEVENT")}
    assert set(events) == {"去年5·15", "本月宣传月"}
    month = events["本月宣传月"]
    assert month["DTSTART"].dt == current.start_date
    assert month["DTEND"].dt == current.end_date + datetime.timedelta(days=1)  # exclusive
    assert str(month["URL"]) == f"http://testserver{current.url}"
    assert str(month["UID"]) == f"campaign-{current.translation_key}@fangfei.invalid"
    assert events["去年5·15"]["DTSTART"].dt == past.start_date


def test_webcal_links_sit_beside_the_ics_links(client):
    page = of.campaign("本月宣传月")
    text = client.get(page.url).content.decode()
    assert f'href="webcal://testserver{page.url}ical/"' in text
    index = client.get(of.campaign_index().url).content.decode()
    assert f'href="http://testserver{of.campaign_index().url}ical/"' in index
    assert f'href="webcal://testserver{of.campaign_index().url}ical/"' in index


@pytest.mark.parametrize("which", ["campaign", "all"])
def test_calendars_are_public_cacheable_and_readable_cross_origin(client, which):
    page = of.campaign("本月宣传月")
    of.event(page)
    url = page.url + "ical/" if which == "campaign" else of.campaign_index().url + "ical/"
    first = client.get(url)
    assert "public" in first["Cache-Control"] and get_max_age(first) > 0
    assert "stale-while-revalidate" in first["Cache-Control"]
    assert first["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in first["Access-Control-Expose-Headers"]
    assert "cookie" not in first.get("Vary", "").lower()
    assert client.get(url)["X-Cache"] == "HIT"
    hit = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert hit["X-Cache"] == "HIT"
    assert hit.status_code == 304 and hit.content == b""
    assert hit["Access-Control-Allow-Origin"] == "*"
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304


def test_a_dropped_event_moves_last_modified_on(client, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    page = of.campaign()
    of.event(page, title="留下的活动")
    dropped = of.event(page, title="撤下的活动")
    url = page.url + "ical/"
    first = client.get(url)
    dropped.is_public = False
    dropped.save()
    again = client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert again.status_code == 200 and "撤下的活动".encode() not in again.content


def test_a_revalidation_after_a_change_fills_the_page_cache(client):
    page = of.campaign("本月宣传月")
    of.event(page)
    url = page.url + "ical/"
    first = client.get(url)
    from website.core.cache import bump_content_version

    bump_content_version()  # anything published anywhere
    revalidated = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert revalidated.status_code == 304
    # The 304 was made from a rendered copy, which the page cache kept.
    assert client.get(url)["X-Cache"] == "HIT"


def test_the_calendar_of_a_restricted_campaign_is_never_public(client):
    from wagtail.models import PageViewRestriction

    page = of.campaign("内部宣传月")
    of.event(page)
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    url = page.url + "ical/"
    assert b"VCALENDAR" not in client.get(url).content  # asked to sign in
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.create_user("member", password="pw-123456789"))
    passed = client.get(url)
    assert b"VCALENDAR" in passed.content
    assert "private" in passed["Cache-Control"] and "public" not in passed["Cache-Control"]
    assert "Access-Control-Allow-Origin" not in passed
