"""Questions and answer keys are reviewed like pages: an editor's change waits for a 审核员,
and the public quiz draws and scores only the last published version."""

import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import Workflow

from quiz import draw, scoring
from quiz.models import AnswerChoice, Attempt, Choice, Question
from tests import factories

from .conftest import make_attempt, make_question, make_quiz
from .helpers import answer_all

pytestmark = pytest.mark.django_db


def logged_in(username, group):
    from django.test import Client

    client = Client()
    client.force_login(factories.staff(username, group))
    return client


@pytest.fixture
def editor():
    return logged_in("bianji", "编辑")


@pytest.fixture
def reviewer():
    return logged_in("shenhe", "审核员")


def edit_url(question):
    return reverse("wagtailsnippets_quiz_question:edit", args=[question.pk])


def form_data(question, correct=None, delete=(), **changes):
    """The edit form of ``question`` as posted, with ``correct`` (a choice text) as the key."""
    choices = list(question.choices.order_by("sort_order"))
    data = {
        "code": question.code,
        "kind": question.kind,
        "stem": question.stem,
        "scenario": question.scenario,
        "image_alt": "",
        "explanation": question.explanation,
        "hallmark": question.hallmark,
        "difficulty": str(question.difficulty),
        "tags": "",
        "active": "on",
        "choices-TOTAL_FORMS": str(len(choices)),
        "choices-INITIAL_FORMS": str(len(choices)),
        "choices-MIN_NUM_FORMS": "2",
        "choices-MAX_NUM_FORMS": "6",
    }
    for n, choice in enumerate(choices):
        right = choice.is_correct if correct is None else choice.text == correct
        data.update(
            {
                f"choices-{n}-id": str(choice.pk),
                f"choices-{n}-text": choice.text,
                f"choices-{n}-feedback": choice.feedback,
                f"choices-{n}-ORDER": str(n + 1),
            }
        )
        if right:
            data[f"choices-{n}-is_correct"] = "on"
        if choice.text in delete:
            data[f"choices-{n}-DELETE"] = "on"
    data.update(changes)
    return data


def pick(text):
    return lambda question, ids: [c.pk for c in question.choices.all() if c.text == text]


def approve(client, question):
    question = Question.objects.get(pk=question.pk)
    task_state = question.current_workflow_task_state
    url = reverse(
        "wagtailsnippets_quiz_question:workflow_action",
        args=[question.pk, "approve", task_state.pk],
    )
    return client.post(url, {"comment": ""})


def test_an_editors_change_to_a_live_answer_key_is_not_scored_until_a_reviewer_approves(
    client, editor, reviewer
):
    bank = [make_question(difficulty=d) for d in (1, 2, 3)]  # choices A B C, A is right
    quiz = make_quiz(bank, pass_mark=60)
    question = bank[0]
    ids = list(question.choices.order_by("sort_order").values_list("pk", flat=True))

    response = editor.post(
        edit_url(question), form_data(question, correct="B", **{"action-submit": "1"})
    )
    assert response.status_code == 302, response.content.decode()[-2000:]
    question.refresh_from_db()
    assert question.has_unpublished_changes and question.workflow_in_progress
    assert question.choices.get(is_correct=True).text == "A"

    # The public quiz still scores the published key.
    before = answer_all(client, quiz, pick=pick("A"))
    assert Attempt.objects.get(token=before.split("/")[-3]).correct_count == 3
    assert not scoring.is_correct(question, {ids[1]})

    response = approve(reviewer, question)
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.live and not question.has_unpublished_changes
    # Same rows, new key: past answers still point at the choices they picked.
    assert list(question.choices.order_by("sort_order").values_list("pk", flat=True)) == ids
    assert question.choices.get(is_correct=True).text == "B"
    after = answer_all(client, quiz, pick=pick("A"))
    assert Attempt.objects.get(token=after.split("/")[-3]).correct_count == 2
    assert Attempt.objects.get(token=before.split("/")[-3]).correct_count == 3
    assert AnswerChoice.objects.filter(choice_id=ids[0]).count() == 2


def test_editors_cannot_publish_a_question_themselves(editor):
    question = make_question()
    html = editor.get(edit_url(question)).content.decode()
    assert "action-publish" not in html and "action-submit" in html
    editor.post(edit_url(question), form_data(question, correct="C", **{"action-publish": "1"}))
    question.refresh_from_db()
    assert question.choices.get(is_correct=True).text == "A"


def test_a_question_never_published_is_never_drawn(reviewer):
    published = make_question()
    draft = make_question()
    Question.objects.filter(pk=draft.pk).update(live=False)
    quiz = make_quiz([published, draft])
    assert draw.draw_question_ids(quiz) == [published.pk]
    random_quiz = make_quiz(question_count=50)
    pool = set(draw.question_pool(random_quiz).values_list("pk", flat=True))
    assert published.pk in pool and draft.pk not in pool


def test_a_choice_someone_picked_cannot_be_deleted(editor):
    question = make_question()
    make_attempt(make_quiz([question]), [(question, False)])  # picks B
    response = editor.post(edit_url(question), form_data(question, delete=("B",)))
    assert "已有人选过的选项不能删除" in response.content.decode()
    assert question.choices.filter(text="B").exists()
    assert Question.objects.get(pk=question.pk).latest_revision is None


def test_publishing_an_old_draft_keeps_choices_picked_since(editor, reviewer):
    question = make_question()
    editor.post(edit_url(question), form_data(question, delete=("C",), **{"action-submit": "1"}))
    question.refresh_from_db()
    assert question.has_unpublished_changes
    # The public keeps answering the published version, which still offers C.
    quiz = make_quiz([question])
    make_attempt(quiz, [(question, False)])
    c = question.choices.get(text="C")
    answer = question.answers.get()
    AnswerChoice.objects.filter(answer=answer).update(choice=c)

    approve(reviewer, question)

    assert Choice.objects.filter(pk=c.pk).exists()
    assert AnswerChoice.objects.filter(choice=c).count() == 1


def test_existing_questions_are_live_with_an_initial_revision_and_under_review():
    seeded = Question.objects.order_by("code").first()
    assert seeded.live and seeded.latest_revision_id == seeded.live_revision_id is not None
    content = seeded.latest_revision.content
    assert [c["pk"] for c in content["choices"]] == list(
        seeded.choices.values_list("pk", flat=True)
    )
    assert seeded.latest_revision.as_object().stem == seeded.stem
    assert seeded.get_workflow() == Workflow.objects.get(name="内容审核")
    perms = {
        name: set(Group.objects.get(name=name).permissions.values_list("codename", flat=True))
        for name in ("编辑", "审核员")
    }
    assert "publish_question" in perms["审核员"] and "publish_question" not in perms["编辑"]


def test_the_bank_listing_shows_which_questions_await_review(reviewer, editor):
    question = make_question()
    editor.post(edit_url(question), form_data(question, correct="B"))
    listing = reverse("wagtailsnippets_quiz_question:list")
    html = reviewer.get(listing, {"q": question.code}).content.decode()
    row = html[html.index(f'href="{edit_url(question)}"') :]
    row = row[: row.index("</tr>")]
    assert re.search(r'class="w-status[^"]*"', row)


def test_searching_the_bank_finds_a_question_by_its_code(reviewer):
    question = make_question()
    question.save()  # indexed, as any edit in the admin does
    listing = reverse("wagtailsnippets_quiz_question:list")
    response = reviewer.get(listing, {"q": question.code})
    assert response.status_code == 200
    assert question.code in response.content.decode()


def test_an_approval_given_before_a_change_does_not_publish_the_change(editor, reviewer):
    other_reviewer = logged_in("shenhe2", "审核员")
    question = make_question()
    editor.post(edit_url(question), form_data(question, correct="B", **{"action-submit": "1"}))
    question = Question.objects.get(pk=question.pk)
    seen = question.current_workflow_task_state  # what the first reviewer opened
    # While it waits, another reviewer saves a different key.
    other_reviewer.post(edit_url(question), form_data(question, correct="C"))

    url = reverse(
        "wagtailsnippets_quiz_question:workflow_action",
        args=[question.pk, "approve", seen.pk],
    )
    reviewer.post(url, {"comment": ""})

    question.refresh_from_db()
    assert question.choices.get(is_correct=True).text == "A"  # nothing published
    assert question.workflow_in_progress
    assert question.current_workflow_task_state.revision == question.latest_revision
