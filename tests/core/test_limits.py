"""The one client address and the one limiter every limit of the site is built on."""

import pytest
from django.test import RequestFactory

from website.core import limits

rf = RequestFactory()


def test_forwarded_for_is_ignored_unless_proxies_are_trusted(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    settings.SMS_TRUSTED_PROXY_COUNT = 0
    request = rf.post("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 5.6.7.8")
    assert limits.client_ip(request) == "10.0.0.1"
    settings.TRUSTED_PROXY_COUNT = 1
    assert limits.client_ip(request) == "5.6.7.8"
    settings.TRUSTED_PROXY_COUNT = 2
    assert limits.client_ip(request) == "1.2.3.4"
    settings.TRUSTED_PROXY_COUNT = 3  # fewer entries than proxies: the socket's address
    assert limits.client_ip(request) == "10.0.0.1"
    junk = rf.post("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="\x00not-an-ip")
    settings.TRUSTED_PROXY_COUNT = 1
    assert limits.client_ip(junk) == ""


def test_the_older_sms_proxy_setting_still_counts_when_the_new_one_is_not_set(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    settings.SMS_TRUSTED_PROXY_COUNT = 1
    request = rf.post("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 5.6.7.8")
    assert limits.client_ip(request) == "5.6.7.8"
    del settings.TRUSTED_PROXY_COUNT
    assert limits.client_ip(request) == "5.6.7.8"


def test_a_request_without_a_usable_address_counts_as_unknown():
    assert limits.client_ip(rf.get("/", REMOTE_ADDR="")) == ""
    assert limits.client_address(rf.get("/", REMOTE_ADDR="junk")) == "unknown"


def test_ipv6_clients_count_per_64_and_mapped_ipv4_as_ipv4():
    assert limits.address_bucket("2001:db8:1:2::1") == limits.address_bucket("2001:db8:1:2:ffff::9")
    assert limits.address_bucket("2001:db8:1:2::1") != limits.address_bucket("2001:db8:1:3::1")
    assert limits.address_bucket("::ffff:192.0.2.7") == "192.0.2.7"
    assert limits.address_bucket("192.0.2.7") == "192.0.2.7"


def test_a_limit_allows_its_rate_then_refuses_and_says_how_long_to_wait():
    now = 1_000_000.0
    verdicts = [limits.hit("t", "a", (3, 60), now=now) for _ in range(4)]
    assert [v.allowed for v in verdicts] == [True, True, True, False]
    refused = verdicts[-1]
    assert refused.scope == "t"
    assert 0 < refused.wait <= 120 and refused.retry_after >= 1
    # Other identities have their own budget.
    assert limits.hit("t", "b", (3, 60), now=now).allowed


def test_a_client_cannot_spend_twice_its_limit_across_a_window_boundary():
    """A fixed window would allow 10 at 59 s and 10 more at 61 s."""
    rate = (10, 60)
    for _ in range(10):
        assert limits.hit("edge", "a", rate, now=1_000_059.0).allowed
    assert not limits.hit("edge", "a", rate, now=1_000_061.0).allowed


def test_the_budget_comes_back_as_the_window_slides_on():
    rate = (10, 60)
    for _ in range(10):
        assert limits.hit("slide", "a", rate, now=1_000_020.0).allowed  # slot starts at 999_960
    refused = limits.hit("slide", "a", rate, now=1_000_030.0, charge_refused=False)
    assert not refused.allowed
    assert limits.hit("slide", "a", rate, now=1_000_030.0 + refused.wait + 0.01).allowed


def test_a_refused_hit_keeps_counting_unless_it_is_given_back():
    start = 999_960.0  # a window's first second
    for _ in range(5):
        limits.hit("pay", "a", (2, 60), now=start)
        limits.hit("free", "a", (2, 60), now=start, charge_refused=False)
    # Halfway through the next window half of the previous one still counts.
    assert limits.hit("free", "a", (2, 60), now=start + 90).allowed
    assert not limits.hit("pay", "a", (2, 60), now=start + 90).allowed


def test_spend_gives_back_what_it_refuses():
    key = limits.key("budget", "day")
    assert limits.spend(key, 2, 60) == (True, 1)
    assert limits.spend(key, 2, 60) == (True, 2)
    assert limits.spend(key, 2, 60) == (False, 3)
    assert limits.spend(key, 3, 60) == (True, 3)  # the refused one spent nothing


def test_once_is_true_only_the_first_time_and_says_how_long_is_left():
    assert limits.once("cool", "n", 60)
    assert not limits.once("cool", "n", 60)
    assert 0 < limits.once_left("cool", "n") <= 60
    assert limits.once_left("cool", "other") == 0


def test_keys_never_contain_the_identity():
    assert "13912345678" not in limits.key("sms", "+8613912345678", 3600, 7)


def test_the_worst_verdict_is_the_longest_wait():
    a = limits.Verdict(False, 5, "a")
    b = limits.Verdict(False, 50, "b")
    assert limits.worst([limits.ALLOWED, a, b]) is b
    assert limits.worst([limits.ALLOWED]).allowed and limits.worst([]).allowed


@pytest.mark.parametrize("value", [(0, 60), (-1, 60)])
def test_a_zero_limit_means_unlimited(value):
    assert all(limits.hit("zero", "a", value, now=1.0).allowed for _ in range(50))


def test_several_limits_counted_at_once_share_the_counters_and_verdicts_of_hit():
    # On Redis (services tier) hit_many is one pipelined round trip; it must count with hit.
    now = 2_000_030.0
    assert limits.hit("many-a", "x", (3, 60), now=now).allowed
    assert limits.hit("many-a", "x", (3, 60), now=now).allowed
    third, other, unlimited = limits.hit_many(
        [("many-a", "x", (3, 60)), ("many-b", "x", (1, 60)), ("many-c", "x", (0, 60))], now=now
    )
    assert third.allowed and other.allowed and unlimited.allowed
    fourth, second_b = limits.hit_many(
        [("many-a", "x", (3, 60)), ("many-b", "x", (1, 60))], now=now
    )
    assert not fourth.allowed and fourth.scope == "many-a"
    assert not second_b.allowed and second_b.scope == "many-b"
    # The refused requests stayed counted, and hit sees them.
    again = limits.hit("many-a", "x", (3, 60), now=now)
    assert not again.allowed and again.wait >= fourth.wait
