"""embed.js sizes frames a partner's page adds after it loaded (a news site that loads its
article body by script): the MutationObserver finds them, and they follow their content."""

import functools
import http.server
import threading
import time

import pytest

from tests import factories
from tests.browser.conftest import PHONE

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

FIXED = 150

LATE_PAGE = """<!DOCTYPE html>
<html lang="zh-Hans"><head><meta charset="utf-8"><title>某县融媒体中心</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="margin:0;font-family:sans-serif">
<h1>本地新闻</h1>
<div id="article"></div>
<script async src="{ours}/static/embeds/embed.js"></script>
<script src="late.js"></script>
</body></html>
"""
# Added well after the loader ran, as a page that fetches its body would.
LATE_SCRIPT = """
window.addEventListener("load", function () {{
  setTimeout(function () {{
    var frame = document.createElement("iframe");
    frame.id = "late";
    frame.src = "{ours}/embed/notices/?count=3";
    frame.title = "风险提示";
    frame.width = "100%";
    frame.height = "{fixed}";
    frame.style.border = "0";
    frame.setAttribute("data-fangfei-embed", "");
    document.getElementById("article").appendChild(frame);
  }}, 800);
}});
"""


@pytest.fixture
def late_partner(live_server, tmp_path):
    for i in range(3):
        factories.notice(f"提示{i}", summary="不要相信保本高息的承诺。" * 6)
    (tmp_path / "index.html").write_text(LATE_PAGE.format(ours=live_server.url), encoding="utf-8")
    (tmp_path / "late.js").write_text(
        LATE_SCRIPT.format(ours=live_server.url, fixed=FIXED), encoding="utf-8"
    )
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    assert "localhost" in live_server.url  # another origin than the partner's 127.0.0.1
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


def test_a_frame_added_after_load_is_sized_to_its_content(browser, late_partner, screenshot):
    context = browser.new_context(viewport=PHONE, locale="zh-CN")
    page = context.new_page()
    page.goto(late_partner)
    page.wait_for_selector("#late", state="attached", timeout=10_000)
    frame = page.frame_locator("#late")
    frame.locator(".w-item").nth(2).wait_for(timeout=10_000)
    assert frame.locator(".w-item").count() == 3
    deadline = time.monotonic() + 10
    while True:
        styled = page.eval_on_selector("#late", "e => e.style.height")
        height = page.eval_on_selector("#late", "e => e.getBoundingClientRect().height")
        content = frame.locator("html").evaluate("e => Math.ceil(e.getBoundingClientRect().height)")
        if styled and abs(height - content) <= 2:
            break
        assert time.monotonic() < deadline, f"{height}px, content {content}px, style {styled!r}"
        page.wait_for_timeout(100)
    assert height > FIXED
    assert page.eval_on_selector("#late", "e => e.getAttribute('data-fangfei-ready')") == "1"
    screenshot(page, "embed-late-frame")
    context.close()


@pytest.mark.parametrize("elder", [False, True], ids=["standard", "elder"])
def test_a_campaign_page_offers_its_calendar_and_its_card(phone, live_server, screenshot, elder):
    from tests.campaigns.outreach import factories as of

    page = of.campaign("防范非法集资宣传月")
    of.event(page, title="社区防非宣讲")
    if elder:
        phone.context.add_cookies([{"name": "elder", "value": "1", "url": live_server.url}])
    phone.goto(live_server.url + page.url)
    webcal = phone.locator("a[href^='webcal://']")
    assert webcal.count() == 1 and webcal.is_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(phone, f"campaign-page-{'elder' if elder else 'standard'}")
    phone.goto(f"{live_server.url}/embed/page/{page.pk}/" + ("?size=large" if elder else ""))
    assert "社区防非宣讲" in phone.content()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(phone, f"campaign-card-{'elder' if elder else 'standard'}")
