"""Chinese-friendly data entry in headless Chromium: the region picker searched by name,
and starting a page: no stray draft before the first save, a pinyin slug, and a slug clash
told in Chinese at the top of the form while the editor is on the 内容 tab."""

import re
import shutil
import time

import pytest
from playwright.sync_api import expect

from tests.factories import notice_index, staff
from website.pages.models import RiskNoticePage

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

YUELU = "湖南省 › 长沙市 › 岳麓区"
TITLE = "2026年岳麓区防范非法集资宣传月"


def keep(path, name):
    """Copy a screenshot into the worktree's shots/ for a look (not committed)."""
    from pathlib import Path

    shots = Path(__file__).resolve().parents[2] / "shots"
    shots.mkdir(exist_ok=True)
    shutil.copy(path, shots / f"{name}.png")


def test_the_region_picker_finds_a_region_by_name_and_shows_its_path(
    staff_page, live_server, screenshot
):
    index = notice_index()
    page = staff_page(staff("bianji", "编辑"))
    page.goto(f"{live_server.url}/admin/pages/add/pages/risknoticepage/{index.pk}/")
    select = page.locator("select#id_region")
    search = page.locator("#id_region-search")
    expect(search).to_have_attribute("placeholder", re.compile("输入地名或代码查找"))
    search.fill("岳麓")
    expect(select.locator("option:checked")).to_have_text(YUELU)
    visible = select.locator("option:not([hidden])")
    texts = visible.all_text_contents()
    assert YUELU in texts and all("岳麓" in t for t in texts if t.strip("-").strip())
    assert "湖南省 › 益阳市 › 桃江县" not in texts
    keep(screenshot(page, "admin-region-picker"), "admin-region-picker")
    search.fill("没有这个地方")
    expect(page.locator(".region-picker__status")).to_have_text("没有找到这个地区")
    search.fill("")
    assert select.locator("option:not([hidden])").count() == select.locator("option").count()


def test_starting_a_page_leaves_no_draft_and_a_slug_clash_is_told_in_chinese(
    staff_page, live_server, screenshot
):
    index = notice_index()
    page = staff_page(staff("bianji", "编辑"))
    url = f"{live_server.url}/admin/pages/add/pages/risknoticepage/{index.pk}/"

    # Typing a title and walking away leaves nothing behind (Wagtail would autosave it).
    page.goto(url)
    page.locator("#id_title").fill(TITLE)
    page.locator("#id_summary").fill("摘要")
    time.sleep(2)  # several autosave intervals (500 ms) pass
    assert not RiskNoticePage.objects.exists()

    # Saving the draft gives it the title's pinyin, not percent-encoded Chinese.
    page.get_by_role("button", name="保存草稿").click()
    page.wait_for_url(re.compile(r"/admin/pages/\d+/edit/"))
    created = RiskNoticePage.objects.get()
    assert created.slug == "2026-nian-yueluqu-fangfan-feifajizi-xuanchuanyue"

    # The same title again: a fresh slug, no clash.
    page.goto(url)
    page.locator("#id_title").fill(TITLE)
    page.get_by_role("button", name="保存草稿").click()
    page.wait_for_url(re.compile(r"/admin/pages/\d+/edit/"))
    assert RiskNoticePage.objects.filter(slug=f"{created.slug}-2").exists()

    # A slug typed on the 推荐 tab that is taken: the editor, back on 内容, sees why.
    page.goto(url)
    page.locator("#id_title").fill("另一条提示")
    page.get_by_role("tab", name=re.compile("推荐")).click()
    # Wagtail copies the title into the slug a moment after typing; on a slow machine that
    # copy would land after our own slug and overwrite it, so wait for it first.
    expect(page.locator("#id_slug")).not_to_have_value("")
    page.locator("#id_slug").fill(created.slug)
    page.get_by_role("tab", name=re.compile("内容")).click()
    page.get_by_role("button", name="保存草稿").click()
    banner = page.locator(".messages")
    expect(banner).to_contain_text("网址别名在“推荐”标签页")
    expect(banner).to_contain_text(created.slug)
    expect(banner).not_to_contain_text("already")
    expect(page.get_by_role("tab", name=re.compile("推荐"))).to_contain_text("1")
    keep(screenshot(page, "admin-page-slug-error"), "admin-page-slug-error")
    assert RiskNoticePage.objects.count() == 2
