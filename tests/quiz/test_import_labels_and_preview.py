"""The question import takes what the admin shows (难度 容易/中等/较难, audience names), and a
re-import shows what it would change (new / changed old → new / unchanged) before anything
is overwritten, with a confirm step."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from quiz import exchange
from quiz.models import Question
from website.core import tabular

from .test_exchange import row, rows_to_csv

pytestmark = pytest.mark.django_db


def table(*rows):
    return tabular.read_table("q.csv", rows_to_csv([exchange.COLUMNS, *rows]))


def test_difficulty_and_audiences_are_read_as_the_admin_shows_them():
    result = exchange.import_table(
        table(
            row("N1", difficulty="容易", audiences="老年人、在校学生"),
            row("N2", difficulty="难"),
            row("N3", difficulty="较难"),
            row("N4", difficulty="3"),
        )
    )
    assert result.ok, result.errors
    got = dict(Question.objects.filter(code__startswith="N").values_list("code", "difficulty"))
    assert got == {"N1": 1, "N2": 3, "N3": 3, "N4": 3}
    n1 = Question.objects.get(code="N1")
    assert sorted(a.name for a in n1.audiences.all()) == ["在校学生", "老年人"]


def test_a_wrong_difficulty_names_the_labels_in_chinese():
    result = exchange.import_table(table(row("N1", difficulty="超难")))
    assert "难度应为 容易、中等 或 较难" in result.errors[0][1] and "超难" in result.errors[0][1]


def test_the_export_writes_difficulty_and_audiences_by_name():
    header = exchange.COLUMNS
    rows = list(exchange.question_rows())
    difficulties = {r[header.index("难度")] for r in rows}
    assert difficulties <= {"容易", "中等", "较难"} and difficulties
    audiences = {a for r in rows for a in r[header.index("适用人群")].split("、") if a}
    assert audiences and "elderly" not in audiences


def test_the_preview_tells_new_changed_and_unchanged_rows_apart_and_writes_nothing():
    exported = {r[0]: r for r in exchange.question_rows()}
    q1 = list(exported["Q001"])
    q1[exchange.COLUMNS.index("题干")] = "改过的题干"
    q1[exchange.COLUMNS.index("难度")] = "较难"
    before = Question.objects.get(code="Q001").stem
    preview = exchange.preview_table(
        tabular.read_table(
            "p.csv", rows_to_csv([exchange.COLUMNS, q1, exported["Q002"], row("N9")])
        )
    )
    assert not preview.errors
    by_code = {r.code: r for r in preview.rows}
    assert by_code["N9"].status == "new"
    assert by_code["Q002"].status == "unchanged" and by_code["Q002"].changes == []
    changed = by_code["Q001"]
    assert changed.status == "changed"
    changes = {column: (old, new) for column, old, new in changed.changes}
    assert changes["题干"] == (before, "改过的题干")
    assert changes["难度"][1] == "较难"
    assert preview.changes_existing
    assert (preview.count("new"), preview.count("changed"), preview.count("unchanged")) == (1, 1, 1)
    assert Question.objects.get(code="Q001").stem == before
    assert not Question.objects.filter(code="N9").exists()


def test_the_preview_costs_the_same_queries_for_one_question_or_all():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    exported = [list(r) for r in exchange.question_rows()]
    assert len(exported) > 3

    def cost(rows):
        with CaptureQueriesContext(connection) as ctx:
            exchange.preview_table(table(*rows))
        return len(ctx.captured_queries)

    assert cost(exported) == cost(exported[:1])


@pytest.fixture
def reviewer(client):
    from tests.factories import staff

    client.force_login(staff("shenhe", "审核员"))
    return client


def upload(rows, name="bank.csv"):
    return SimpleUploadedFile(name, rows_to_csv([exchange.COLUMNS, *rows]), "text/csv")


def test_a_reimport_that_changes_questions_waits_for_confirmation(reviewer):
    q1 = list(next(r for r in exchange.question_rows() if r[0] == "Q001"))
    q1[exchange.COLUMNS.index("题干")] = "改过的题干"
    before = Question.objects.get(code="Q001").stem
    response = reviewer.post("/admin/quiz/questions/import/", {"file": upload([q1])})
    html = response.content.decode()
    assert response.status_code == 200
    assert "导入预览" in html and "改过的题干" in html and before in html
    assert Question.objects.get(code="Q001").get_latest_revision_as_object().stem == before
    token = response.context["token"]

    # A forged or stale token is refused and changes nothing.
    response = reviewer.post("/admin/quiz/questions/import/", {"confirm": "x" * 64})
    assert response.status_code == 302
    assert Question.objects.get(code="Q001").get_latest_revision_as_object().stem == before

    response = reviewer.post("/admin/quiz/questions/import/", {"file": upload([q1])})
    token = response.context["token"]
    response = reviewer.post("/admin/quiz/questions/import/", {"confirm": token})
    assert response.status_code == 302
    assert response["Location"].endswith("/admin/snippets/quiz/question/")
    assert Question.objects.get(code="Q001").get_latest_revision_as_object().stem == "改过的题干"
    # The stored file is gone: confirming twice imports nothing more.
    again = reviewer.post("/admin/quiz/questions/import/", {"confirm": token})
    assert again.status_code == 302 and again["Location"].endswith("/admin/quiz/questions/import/")


def test_an_import_of_only_new_questions_needs_no_confirmation(reviewer):
    response = reviewer.post("/admin/quiz/questions/import/", {"file": upload([row("N77")])})
    assert response.status_code == 302
    assert Question.objects.filter(code="N77").exists()
