"""合作媒体嵌入统计 in the admin: who may see it, the figures per host, widget and day, the
sorting, junk parameters answered with a message, and the CSV export for Excel."""

import csv
import datetime
import io

import pytest
from django.contrib.auth.models import Group, Permission
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import logged_in, staff
from website.embeds.models import Impression

pytestmark = pytest.mark.django_db

URL = "/admin/embeds/impressions/"


def today():
    return timezone.localdate()


def days_ago(n):
    return today() - datetime.timedelta(days=n)


@pytest.fixture
def reviewer():
    return logged_in(staff("shenhe", "审核员"))


@pytest.fixture
def figures():
    rows = [
        (days_ago(0), "news.example.com", "notices", 10),
        (days_ago(0), "news.example.com", "quiz", 4),
        (days_ago(1), "news.example.com", "notices", 6),
        (days_ago(1), "bank.example.cn", "page", 3),
        (days_ago(2), "", "kiosk", 2),
        (days_ago(5), "xn--fsqu00a.xn--fiqs8s", "notices", 1),
        # Outside the default 30 days:
        (days_ago(40), "old.example.org", "notices", 100),
    ]
    for day, host, widget, count in rows:
        Impression.objects.create(day=day, host=host, widget=widget, count=count)


# -- who may see it --------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_staff_without_the_permission_are_refused():
    response = logged_in(staff("bianji", "编辑")).get(URL)
    # Wagtail's admin turns PermissionDenied into a redirect to the dashboard with a message.
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert "news.example.com" not in response.content.decode()


def test_the_reviewer_group_has_the_permission_from_the_migration(reviewer):
    perm = Permission.objects.get(content_type__app_label="embeds", codename="view_impression")
    assert perm in Group.objects.get(name="审核员").permissions.all()
    assert perm not in Group.objects.get(name="编辑").permissions.all()
    assert reviewer.get(URL).status_code == 200


def test_any_user_given_the_permission_may_see_it():
    user = staff("tongji", "编辑")
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="embeds", codename="view_impression")
    )
    assert logged_in(user).get(URL).status_code == 200


def test_the_report_is_in_the_reports_menu_for_those_who_may_see_it(reviewer):
    assert URL in reviewer.get("/admin/").content.decode()
    assert URL not in logged_in(staff("bianji", "编辑")).get("/admin/").content.decode()


# -- figures ---------------------------------------------------------------------------------


def test_the_default_range_is_the_last_30_days(reviewer, figures):
    response = reviewer.get(URL)
    assert response.status_code == 200
    assert (response.context["start"], response.context["end"]) == (days_ago(29), today())
    assert response.context["total"] == 10 + 4 + 6 + 3 + 2 + 1


def test_totals_per_host_are_right_and_sorted_by_views(reviewer, figures):
    rows = reviewer.get(URL).context["host_rows"]
    assert [(r["host"], r["total"]) for r in rows] == [
        ("news.example.com", 20),
        ("bank.example.cn", 3),
        ("", 2),
        ("xn--fsqu00a.xn--fiqs8s", 1),
    ]
    news = rows[0]
    # Columns follow the widget choices: notices, kiosk, page, quiz.
    assert news["cells"] == [16, 0, 0, 4]
    assert rows[2]["shown"] == "（未知来源）"
    assert rows[3]["shown"].startswith("例子.中国")


@pytest.mark.parametrize(
    "sort, first, last",
    [
        ("views", "xn--fsqu00a.xn--fiqs8s", "news.example.com"),
        ("host", "", "xn--fsqu00a.xn--fiqs8s"),
        ("-host", "xn--fsqu00a.xn--fiqs8s", ""),
    ],
)
def test_hosts_can_be_sorted(reviewer, figures, sort, first, last):
    rows = reviewer.get(URL, {"sort": sort}).context["host_rows"]
    assert (rows[0]["host"], rows[-1]["host"]) == (first, last)


def test_totals_per_widget_are_right(reviewer, figures):
    assert reviewer.get(URL).context["widget_rows"] == [
        ("风险提示列表", 17),
        ("大屏轮播", 2),
        ("单篇提示或案例", 3),
        ("知识测试", 4),
    ]


def test_a_chosen_range_counts_only_its_days(reviewer, figures):
    response = reviewer.get(URL, {"date_from": days_ago(1), "date_to": days_ago(1)})
    assert response.context["total"] == 9
    response = reviewer.get(URL, {"date_from": days_ago(60), "date_to": days_ago(30)})
    assert response.context["total"] == 100


def test_the_daily_chart_is_server_drawn_svg_with_one_column_per_day_with_views(reviewer, figures):
    response = reviewer.get(URL)
    html = response.content.decode()
    chart = str(response.context["chart"])
    assert chart.startswith("<svg") and "<script" not in chart
    assert chart.count("<rect") == 4  # days 0, 1, 2 and 5 had views
    assert f"{today():%Y-%m-%d}：14" in chart
    assert f"{days_ago(1):%Y-%m-%d}：9" in chart
    # No third-party requests and no JavaScript of ours on the page.
    assert "http" not in chart.replace("http://www.w3.org/2000/svg", "")
    assert "每日展示次数" in html


def test_an_empty_range_says_so(reviewer):
    response = reviewer.get(URL)
    assert response.status_code == 200
    assert response.context["total"] == 0
    assert "还没有合作网站展示过嵌入组件" in response.content.decode()


# -- junk ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "params, message",
    [
        ({"date_from": "2026-13-45"}, "有效的日期"),
        ({"date_to": "yesterday"}, "有效的日期"),
        ({"date_from": "2026-05-15", "date_to": "2026-05-01"}, "结束日期不能早于开始日期"),
        ({"date_from": "2020-01-01", "date_to": "2026-01-01"}, "最长 366 天"),
        ({"date_to": "0001-01-01"}, "2000 年"),
        ({"date_from": "\x00"}, "有效的日期"),
        ({"sort": "DROP TABLE"}, "选择一个有效的选项"),
    ],
)
def test_junk_parameters_give_400_with_a_message(reviewer, params, message):
    response = reviewer.get(URL, params)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_junk_with_export_is_still_a_message_not_a_file(reviewer):
    response = reviewer.get(URL, {"date_from": "junk", "export": "csv"})
    assert response.status_code == 400
    assert "text/html" in response["Content-Type"]


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    date_from=st.one_of(st.text(max_size=20), st.dates().map(str)),
    date_to=st.one_of(st.text(max_size=20), st.dates().map(str)),
    sort=st.text(max_size=10),
    export=st.sampled_from(["", "csv", "xlsx", "\x00"]),
)
def test_no_parameters_make_a_server_error(reviewer, date_from, date_to, sort, export):
    response = reviewer.get(
        URL, {"date_from": date_from, "date_to": date_to, "sort": sort, "export": export}
    )
    assert response.status_code in (200, 400)


# -- CSV -------------------------------------------------------------------------------------


def test_the_csv_has_a_bom_and_every_row_of_the_range(reviewer, figures):
    response = reviewer.get(URL, {"export": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    assert response.content.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Excel shows the Chinese
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["日期", "来源网站", "组件", "展示次数"]
    body = rows[1:]
    assert len(body) == 6  # the row from 40 days ago is outside the range
    assert [days_ago(2).isoformat(), "（未知来源）", "大屏轮播", "2"] in body
    assert [today().isoformat(), "news.example.com", "知识测试", "4"] in body
    assert any(row[1].startswith("例子.中国") for row in body)
    assert [row[0] for row in body] == sorted(row[0] for row in body)
