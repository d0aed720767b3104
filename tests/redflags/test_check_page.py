import logging

import pytest
from django.apps import apps
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from tests import factories
from website.redflags.forms import MAX_CHARS
from website.redflags.models import CheckerSettings, Rule

pytestmark = pytest.mark.django_db

PITCH = "親，我們的理財產品保 本 保 息，月息2分，推荐一位朋友再奖励300元，錯過就沒了。"
URL = "/check/"


def post(text, client=None):
    return (client or Client()).post(URL, {"text": text})


def test_the_page_works_without_javascript_and_is_never_cached():
    response = Client().get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert reverse("redflags:check") == URL
    assert '<form class="rf-form" method="post" action="/check/">' in html
    assert f'maxlength="{MAX_CHARS}"' in html
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
    assert "X-Cache" not in response


def test_a_pitch_is_highlighted_grouped_and_explained():
    response = post(PITCH)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<mark class="rf-mark rf-lure">保 本 保 息</mark>' in html
    assert "推荐一位朋友再奖励" in html
    for heading in ("利诱性", "社会性", "保本保息", "拉人头返利", "高额回报"):
        assert heading in html
    assert "折合年化约 24" in html
    assert "没发现风险信号不等于安全" in html


def test_no_flags_still_says_that_is_not_safety():
    html = post("妈，周末我带孩子回家吃饭。").content.decode()
    assert "没有发现我们认识的风险信号" in html
    assert "没发现风险信号不等于安全" in html
    assert "<mark" not in html


def test_related_cases_and_notices_of_the_same_pretext_are_linked():
    factories.notice("养老床位骗局提示", tags=["养老服务"])
    factories.case("某养老公寓案", tags=["养老服务"])
    html = post("预订床位每年返还12%，到期全额退还本金").content.decode()
    assert "养老床位骗局提示" in html and "某养老公寓案" in html
    assert "?tag=" in html


def test_too_long_a_text_is_refused_with_a_clear_message():
    response = post("保本" * MAX_CHARS)
    assert response.status_code == 400
    assert "文字太长了" in response.content.decode()


def test_empty_text_is_refused():
    response = post("   ")
    assert response.status_code == 400
    assert "请先粘贴要检查的文字" in response.content.decode()


def test_the_threshold_staff_set_decides_which_rates_are_flagged():
    text = "年化收益8%"
    assert "高于 6" in post(text).content.decode()
    setting = CheckerSettings.load()
    setting.annual_rate_threshold = 10
    setting.save()
    html = post(text).content.decode()
    assert "高于 10" not in html and "<mark" not in html and "折合年化约 8" in html


def test_only_published_rules_run_publicly():
    rule = Rule.objects.get(key="crypto")
    rule.pattern = "虚拟币"
    rule.save_revision()  # a draft, not published
    html = post("这种数字藏品很值钱").content.decode()
    assert "<mark" in html  # the published rule still has 数字藏品
    rule.refresh_from_db()
    rule.live = False
    rule.save()
    assert "<mark" not in post("这种数字藏品很值钱").content.decode()


def test_the_text_is_neither_stored_nor_logged(caplog):
    secret = "独一无二的标记文字XYZZY保本保息月息2分"
    caplog.set_level(logging.DEBUG)
    post("预热")  # the first check makes the settings rows; that is not the text
    before = {m._meta.label: m.objects.count() for m in apps.get_models()}
    response = post(secret)
    assert response.status_code == 200
    after = {m._meta.label: m.objects.count() for m in apps.get_models()}
    assert before == after
    assert "XYZZY" not in caplog.text
    # The fast tier's cache is locmem: its entries are pickled bytes, keys plain strings.
    for key, value in getattr(cache, "_cache", {}).items():
        assert "XYZZY" not in key and b"XYZZY" not in value
    if hasattr(cache, "client") and hasattr(cache.client, "get_client"):  # django-redis
        redis = cache.client.get_client()
        for key in redis.scan_iter(count=1000):
            assert b"XYZZY" not in key
            if redis.type(key) == b"string":
                assert b"XYZZY" not in (redis.get(key) or b"")


def test_a_crash_report_would_not_carry_the_text(rf):
    from django.views.debug import SafeExceptionReporterFilter

    from website.redflags import views

    request = rf.post(URL, {"text": "保本保息"})
    views.check(request)  # applies the sensitive-parameter marking
    filtered = SafeExceptionReporterFilter().get_post_parameters(request)
    assert filtered["text"] != "保本保息"


def test_the_report_button_hands_the_text_to_the_tipoff_form_which_saves_nothing():
    from website.tipoffs.models import Report

    client = Client()
    html = post(PITCH, client).content.decode()
    form = html[html.index('<form class="rf-handover"') :]
    form = form[: form.index("</form>")]
    assert 'method="post" action="/report/"' in form
    assert 'name="csrfmiddlewaretoken"' in form
    assert '<input type="hidden" name="handover" value="1">' in form
    assert 'name="pitch" value="親，我們的理財產品保 本 保 息' in form
    token = form.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    handed = client.post(
        "/report/", {"csrfmiddlewaretoken": token, "handover": "1", "pitch": PITCH}
    )
    assert handed.status_code == 200
    assert "保 本 保 息，月息2分" in handed.content.decode()  # the tip-off form, filled in
    assert Report.objects.count() == 0


def test_flooding_the_page_is_refused(settings):
    from website.redflags import views

    rate = views.PAGE_RATE
    client = Client()
    statuses = [post("保本", client).status_code for _ in range(rate.limit + 2)]
    assert statuses[0] == 200 and statuses[-1] == 429


def test_listed_firms_named_in_the_text_are_shown(monkeypatch):
    from types import SimpleNamespace

    from website.redflags import service

    kind = SimpleNamespace(name="警示名单")
    entity = SimpleNamespace(
        name="示范鑫源财富管理有限公司",
        kind=kind,
        is_warning=True,
        is_lifted=False,
        reason="以高息为诱饵吸收公众资金",
        source="示范市处非办公告",
        source_date=None,
    )
    match = SimpleNamespace(entity=entity, matched="鑫源财富", how="alias", start=0, end=4)
    monkeypatch.setattr(service, "firms_in", lambda text: [match])
    html = post("鑫源财富，保本保息").content.decode()
    assert "示范鑫源财富管理有限公司" in html and "在警示名单上" in html
    data = Client().post("/api/check/", {"text": "鑫源财富"}).json()
    assert data["firms"][0]["name"] == "示范鑫源财富管理有限公司"
    assert data["firms"][0]["warning"] is True


def test_a_failing_firm_lookup_does_not_break_a_check(monkeypatch):
    from website.redflags import service

    def broken(text):
        raise RuntimeError("lookup down")

    monkeypatch.setattr(service, "firms_in", broken)
    assert post("保本保息").status_code == 200


def test_a_firm_on_the_warning_list_named_in_the_pitch_is_shown_with_its_listing():
    from tests.firms.conftest import make_entity

    make_entity("示范鑫源财富管理有限公司", reason="未经批准以养老服务为名吸收公众资金")
    html = post("示范鑫源财富管理有限公司推出养老理财，保本保息，月息2分。").content.decode()
    assert "示范鑫源财富管理有限公司" in html
    assert "未经批准以养老服务为名吸收公众资金" in html
    assert "警示名单" in html
