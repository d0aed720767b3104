"""Short links: idempotent labels, a count per visit and day with nothing about the person,
an immediate uncached redirect, and 404 for every code we did not issue."""

from urllib.parse import quote

import pytest
from django.test import Client, override_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from website.shortlinks import service
from website.shortlinks.models import DailyCount, ShortLink

pytestmark = pytest.mark.django_db


def test_link_for_gives_the_same_link_for_the_same_label():
    first = service.link_for("/cases/a/", kind="event", ref=42)
    again = service.link_for("/cases/a/", kind="event", ref="42")
    other_channel = service.link_for("/cases/a/", kind="event", ref=42, channel="shequ")
    assert first.pk == again.pk
    assert other_channel.pk != first.pk
    assert service.is_valid_code(first.code) and first.code.isascii()
    assert ShortLink.objects.count() == 2


def test_link_for_refuses_a_target_off_the_site():
    for target in ("https://evil.example/", "//evil.example/x", "cases/a/"):
        with pytest.raises(ValueError):
            service.link_for(target, kind="page", ref=1)


@override_settings(FANGFEI_BASE_URL="https://fangfei.example.cn")
def test_short_url_is_absolute_on_the_base_address():
    link = service.link_for("/notices/x/", kind="page", ref=3)
    assert service.short_url(link) == f"https://fangfei.example.cn/s/{link.code}"


def test_a_visit_is_counted_and_redirected_at_once_without_being_cached():
    link = service.link_for("/notices/x/", kind="event", ref=7)
    client = Client(REMOTE_ADDR="10.1.2.3", HTTP_USER_AGENT="MicroMessenger")
    for _ in range(3):
        response = client.get(f"/s/{link.code}")
        assert response.status_code == 302
        assert response["Location"] == "/notices/x/"
        assert "no-store" in response["Cache-Control"]
    assert client.get(f"/s/{link.code.upper()}").status_code == 302
    assert service.counts("event", [7, 8]) == {7: 4, 8: 0}
    # Nothing about the person: the only row is the day's number.
    row = DailyCount.objects.get()
    assert {f.name for f in DailyCount._meta.fields} == {"id", "link", "day", "count"}
    assert row.count == 4


def test_a_head_request_is_answered_but_not_counted():
    link = service.link_for("/notices/x/", kind="event", ref=7)
    assert Client().head(f"/s/{link.code}").status_code == 302
    assert service.counts("event", [7]) == {7: 0}


def test_channel_counts_split_a_campaign_by_channel():
    shequ = service.link_for("/c/", kind="campaign", ref=5, channel="shequ")
    xuexiao = service.link_for("/c/", kind="campaign", ref=5, channel="xuexiao")
    for code in (shequ.code, shequ.code, xuexiao.code):
        service.record_visit(code)
    assert service.channel_counts("campaign", 5) == {"shequ": 2, "xuexiao": 1}
    assert service.counts("campaign", ["5"]) == {"5": 3}


@pytest.mark.parametrize(
    "path",
    ["/s/zzzzzz", "/s/0o1il", "/s/%00", "/s/" + "a" * 500, "/s/防非", "/s/abc%2F..", "/s/'--"],
)
def test_unknown_or_malformed_codes_are_404(path):
    assert Client().get(path).status_code == 404


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(min_size=1, max_size=80))
def test_junk_codes_are_404_never_500(junk):
    response = Client(raise_request_exception=False).get("/s/" + quote(junk, safe=""))
    # A "/" inside makes it another path, which CommonMiddleware may first send to its
    # slash-ended form (301); that one is a 404 too.
    assert response.status_code == 404 or ("/" in junk and response.status_code == 301)
    assert DailyCount.objects.count() == 0
