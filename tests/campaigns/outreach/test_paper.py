"""Paper quizzes at 七进 events: a balanced, stable draw stored with the event, its PDF
(questions, answer sheet with a QR code, answer key), answers entered per sheet or per
question, and the event's and campaign's quiz figures with paper participants marked."""

import io
import subprocess
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

from campaigns.outreach import paper
from quiz import paper as quiz_paper
from quiz import stats
from quiz.models import Attempt, PaperTally, Question
from tests.campaigns.outreach import factories as outreach
from tests.quiz.conftest import make_question, make_quiz

pytestmark = pytest.mark.django_db
ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts" / "quizteach"
HALLMARKS = [h for h, _label in Question.Hallmark.choices]


@pytest.fixture
def bank(db):
    """30 questions: every hallmark (topic) × difficulty, two each; first choice right."""
    questions = []
    for hallmark in HALLMARKS:
        for level in (1, 2, 3):
            for _ in range(2):
                q = make_question(difficulty=level)
                Question.objects.filter(pk=q.pk).update(hallmark=hallmark)
                questions.append(q)
    return questions


@pytest.fixture
def event(bank):
    quiz = make_quiz(bank[:3], title="防非知识测试")
    campaign = outreach.campaign()
    campaign.related_quiz = quiz
    campaign.save_revision().publish()
    return outreach.event(campaign=campaign)


def test_the_draw_is_balanced_over_topics_and_levels(bank):
    rows = [(q.pk, Question.objects.get(pk=q.pk).hallmark, q.difficulty) for q in bank]
    ids = quiz_paper.balanced_draw(rows, 10, seed=7)
    assert len(ids) == len(set(ids)) == 10
    picked = Question.objects.filter(pk__in=ids)
    by_topic = {h: picked.filter(hallmark=h).count() for h in HALLMARKS}
    assert set(by_topic.values()) == {2}  # 10 over 5 topics
    by_level = [picked.filter(difficulty=level).count() for level in (1, 2, 3)]
    assert max(by_level) - min(by_level) <= 1


def test_the_draw_is_stable_for_a_seed_and_stored_with_the_event(bank, event):
    rows = [(q.pk, Question.objects.get(pk=q.pk).hallmark, q.difficulty) for q in bank]
    assert quiz_paper.balanced_draw(rows, 12, 99) == quiz_paper.balanced_draw(rows[::-1], 12, 99)
    assert quiz_paper.balanced_draw(rows, 12, 99) != quiz_paper.balanced_draw(rows, 12, 100)
    drawn = paper.make_paper(event, count=10, seed=5)
    event.refresh_from_db()
    assert event.paper_quiz == drawn
    first = [q.pk for q in drawn.ordered_questions()]
    # The bank changes; the stored paper does not.
    Question.objects.filter(pk__in=first[:3]).update(active=False)
    assert [q.pk for q in event.paper_quiz.ordered_questions()] == first
    paper.paper_quiz_pdf(event)  # a download prints the stored paper, it does not redraw
    event.refresh_from_db()
    assert event.paper_quiz == drawn


def test_the_pdf_has_the_chinese_title_the_questions_the_sheet_and_the_key(event):
    paper.make_paper(event, seed=3)  # a fixed draw: the same PDF text on every run
    pdf = paper.paper_quiz_pdf(event)
    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() for page in reader.pages)
    squashed = "".join(text.split())
    assert "防范非法集资知识测试" in squashed
    for q in event.paper_quiz.ordered_questions():
        assert "".join(q.stem.split()) in squashed
    assert "答题卡" in squashed and "答案与解析" in squashed
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    target = ARTIFACTS / "paper-quiz.pdf"
    target.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", str(target), str(ARTIFACTS / "paper-quiz")], check=False
    )


def _line(number, answers):
    return f"{number} " + " ".join(answers)


def _keys(event):
    """The right answer of every question of the event's paper, as letters."""
    return [
        "".join(quiz_paper.letter(i) for i, c in enumerate(q.choices.all()) if c.is_correct)
        for q in event.paper_quiz.ordered_questions()
    ]


def test_sheets_are_entered_as_paper_attempts_of_the_event(event):
    paper.make_paper(event, count=5, seed=1)
    keys = _keys(event)
    wrong = ["C" if k != "C" else "B" for k in keys]
    text = "\n".join([_line(1, keys), _line(2, wrong), "3，" + "、".join(keys[:4] + ["-"]), ""])
    attempts = paper.enter_sheets(event, text)
    assert len(attempts) == 3
    sheets = Attempt.objects.filter(paper=event.paper_quiz).order_by("sheet_number")
    assert [a.source for a in sheets] == ["paper"] * 3
    assert [a.correct_count for a in sheets] == [5, 0, 4]
    assert all(a.region == event.region and a.completed_at == event.start_at for a in sheets)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "没有填写任何答卷"),
        ("abc A A A A A", "行首应是答卷编号"),
        ("1 A A", "本卷有 5 题"),
        ("1 A A A A Z", "不是这道题的选项"),
        ("1 A A A A A\n1 A A A A A", "答卷编号 1 重复"),
        ("1 AA A A A A", "重复的选项"),
        ("1 " + "\x00 " * 5, "不是这道题的选项"),
    ],
)
def test_junk_sheets_are_refused_with_a_clear_message_and_nothing_saved(event, text, message):
    paper.make_paper(event, count=5, seed=1)
    with pytest.raises(quiz_paper.EntryError) as caught:
        paper.enter_sheets(event, text)
    assert message in str(caught.value)
    assert not Attempt.objects.filter(paper=event.paper_quiz).exists()


def test_a_sheet_number_cannot_be_entered_twice_and_a_used_paper_is_not_redrawn(event):
    paper.make_paper(event, count=5, seed=1)
    paper.enter_sheets(event, _line(7, _keys(event)))
    with pytest.raises(quiz_paper.EntryError, match="已经录入过"):
        paper.enter_sheets(event, _line(7, _keys(event)))
    with pytest.raises(paper.PaperError):
        paper.make_paper(event)


def test_per_question_counts_feed_item_statistics_but_not_scores(event):
    drawn = paper.make_paper(event, count=5, seed=1)
    first = drawn.ordered_questions()[0]
    data = {"answered-1": "40", "correct-1": "30", "choice-1-A": "30", "choice-1-B": "10"}
    assert paper.enter_tallies(event, data) == 1
    paper.enter_sheets(event, _line(1, _keys(event)))
    figures = paper.event_quiz_figures(event)
    assert figures["sheets"] == 1 and figures["tallied_answers"] == 40
    item = next(i for i in figures["items"] if i.question.pk == first.pk)
    assert item.n == 1 and item.paper_n == 1 and item.tally_n == 40
    assert item.responses == 41 and item.facility == pytest.approx(31 / 41)
    counts = {c.text: count for c, count, _share in item.choices}
    assert counts["A"] == 31 and counts["B"] == 10
    # Counts are not people: participation and pass rates come from sheets only.
    assert Attempt.objects.filter(paper=drawn).count() == 1
    # Entering the counts again replaces them.
    paper.enter_tallies(event, {**data, "answered-1": "50"})
    assert PaperTally.objects.get().answered == 50


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "没有填写任何一题"),
        ({"answered-1": "abc", "correct-1": "1"}, "不是人数"),
        ({"answered-1": "-3", "correct-1": "1"}, "不是人数"),
        ({"answered-1": "5", "correct-1": "9"}, "答对人数不能多于作答人数"),
        ({"answered-1": "5"}, "请填写答对人数"),
        ({"correct-1": "5"}, "请填写作答人数"),
        ({"answered-1": "5", "correct-1": "1", "choice-1-A": "4", "choice-1-B": "4"}, "之和"),
        ({"answered-1": "9" * 20, "correct-1": "1"}, "不是人数"),
    ],
)
def test_junk_counts_are_refused_with_a_clear_message(event, data, message):
    paper.make_paper(event, count=5, seed=1)
    with pytest.raises(quiz_paper.EntryError) as caught:
        paper.enter_tallies(event, data)
    assert message in str(caught.value)
    assert not PaperTally.objects.exists()


def test_campaign_figures_count_paper_participants_marked_as_such(event, bank):
    quiz = event.campaign.related_quiz.specific
    paper.make_paper(event, count=5, seed=1)
    lines = [_line(n, _keys(event)) for n in range(1, 13)]
    paper.enter_sheets(event, "\n".join(lines))
    from tests.quiz.conftest import make_attempt

    make_attempt(quiz, [(bank[0], True), (bank[1], False)])
    figures = paper.campaign_quiz_figures(event.campaign, min_count=1)
    online, on_paper = figures["cells"]
    assert (online.key, online.n) == ("online", 1)
    assert (on_paper.key, on_paper.n, on_paper.passed) == ("paper", 12, 12)
    # The quiz's own report shows the paper sheets too, by source.
    cells = stats.by_source(stats.completed_attempts(quiz), min_count=1)
    assert [c.n for c in cells] == [1, 12]


def test_staff_draw_download_and_enter_through_the_admin_without_500s(event):
    from tests.factories import logged_in, staff

    client = logged_in(staff("bianji", "编辑"))
    page = f"/admin/outreach-tools/paper/{event.pk}/"
    assert client.get("/admin/outreach-tools/paper/").status_code == 200
    assert "还没有抽题" in client.get(page).content.decode()
    response = client.post(page, {"action": "draw", "count": "5"})
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.paper_quiz.questions.count() == 5
    pdf = client.get(page + "paper.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    for junk in (
        {"action": "draw", "count": "999"},
        {"action": "draw", "count": "abc"},
        {"action": "sheets", "sheets": "1 Z Z"},
        {"action": "sheets", "sheets": "\x00\x01"},
        {"action": "tallies", "answered-1": "x", "correct-1": "1"},
        {"action": "nonsense"},
    ):
        response = client.post(page, junk)
        assert response.status_code in (302, 400), junk
    assert not Attempt.objects.filter(paper=event.paper_quiz).exists()
    html = client.post(page, {"action": "sheets", "sheets": "1 Z"}).content.decode()
    assert "没有保存" in html and "第 1 行" in html
    event.refresh_from_db()
    assert event.paper_quiz.questions.count() == 5  # junk changed nothing
    response = client.post(page, {"action": "sheets", "sheets": _line(3, _keys(event))})
    assert response.status_code == 302
    assert "已录入答卷 1 份" in client.get(page).content.decode()
    report = client.get(f"/admin/outreach-tools/reports/{event.campaign.pk}/").content.decode()
    assert "纸质答卷" in report


def test_downloading_an_undrawn_paper_draws_nothing_and_says_to_draw_first(event):
    from tests.factories import logged_in, staff

    client = logged_in(staff("bianji", "编辑"))
    response = client.get(f"/admin/outreach-tools/paper/{event.pk}/paper.pdf")
    assert response.status_code == 400
    assert "请先" in response.content.decode() and "抽" in response.content.decode()
    event.refresh_from_db()
    assert event.paper_quiz is None
    with pytest.raises(paper.PaperError):
        paper.paper_quiz_pdf(event)
    event.refresh_from_db()
    assert event.paper_quiz is None


def test_paper_pages_need_the_outreach_permissions(event, client):
    from django.contrib.auth.models import Permission, User

    nobody = User.objects.create_user("nobody", password="pw-123456789")
    nobody.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(nobody)
    page = f"/admin/outreach-tools/paper/{event.pk}/"
    # Wagtail turns a refusal into a redirect to the dashboard with a message.
    assert client.get(page).status_code in (302, 403)
    assert client.get(page + "paper.pdf").status_code in (302, 403)
    assert client.post(page, {"action": "draw"}).status_code in (302, 403)
    event.refresh_from_db()
    assert event.paper_quiz is None


def test_the_campaign_print_batch_carries_each_events_paper_quiz(event):
    from campaigns.models import PrintBatch
    from campaigns.outreach import batches

    batch = PrintBatch.objects.create(campaign=event.campaign)
    batches.build(batch.pk)
    with batches.open_zip(PrintBatch.objects.get(pk=batch.pk)) as handle:
        archive = zipfile.ZipFile(handle)
        paper = [n for n in archive.namelist() if n.endswith("paper-quiz.pdf")]
        assert len(paper) == 1
        text = "".join(
            p.extract_text() for p in PdfReader(io.BytesIO(archive.read(paper[0]))).pages
        )
    # The zip carries the paper stored with the event: its questions, sheet and key.
    squashed = "".join(text.split())
    event.refresh_from_db()
    assert event.paper_quiz is not None
    for q in event.paper_quiz.ordered_questions():
        assert "".join(q.stem.split()) in squashed
    assert "答题卡" in squashed and "答案与解析" in squashed
