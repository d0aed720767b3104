"""Paper quizzes at 七进 events: a balanced, stable draw stored with the event, its PDF
(questions, answer sheet with a QR code, answer key), answers entered per sheet or per
question, and the event's and campaign's quiz figures with paper participants marked."""

import io
import subprocess
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
    assert paper.paper_for(event) == drawn


def test_the_pdf_has_the_chinese_title_the_questions_the_sheet_and_the_key(event):
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
