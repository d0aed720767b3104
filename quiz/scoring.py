"""Recording answers and scoring attempts, on the server only.

Every write is a conditional UPDATE (``answered_at IS NULL``, ``completed_at IS NULL``), so a
double-clicked button, a replayed POST or two tabs racing can record an answer at most once.
"""

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from quiz.models import Answer, AnswerChoice, Attempt


class InvalidAnswer(ValueError):
    """The submission does not name a valid choice of the question; ``str()`` says why."""


def parse_choice_ids(question, raw_values):
    """Return the set of choice ids in ``raw_values`` (strings from a form) for ``question``.

    Raises InvalidAnswer when a value is not one of the question's choices, or when the
    number of choices does not fit the question type.
    """
    valid = {c.pk for c in question.choices.all()}
    chosen = set()
    for raw in raw_values:
        raw = (raw or "").strip()
        if not raw.isdigit() or len(raw) > 18 or int(raw) not in valid:
            raise InvalidAnswer(_("提交的答案不属于这道题，请重新选择。"))
        chosen.add(int(raw))
    if not chosen:
        raise InvalidAnswer(
            _("请先选择答案。") if not question.is_multiple else _("请至少选择一项。")
        )
    if not question.is_multiple and len(chosen) != 1:
        raise InvalidAnswer(_("这道题只能选一项。"))
    return chosen


def is_correct(question, chosen_ids):
    """All or nothing: the chosen set must equal the set of correct choices."""
    return chosen_ids == {c.pk for c in question.choices.all() if c.is_correct}


def record_answer(answer, chosen_ids, last=None):
    """Record ``chosen_ids`` for ``answer`` unless it was answered already.

    Returns True when this call recorded the answer (``answer`` then carries its time and
    verdict), False when it was a repeat (ignored). Completes the attempt when this was its
    last open question. ``last`` False says the caller saw another question of the attempt
    still open, which spares the count: questions are answered in order, so one seen open
    after this one cannot have been answered meanwhile.
    """
    correct = is_correct(answer.question, chosen_ids)
    now = timezone.now()
    with transaction.atomic():
        updated = Answer.objects.filter(pk=answer.pk, answered_at__isnull=True).update(
            answered_at=now, is_correct=correct
        )
        if not updated:
            return False
        AnswerChoice.objects.bulk_create(
            AnswerChoice(answer_id=answer.pk, choice_id=cid, attempt_id=answer.attempt_id)
            for cid in sorted(chosen_ids)
        )
        if last is not False:
            complete_if_done(answer.attempt)
    answer.answered_at, answer.is_correct = now, correct
    return True


def complete_if_done(attempt):
    """Score and close ``attempt`` once every answer is in; return True if it is complete."""
    totals = Answer.objects.filter(attempt=attempt).aggregate(
        open=Count("pk", filter=Q(answered_at__isnull=True)),
        correct=Count("pk", filter=Q(is_correct=True)),
        total=Count("pk"),
    )
    if totals["open"]:
        return False
    score = totals["correct"] / totals["total"] if totals["total"] else 0.0
    passed = score * 100 >= attempt.quiz.pass_mark - 1e-9
    Attempt.objects.filter(pk=attempt.pk, completed_at__isnull=True).update(
        completed_at=timezone.now(),
        correct_count=totals["correct"],
        score=score,
        passed=passed,
    )
    attempt.refresh_from_db()
    return True
