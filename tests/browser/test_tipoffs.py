"""我要举报 on a 360-px phone without JavaScript, with an evidence photo, then the status page;
axe finds nothing on the form (empty, with errors), the receipt and the status page, in the
standard and the elder mode. Screenshots go to test-artifacts/tipoffs/."""

import io
import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from PIL import Image

from tests.browser.axe import AXE_OPTIONS
from website.tipoffs.models import Report

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "tipoffs"


@pytest.fixture(autouse=True)
def _private_evidence(settings, tmp_path):
    settings.TIPOFF_EVIDENCE_ROOT = tmp_path / "evidence"


def shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def no_violations(page, name):
    results = Axe().run(page, options=AXE_OPTIONS)
    assert not results.violations_count, f"{name}:\n{results.generate_report()}"
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"{name} is {width}px wide on a 360px phone"


def photo(tmp_path):
    path = tmp_path / "photo.jpg"
    image = Image.new("RGB", (60, 40), (180, 40, 40))
    buf = io.BytesIO()
    image.save(buf, "JPEG")
    path.write_bytes(buf.getvalue())
    return path


@pytest.mark.parametrize("elder", [False, True], ids=["standard", "elder"])
def test_report_without_javascript_then_check_its_status(browser, live_server, tmp_path, elder):
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, java_script_enabled=False, locale="zh-CN"
    )
    if elder:
        context.add_cookies([{"name": "elder", "value": "1", "url": live_server.url}])
    page = context.new_page()
    mode = "elder" if elder else "standard"
    try:
        page.goto(live_server.url + "/report/")
        shot(page, f"report-form-{mode}")

        page.get_by_role("button", name="提交举报").click()
        page.wait_for_load_state()
        assert page.get_by_role("alert").is_visible()
        assert "请写一写发生了什么" in page.content()
        shot(page, f"report-form-errors-{mode}")

        page.get_by_label("发生了什么").fill("有人在村里开会，说入股合作社年底分红三成。")
        page.get_by_label("企业、个人、APP或群的名称").fill("示例农业合作社")
        page.get_by_label("线下(上门、讲座、门店)").check()
        page.get_by_label("证据材料（选填）").set_input_files(str(photo(tmp_path)))
        page.get_by_role("button", name="提交举报").click()
        page.wait_for_load_state()
        assert page.url == live_server.url + "/report/done/"
        text = page.locator(".tipoff-receipt").inner_text()
        ref = re.search(r"JB-\d{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", text).group()
        secret = re.search(
            r"\b[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}\b", text.split("查询密码")[1]
        ).group()
        shot(page, f"report-done-{mode}")

        page.goto(live_server.url + "/report/status/")
        page.get_by_label("举报编号").fill(ref)
        page.get_by_label("查询密码").fill(secret)
        page.get_by_role("button", name="查询").click()
        page.wait_for_load_state()
        assert "受理登记" in page.locator(".tipoff-status").inner_text()
        shot(page, f"report-status-{mode}")
        report = Report.objects.get(reference=ref)
        assert report.evidence.get().kind == "image"
    finally:
        context.close()


@pytest.mark.parametrize("elder", [False, True], ids=["standard", "elder"])
def test_tipoff_pages_have_no_accessibility_violations(phone, live_server, elder):
    if elder:
        phone.context.add_cookies([{"name": "elder", "value": "1", "url": live_server.url}])
    phone.goto(live_server.url + "/report/")
    no_violations(phone, "report form")
    phone.get_by_role("button", name="提交举报").click()
    phone.wait_for_load_state()
    no_violations(phone, "report form with errors")

    phone.get_by_label("发生了什么").fill("经过")
    phone.get_by_label("企业、个人、APP或群的名称").fill("某公司")
    phone.get_by_label("网站").check()
    phone.get_by_label("手机号码（选填）").fill("13912345678")
    phone.get_by_role("button", name="提交举报").click()
    phone.wait_for_load_state()
    no_violations(phone, "receipt")

    phone.goto(live_server.url + "/report/status/")
    no_violations(phone, "status")
    phone.get_by_label("举报编号").fill("JB-2026-2222-2222")
    phone.get_by_label("查询密码").fill("2222-2222-2222")
    phone.get_by_role("button", name="查询").click()
    phone.wait_for_load_state()
    no_violations(phone, "status not found")
