import pytest

from tests import factories
from tests.factories import days

pytestmark = pytest.mark.django_db


def test_expired_notice_is_labelled_on_its_page(client):
    page = factories.notice("过期的提示", valid_until=days(-1))
    html = client.get(page.url).content.decode()
    assert "已过期" in html
    assert "本提示已于" in html


def test_notice_valid_today_is_still_current(client):
    page = factories.notice("今天到期", valid_until=days(0))
    assert not page.is_expired
    assert "今天到期" in client.get("/").content.decode()


def test_expired_notices_drop_out_of_current_lists(client):
    factories.notice("仍然有效", valid_until=days(3))
    factories.notice("长期有效")
    factories.notice("昨天到期", valid_until=days(-1))
    home = client.get("/").content.decode()
    index = client.get("/notices/")
    assert "仍然有效" in home and "长期有效" in home
    assert "昨天到期" not in home
    assert {p.title for p in index.context["items"]} == {"仍然有效", "长期有效"}


def test_expired_notices_are_listed_on_request(client):
    factories.notice("仍然有效", valid_until=days(3))
    factories.notice("昨天到期", valid_until=days(-1))
    index = client.get("/notices/", {"status": "expired"})
    assert {p.title for p in index.context["items"]} == {"昨天到期"}


def test_expiry_follows_the_calendar_without_any_edit(client, monkeypatch):
    import datetime

    from django.utils import timezone

    factories.notice("明天到期", valid_until=days(1))
    assert "明天到期" in client.get("/notices/").content.decode()
    later = timezone.now() + datetime.timedelta(days=2)
    monkeypatch.setattr(timezone, "now", lambda: later)
    from django.core.cache import cache

    cache.clear()
    assert "明天到期" not in client.get("/notices/").content.decode()


def test_home_lists_severe_notices_first(client):
    factories.notice("一般提示", level="notice")
    factories.notice("严重警示内容", level="severe")
    factories.notice("警示内容", level="warning")
    notices = client.get("/").context["notices"]
    assert [n.level for n in notices] == ["severe", "warning", "notice"]


def test_case_page_shows_figures_and_outcome(client):
    page = factories.case(
        "某养老公司非法集资案",
        amount_involved=1234.5,
        victims=860,
        outcome="主犯被判处有期徒刑十年。",
        tags=["养老服务"],
        audiences=["elderly"],
    )
    html = client.get(page.url).content.decode()
    assert "1,234.5" in html and "860" in html
    assert "主犯被判处有期徒刑十年" in html
    assert "养老服务" in html and "老年人" in html


def test_audience_landing_page_lists_that_audiences_content(client):
    factories.notice("给老人的提示", audiences=["elderly"])
    factories.notice("给学生的提示", audiences=["students"])
    factories.case("老人受骗案", audiences=["elderly"])
    response = client.get("/for/elderly/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "给老人的提示" in html and "老人受骗案" in html
    assert "给学生的提示" not in html


def test_unknown_audience_landing_page_is_404(client):
    assert client.get("/for/nobody/").status_code == 404


def test_notice_cannot_expire_before_it_is_issued():
    from django.core.exceptions import ValidationError

    from website.pages.models import RiskNoticePage

    page = RiskNoticePage(
        title="t", slug="t", summary="s", issued_on=days(0), valid_until=days(-1), body=[]
    )
    with pytest.raises(ValidationError) as excinfo:
        page.clean()
    assert "valid_until" in excinfo.value.message_dict
