"""The quiz's admin: reports only for those allowed to see them; bank import/export."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from quiz import exchange
from quiz.models import Question
from tests import factories

from .conftest import make_attempt, make_quiz

pytestmark = pytest.mark.django_db

REPORTS = ["/admin/quiz/reports/", "/admin/quiz/reports/items/", "/admin/quiz/reports/effect/"]


def staff(group_name):
    return factories.staff(f"u-{group_name}", group_name)


@pytest.fixture
def reviewer(client):
    client.force_login(staff("审核员"))
    return client


@pytest.mark.parametrize("url", REPORTS + ["/admin/quiz/questions/import/"])
def test_anonymous_visitors_are_sent_to_the_login_page(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


@pytest.mark.parametrize("url", REPORTS + [r + "?export=csv" for r in REPORTS])
def test_editors_without_the_report_permission_cannot_see_reports(client, url):
    client.force_login(staff("编辑"))
    response = client.get(url)
    assert response.status_code in (302, 403)
    assert "达标率" not in response.content.decode()


def test_editors_may_use_the_bank_but_not_the_reports_menu(client):
    client.force_login(staff("编辑"))
    assert client.get("/admin/snippets/quiz/question/").status_code == 200
    html = client.get("/admin/").content.decode()
    assert "/admin/quiz/questions/import/" in html
    assert "/admin/quiz/reports/" not in html


def test_reviewers_see_every_report(reviewer, fixed_quiz, bank):
    for _ in range(12):
        make_attempt(fixed_quiz, [(q, True) for q in bank])
    for url in REPORTS:
        response = reviewer.get(url)
        assert response.status_code == 200, url
    html = reviewer.get("/admin/quiz/reports/").content.decode()
    assert "<svg" in html and "达标率" in html
    items = reviewer.get(f"/admin/quiz/reports/items/?quiz={fixed_quiz.pk}").content.decode()
    assert "Cronbach" in items
    assert bank[0].code in items


def test_report_exports_are_csv_and_xlsx(reviewer, fixed_quiz, bank):
    for _ in range(10):
        make_attempt(fixed_quiz, [(q, True) for q in bank])
    csv_response = reviewer.get("/admin/quiz/reports/?export=csv")
    assert csv_response["Content-Type"].startswith("text/csv")
    text = csv_response.content.decode("utf-8-sig")
    assert "按人群" in text and "未填写" in text
    xlsx = reviewer.get(f"/admin/quiz/reports/items/?quiz={fixed_quiz.pk}&export=xlsx")
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(xlsx.content))
    assert {"整套题", "逐题分析", "选项分布"} <= set(book.sheetnames)


def test_the_effect_report_gives_a_verdict(reviewer, fixed_quiz, bank):
    response = reviewer.get(
        "/admin/quiz/reports/effect/?start=2025-05-01&end=2025-05-31&min_count=10"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "无法判断" in html
    assert reviewer.get(
        "/admin/quiz/reports/effect/?start=2025-05-01&end=2025-05-31&min_count=1&export=csv"
    )["Content-Type"].startswith("text/csv")


def test_an_effect_form_with_the_end_before_the_start_is_refused(reviewer):
    html = reviewer.get("/admin/quiz/reports/effect/?start=2025-05-31&end=2025-05-01").content
    assert "结束日期不能早于开始日期" in html.decode()


def test_the_import_view_reports_row_errors_and_saves_nothing(reviewer):
    count = Question.objects.count()
    body = "\ufeff" + ",".join(exchange.COLUMNS) + "\nN9,问答题,题干,,解析,,2,,,是\n"
    upload = SimpleUploadedFile("bad.csv", body.encode(), content_type="text/csv")
    response = reviewer.post("/admin/quiz/questions/import/", {"file": upload})
    html = response.content.decode()
    assert response.status_code == 400
    assert "第 2 行" in html and "没有导入任何题目" in html
    assert Question.objects.count() == count


def test_the_import_view_imports_a_good_file(reviewer):
    upload = SimpleUploadedFile("bank.xlsx", exchange.export_xlsx())
    response = reviewer.post("/admin/quiz/questions/import/", {"file": upload})
    assert response.status_code == 302
    assert response["Location"].endswith("/admin/snippets/quiz/question/")


def test_the_bank_exports_for_staff_who_may_view_it(reviewer):
    response = reviewer.get("/admin/quiz/questions/export/?format=csv")
    assert "Q001" in response.content.decode("utf-8-sig")


def test_the_question_editor_refuses_a_single_choice_question_with_two_right_answers(reviewer):
    data = {
        "code": "E001",
        "kind": "single",
        "stem": "题干",
        "explanation": "解析",
        "hallmark": "returns",
        "difficulty": "2",
        "active": "on",
        "tags": "",
        "choices-TOTAL_FORMS": "2",
        "choices-INITIAL_FORMS": "0",
        "choices-MIN_NUM_FORMS": "2",
        "choices-MAX_NUM_FORMS": "6",
        "choices-0-text": "甲",
        "choices-0-is_correct": "on",
        "choices-0-ORDER": "1",
        "choices-1-text": "乙",
        "choices-1-is_correct": "on",
        "choices-1-ORDER": "2",
    }
    response = reviewer.post("/admin/snippets/quiz/question/add/", data)
    assert not Question.objects.filter(code="E001").exists()
    assert "恰好有一个正确选项" in response.content.decode()
    data["choices-1-is_correct"] = ""
    response = reviewer.post("/admin/snippets/quiz/question/add/", data)
    assert Question.objects.filter(code="E001").exists(), response.content.decode()[-3000:]


def test_a_fixed_quiz_page_appears_in_the_admin_report_picker(reviewer, bank):
    quiz = make_quiz(bank, title="公开测试")
    html = reviewer.get("/admin/quiz/reports/items/").content.decode()
    assert quiz.title in html


def test_the_effect_report_takes_a_campaigns_dates_audiences_and_regions(reviewer):
    from tests.campaigns.outreach import factories as outreach_factories
    from website.taxonomy.models import Audience, Region

    campaign = outreach_factories.campaign(
        start=datetime.date(2025, 4, 15), end=datetime.date(2025, 5, 15)
    )
    campaign.audiences.set([Audience.objects.get(slug="elderly")])
    campaign.regions.set([Region.objects.get(code="430922")])
    campaign.save_revision().publish()
    response = reviewer.get(f"/admin/quiz/reports/effect/?campaign={campaign.pk}")
    assert response.status_code == 200
    form = response.context["form"]
    assert form.is_bound and form.is_valid(), form.errors
    assert form.cleaned_data["start"] == datetime.date(2025, 4, 15)
    assert form.cleaned_data["end"] == datetime.date(2025, 5, 15)
    assert [a.slug for a in form.cleaned_data["audiences"]] == ["elderly"]
    assert [r.code for r in form.cleaned_data["regions"]] == ["430922"]
    assert "effect" in response.context


@pytest.mark.parametrize("junk", ["abc", "999999", "-1", "9" * 40])
def test_an_unknown_campaign_leaves_the_effect_form_empty(reviewer, junk):
    response = reviewer.get("/admin/quiz/reports/effect/", {"campaign": junk})
    assert response.status_code == 200
    assert not response.context["form"].is_bound
