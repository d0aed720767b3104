"""Subscribers and system alerts in the admin: masked numbers, filters, exports, consent."""

import csv
import io
import logging

import pytest
from django.contrib.auth.models import Permission, User
from django.urls import reverse

from campaigns.models import ConsentRecord, StaffAlert
from tests.campaigns.sms import factories
from tests.factories import logged_in
from website.taxonomy.models import Audience, Region

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"campaigns_admin:{name}", args=args)


@pytest.fixture
def editor():
    return factories.staff("editor", "编辑")


@pytest.fixture
def reviewer():
    return factories.staff("reviewer", "审核员")


@pytest.fixture
def exporter():
    user = factories.staff("exporter", "审核员")
    user.user_permissions.add(Permission.objects.get(codename="export_subscriber_phones"))
    return User.objects.get(pk=user.pk)  # a fresh object: no stale permission cache


@pytest.fixture
def people():
    return {
        "old": factories.subscriber(("elderly",), "430922100201", phone="+8613812345678"),
        "student": factories.subscriber(("students",), "430104", phone="+8613987651234"),
        "gone": factories.subscriber(
            ("elderly",), "430922", status="unsubscribed", phone="+8615011112222"
        ),
    }


def export_rows(response):
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))


# -- access -----------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["subscribers", "subscribers_export", "alerts"])
def test_anonymous_visitors_are_sent_to_the_login_page(client, name):
    response = client.get(url(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("wagtailadmin_login"))


def test_staff_without_permission_see_no_subscribers(people):
    user = User.objects.create_user("outsider", password="pw-123456789")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client = logged_in(user)
    for target in [
        url("subscribers"),
        url("subscribers_export"),
        url("subscriber_detail", people["old"].pk),
        url("alerts"),
    ]:
        response = client.get(target)
        assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")


def test_editors_cannot_see_system_alerts_but_reviewers_can(editor, reviewer):
    StaffAlert.objects.create(kind="code_cap", message="今日验证码已达上限 2000 条")
    assert logged_in(editor).get(url("alerts"))["Location"] == reverse("wagtailadmin_home")
    response = logged_in(reviewer).get(url("alerts"))
    assert response.status_code == 200
    assert "今日验证码已达上限 2000 条" in response.content.decode()


# -- listing ----------------------------------------------------------------------------------
def test_list_shows_masked_numbers_only(editor, people):
    html = logged_in(editor).get(url("subscribers")).content.decode()
    assert "138****5678" in html and "139****1234" in html and "150****2222" in html
    for person in people.values():
        assert person.phone[3:] not in html  # no full number anywhere in the page
    assert "花果山村" in html and "老年人" in html and "已退订" in html


@pytest.mark.parametrize(
    "query, expected",
    [
        ({"status": "active"}, {"138****5678", "139****1234"}),
        ({"status": "unsubscribed"}, {"150****2222"}),
        ({"audience": "AUDIENCE"}, {"138****5678", "150****2222"}),
        ({"region": "430922"}, {"138****5678", "150****2222"}),  # a county includes its villages
        ({"region": "430922100201"}, {"138****5678"}),
        ({"q": "1234"}, {"139****1234"}),
        ({"q": "13812345678"}, set()),  # a full number is not a query
    ],
)
def test_filters_and_search_by_last_four_digits(editor, people, query, expected):
    if query.get("audience"):
        query["audience"] = Audience.objects.get(slug="elderly").pk
    if query.get("region"):
        query["region"] = Region.objects.get(code=query["region"]).pk
    html = logged_in(editor).get(url("subscribers"), query).content.decode()
    shown = {n for n in ["138****5678", "139****1234", "150****2222"] if n in html}
    assert shown == expected


def test_detail_page_shows_consent_evidence_with_a_masked_number(editor, people):
    person = people["old"]
    ConsentRecord.objects.create(
        subscriber=person,
        action=ConsentRecord.Action.SUBSCRIBE,
        text="我同意接收防范非法集资提醒短信",
        source="/subscribe/",
        ip_hash="abc123",
    )
    person.unsubscribe("sms_reply")
    html = logged_in(editor).get(url("subscriber_detail", person.pk)).content.decode()
    assert "138****5678" in html and person.phone[3:] not in html
    assert "我同意接收防范非法集资提醒短信" in html and "/subscribe/" in html and "abc123" in html
    assert "同意订阅" in html and "退订" in html and "sms_reply" in html
    assert "湖南省 益阳市 桃江县 桃花江镇 花果山村" in html


# -- export -----------------------------------------------------------------------------------
def test_default_export_is_masked_and_logged_without_numbers(editor, people, caplog):
    with caplog.at_level(logging.INFO, logger="campaigns.sms.admin_subscribers"):
        response = logged_in(editor).get(url("subscribers_export"), {"status": "active"})
        rows = export_rows(response)
    assert response["Content-Type"].startswith("text/csv")
    assert rows[0] == ["手机号码", "状态", "地区", "人群", "登记时间", "确认时间"]
    assert sorted(r[0] for r in rows[1:]) == ["138****5678", "139****1234"]
    assert rows[1][1] == "已订阅"
    logged = [r.getMessage() for r in caplog.records if "export" in r.getMessage()]
    assert len(logged) == 1 and "editor" in logged[0] and "2 rows" in logged[0]
    assert "full numbers: no" in logged[0]
    for person in people.values():
        assert person.phone[3:] not in caplog.text


def test_full_numbers_need_their_own_permission(reviewer, exporter, people, caplog):
    response = logged_in(reviewer).get(url("subscribers_export"), {"full": "1"})
    assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
    listing = logged_in(reviewer).get(url("subscribers")).content.decode()
    assert "full=1" not in listing

    assert "full=1" in logged_in(exporter).get(url("subscribers")).content.decode()
    with caplog.at_level(logging.INFO, logger="campaigns.sms.admin_subscribers"):
        response = logged_in(exporter).get(url("subscribers_export"), {"full": "1"})
        rows = export_rows(response)
    assert sorted(r[0] for r in rows[1:]) == sorted(p.phone for p in people.values())
    assert "full numbers: yes" in caplog.text
    for person in people.values():
        assert person.phone[3:] not in caplog.text


def test_search_box_says_it_takes_the_last_four_digits(editor):
    html = logged_in(editor).get(url("subscribers")).content.decode()
    assert 'placeholder="手机号码后四位"' in html
