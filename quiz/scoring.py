"""Recording answers and scoring attempts, on the server only.

Every write is a conditional UPDATE (``answered_at IS NULL``, ``completed_at IS NULL``), so a
double-clicked button, a replayed POST or two tabs racing can record an answer at most once.
"""

from functools import cache

from django.db import connection, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from quiz.models import Answer, AnswerChoice, Attempt
from website.core import sql


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


@cache
def _attempt_query():
    attempt_fields, attempt_columns = sql.columns(Attempt, "a")
    answer_fields, answer_columns = sql.columns(Answer, "n")
    query = (
        f"SELECT {attempt_columns}, {answer_columns} "
        f"FROM {Attempt._meta.db_table} a JOIN {Answer._meta.db_table} n ON n.attempt_id = a.id "
        "WHERE a.token = %s AND a.quiz_id = %s ORDER BY n.position"
    )
    return query, attempt_fields + answer_fields, len(attempt_fields)


def load_attempt(quiz, token):
    """Return (the attempt of ``quiz`` named by ``token``, its answers in order), or None.

    One hand-written query (``website.core.sql``) on every screen of an attempt: the ORM
    built the same join and an attempt per answer row for five times its cost.
    """
    query, fields, split = _attempt_query()
    rows = sql.select(query, [token, quiz.pk], fields)
    if not rows:
        return None
    attempt = sql.instance(Attempt, rows[0][:split])
    attempt.quiz = quiz
    answers = []
    for row in rows:
        answer = sql.instance(Answer, row[split:])
        answer.attempt = attempt
        answers.append(answer)
    return attempt, answers


def _record_in_one_statement(answer, chosen_ids, now, correct):
    """PostgreSQL: the answer's UPDATE and its choices' INSERT as one statement, atomic on
    its own (no BEGIN/COMMIT round trips); True when the answer was still open."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH done AS (UPDATE {Answer._meta.db_table} SET answered_at = %s, is_correct = %s "
            "WHERE id = %s AND answered_at IS NULL RETURNING id, attempt_id) "
            f"INSERT INTO {AnswerChoice._meta.db_table} (answer_id, choice_id, attempt_id) "
            "SELECT done.id, chosen.id, done.attempt_id "
            "FROM done CROSS JOIN unnest(%s::bigint[]) AS chosen(id)",
            [now, correct, answer.pk, sorted(chosen_ids)],
        )
        return cursor.rowcount > 0


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
    if last is False and chosen_ids and connection.vendor == "postgresql":
        if not _record_in_one_statement(answer, chosen_ids, now, correct):
            return False
        answer.answered_at, answer.is_correct = now, correct
        return True
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
