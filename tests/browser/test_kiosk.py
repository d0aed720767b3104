"""The kiosk on a branch screen rides out a network drop and a 502 during a deploy: the current
notice stays on screen and the next one comes when the site answers again."""

import pytest

from tests import factories

pytestmark = [
    pytest.mark.browser,
    # Like every browser test: the content the migrations made (home page, content types) is
    # restored for the test and survives it for the next one.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_kiosk_recovers_by_itself_after_a_network_drop_and_a_502(phone, live_server):
    factories.notice("第一条提示")
    factories.notice("第二条提示")
    failures = ["network", "502"]
    seen = []

    def flaky(route):
        seen.append(route.request.url)
        if failures:
            failure = failures.pop(0)
            if failure == "network":
                route.abort("internetdisconnected")
            else:
                route.fulfill(status=502, body="<h1>502 Bad Gateway</h1>", content_type="text/html")
        else:
            route.continue_()

    phone.goto(f"{live_server.url}/embed/kiosk/?interval=5")
    first = phone.locator("h1.kiosk-title").inner_text()
    phone.route("**/embed/kiosk/?*i=*", flaky)
    # interval 5 s, then retries after 5 s and 10 s: the turn lands within about 20 s.
    phone.wait_for_function(
        "first => document.querySelector('h1.kiosk-title').textContent !== first",
        arg=first,
        timeout=60_000,
    )
    assert len(seen) == 3 and not failures
    assert phone.url.startswith(live_server.url + "/embed/kiosk/")
    assert {first, phone.locator("h1.kiosk-title").inner_text()} == {"第一条提示", "第二条提示"}
    assert phone.locator("main").get_attribute("class") == "embed-main"
