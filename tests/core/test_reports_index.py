"""报表: one menu, whose first entry lists every report the apps register, each shown only to
those who may open it."""

import json

import pytest
from django.urls import reverse

from tests.campaigns.sms import factories as sms_factories
from website.core import reports

pytestmark = pytest.mark.django_db


def test_every_app_registers_its_reports():
    urls = {r.url_name for r in reports.all_reports()}
    assert {
        "outreach_admin:reports",
        "quiz_reports:overview",
        "tipoffs_admin:stats",
        "leads_admin:export",
        "embeds_impressions",
    } <= urls


def test_reports_page_lists_what_the_user_may_open(client):
    reviewer = sms_factories.staff("shenhe", "审核员")
    client.force_login(reviewer)
    # The menu is JSON in the page, its Chinese escaped.
    home = client.get("/admin/").content.decode()
    assert json.dumps("报表") in home and json.dumps("全部报表") in home
    assert reverse("fangfei_reports") in home
    page = client.get(reverse("fangfei_reports")).content.decode()
    assert "<title>全部报表" in page
    for report in reports.all_reports():
        if reviewer.has_perms(
            [report.permission] if isinstance(report.permission, str) else report.permission
        ):
            assert f'href="{report.url}"' in page, report.label
            assert client.get(report.url).status_code == 200, report.url
        else:
            assert f'href="{report.url}"' not in page, report.label


def test_filing_names_a_chinese_user_family_name_first(rf):
    from django.contrib.auth.models import User

    assert reports.user_name(User(username="ls", first_name="四", last_name="李")) == "李四"
    assert reports.user_name(User(username="jd", first_name="Jane", last_name="Doe")) == "Jane Doe"
    assert reports.user_name(User(username="wang")) == "wang"
