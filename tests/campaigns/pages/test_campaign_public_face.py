"""Campaign pages as the public sees them: events in a styled fact list, a calendar link only
for what is still to come, and no empty facts."""

import re

import pytest

from tests.campaigns.outreach import factories as of

pytestmark = pytest.mark.django_db


def test_only_upcoming_events_offer_add_to_calendar(client):
    page = of.campaign()
    of.event(page, title="明天的宣讲")
    of.event(page, title="上周的宣讲", start=of.at(-3), status="done", attendance=40)
    html = client.get(page.url).content.decode()
    assert "把“明天的宣讲”加入日历" in html
    assert "上周的宣讲" in html and "把“上周的宣讲”加入日历" not in html
    assert 'class="event-item is-past"' in html


def test_event_facts_are_a_definition_list_with_no_empty_entries(client):
    page = of.campaign()
    event = of.event(page, title="没有地址的宣讲")
    event.address = ""
    event.save()
    html = client.get(page.url).content.decode()
    facts = re.findall(r'<dl class="event-facts">(.*?)</dl>', html, re.S)
    assert facts
    for dl in facts:
        assert not re.search(r"<dd>\s*</dd>", dl)
        assert dl.count("<dt>") == dl.count("<dd>") == dl.count("<div>")
    assert "（）" not in html
    assert '<ul class="event-list">' in html


def test_campaigns_are_reachable_from_the_navigation(client):
    of.campaign()
    nav = client.get("/").content.decode()
    nav = nav[nav.index('class="wrap site-nav"') :]
    assert 'href="/campaigns/">宣传活动</a>' in nav[: nav.index("</nav>")]
    assert client.get("/campaigns/").status_code == 200
