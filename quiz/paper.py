"""Paper quizzes: a stored, balanced draw from the bank, and the answers that come back.

The draw spreads the questions over topics (the four hallmarks of illegal fundraising and
"识别与应对") and difficulty levels, from a seeded generator, so the same seed over the same
bank gives the same paper; the draw is stored anyway (PaperQuestion rows), because the bank
changes and a paper must be re-printable and markable exactly as it was handed out.

Answers come back two ways:

- per sheet (``record_sheets``): each sheet becomes an Attempt with ``source`` "paper", its
  answers scored like online ones, so it counts everywhere an online attempt counts (pass
  rates, regions, item statistics, discrimination);
- per question (``record_tallies``), when staff only kept totals: PaperTally rows. They add to
  the item statistics' answer counts, facility and choice shares, never to per-person figures
  (participation, scores, pass rates, discrimination, alpha), because no person is behind them.

Entry is all or nothing: any bad line or number means nothing is saved, and every problem is
named with its line.
"""

import random
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from quiz.draw import LEVELS, new_token
from quiz.models import (
    Answer,
    AnswerChoice,
    Attempt,
    PaperChoiceTally,
    PaperQuestion,
    PaperTally,
    Question,
    QuizPaper,
)
from quiz.scoring import complete_if_done

DEFAULT_PAPER_QUESTIONS = 10
MAX_PAPER_QUESTIONS = 30
MAX_SHEETS_PER_ENTRY = 500
LETTERS = "ABCDEF"
TRUE_FALSE_WORDS = {"对": "A", "√": "A", "错": "B", "×": "B", "X": "B"}
BLANK = {"-", "0", "空", "—"}


# ---------------------------------------------------------------------------------------
# The draw
# ---------------------------------------------------------------------------------------


def paper_pool(audiences=()):
    """Return the active, published questions suited to ``audiences`` (or to everyone)."""
    pool = Question.objects.filter(active=True, live=True)
    audience_ids = [a.pk for a in audiences]
    if audience_ids:
        pool = pool.filter(Q(audiences__in=audience_ids) | Q(audiences__isnull=True))
    return pool.distinct()


def balanced_draw(rows, count, seed):
    """Return ``count`` question ids from ``rows`` ((id, topic, level) triples), spread as
    evenly as the pool allows over topics and, within each topic, over levels.

    Deterministic: the same rows (in any order) and seed give the same ids in the same order.
    Topics take turns (in a seeded order) picking their next question, at the level whose
    turn it is across the paper (or the next level the topic still has), until ``count`` are
    picked or the pool is empty.
    """
    rng = random.Random(seed)
    cells = defaultdict(list)
    for pk, topic, level in sorted(rows):
        cells[(topic, level)].append(pk)
    for key in sorted(cells):
        rng.shuffle(cells[key])
    topics = sorted({topic for topic, _level in cells})
    rng.shuffle(topics)
    # Levels take turns across the whole paper (not per topic), so both spreads stay even.
    turn = rng.randrange(len(LEVELS))
    chosen = []
    while len(chosen) < count and any(cells.values()):
        for topic in topics:
            if len(chosen) >= count:
                break
            for step in range(len(LEVELS)):
                level = LEVELS[(turn + step) % len(LEVELS)]
                if cells.get((topic, level)):
                    chosen.append(cells[(topic, level)].pop())
                    turn += 1
                    break
    # Printed from easy to hard reads better on paper; ties keep the draw's order.
    level_of = {pk: level for pk, _topic, level in rows}
    return sorted(chosen, key=lambda pk: (level_of[pk], chosen.index(pk)))


def create_paper(title, quiz, audiences=(), count=DEFAULT_PAPER_QUESTIONS, seed=None):
    """Draw and store a paper of ``count`` questions for ``audiences``; return the QuizPaper.

    Raises ValueError (with a message for staff) when the bank has no suitable question.
    """
    count = max(1, min(int(count), MAX_PAPER_QUESTIONS))
    seed = random.SystemRandom().randrange(1, 2**31) if seed is None else seed
    rows = list(paper_pool(audiences).values_list("pk", "hallmark", "difficulty"))
    ids = balanced_draw(rows, count, seed)
    if not ids:
        raise ValueError(_("题库里没有适合这些人群的已发布题目，无法出卷。"))
    with transaction.atomic():
        paper = QuizPaper.objects.create(title=title[:120], quiz=quiz, seed=seed)
        paper.audiences.set(list(audiences))
        PaperQuestion.objects.bulk_create(
            PaperQuestion(paper=paper, question_id=pk, position=n)
            for n, pk in enumerate(ids, start=1)
        )
    return paper


def letter(index):
    return LETTERS[index]


# ---------------------------------------------------------------------------------------
# Entry per sheet
# ---------------------------------------------------------------------------------------


class EntryError(ValueError):
    """The entry cannot be saved; ``problems`` lists (line, message) pairs."""

    def __init__(self, problems):
        super().__init__("; ".join(f"{line}: {message}" for line, message in problems))
        self.problems = problems


@dataclass
class Sheet:
    number: int
    picks: list = field(default_factory=list)  # per question: set of choice ids (may be empty)


def _normalise(text):
    return unicodedata.normalize("NFKC", text).strip().upper()


def _parse_answer(token, question, choices):
    """Return the set of choice ids ``token`` names for ``question``, or raise ValueError."""
    token = _normalise(token)
    if token in BLANK:
        return set()
    if question.kind == Question.Kind.TRUE_FALSE:
        token = TRUE_FALSE_WORDS.get(token, token)
    letters = list(token)
    if not letters or any(ch not in LETTERS[: len(choices)] for ch in letters):
        raise ValueError(
            _("“%(token)s”不是这道题的选项（可填 %(range)s）")
            % {"token": token[:10], "range": "、".join(LETTERS[: len(choices)])}
        )
    if len(set(letters)) != len(letters):
        raise ValueError(_("“%(token)s”有重复的选项") % {"token": token[:10]})
    if question.kind != Question.Kind.MULTIPLE and len(letters) > 1:
        raise ValueError(_("“%(token)s”：这道题只能选一项") % {"token": token[:10]})
    return {choices[LETTERS.index(ch)].pk for ch in letters}


def parse_sheets(paper, text):
    """Return the Sheets in ``text``: one line per sheet, "编号 答案 答案 …" (spaces, commas or
    顿号 between answers; letters A–F, 对/错 for true-false, "-" for a blank answer).

    Raises EntryError listing every bad line.
    """
    questions = paper.ordered_questions()
    problems, sheets, seen = [], [], set()
    lines = [(n, line) for n, line in enumerate(str(text or "").splitlines(), start=1)]
    lines = [(n, line) for n, line in lines if line.strip()]
    if not lines:
        raise EntryError([(0, _("没有填写任何答卷。"))])
    if len(lines) > MAX_SHEETS_PER_ENTRY:
        raise EntryError([(0, _("一次最多录入 %(n)d 份答卷。") % {"n": MAX_SHEETS_PER_ENTRY})])
    for n, line in lines:
        label = _("第 %(n)d 行") % {"n": n}
        parts = [p for p in re.split(r"[\s,，、;；:：]+", _normalise(line)) if p]
        if not parts[0].isdigit() or len(parts[0]) > 6 or int(parts[0]) < 1:
            problems.append((label, _("行首应是答卷编号（正整数）")))
            continue
        number = int(parts[0])
        answers = parts[1:]
        if len(answers) != len(questions):
            problems.append(
                (
                    label,
                    _("答卷 %(no)d 有 %(got)d 个答案，本卷有 %(want)d 题（未答的题填“-”）")
                    % {"no": number, "got": len(answers), "want": len(questions)},
                )
            )
            continue
        if number in seen:
            problems.append((label, _("答卷编号 %(no)d 重复") % {"no": number}))
            continue
        seen.add(number)
        sheet = Sheet(number)
        for position, (token, question) in enumerate(zip(answers, questions, strict=True), 1):
            try:
                sheet.picks.append(_parse_answer(token, question, list(question.choices.all())))
            except ValueError as exc:
                problems.append((label, _("第 %(q)d 题：%(e)s") % {"q": position, "e": exc}))
                break
        else:
            sheets.append(sheet)
    taken = set(
        Attempt.objects.filter(paper=paper, sheet_number__in=seen).values_list(
            "sheet_number", flat=True
        )
    )
    for number in sorted(taken):
        problems.append((_("答卷 %(no)d") % {"no": number}, _("这个编号已经录入过")))
    if problems:
        raise EntryError(problems)
    return sheets


def record_sheets(paper, text, *, completed_at=None, region=None, audience=None):
    """Parse ``text`` (see ``parse_sheets``) and save one paper Attempt per sheet; return the
    attempts. A blank answer counts as wrong. Raises EntryError and saves nothing when any
    line is wrong or a sheet number was entered before."""
    sheets = parse_sheets(paper, text)
    questions = paper.ordered_questions()
    correct_sets = [{c.pk for c in q.choices.all() if c.is_correct} for q in questions]
    when = completed_at or timezone.now()
    attempts = []
    try:
        with transaction.atomic():
            for sheet in sheets:
                attempt = Attempt.objects.create(
                    quiz_id=paper.quiz_id,
                    token=new_token(),
                    question_count=len(questions),
                    source=Attempt.Source.PAPER,
                    paper=paper,
                    sheet_number=sheet.number,
                    region=region,
                    audience=audience,
                )
                answers = Answer.objects.bulk_create(
                    Answer(
                        attempt=attempt,
                        question=q,
                        position=n,
                        answered_at=when,
                        is_correct=picks == correct,
                    )
                    for n, (q, picks, correct) in enumerate(
                        zip(questions, sheet.picks, correct_sets, strict=True), start=1
                    )
                )
                AnswerChoice.objects.bulk_create(
                    AnswerChoice(answer=answer, choice_id=cid, attempt=attempt)
                    for answer, picks in zip(answers, sheet.picks, strict=True)
                    for cid in sorted(picks)
                )
                complete_if_done(attempt)
                attempts.append(attempt)
            Attempt.objects.filter(pk__in=[a.pk for a in attempts]).update(completed_at=when)
    except IntegrityError:  # the same sheet entered at the same moment by two people
        raise EntryError([(_("答卷"), _("有答卷编号刚刚被别人录入，请刷新后再试"))]) from None
    return attempts


# ---------------------------------------------------------------------------------------
# Entry per question
# ---------------------------------------------------------------------------------------


@dataclass
class TallyRow:
    question: Question
    answered: int
    correct: int
    choice_counts: dict  # choice id -> count


def check_tallies(paper, data):
    """Return TallyRows from ``data`` (a mapping like request.POST: ``answered-<position>``,
    ``correct-<position>``, ``choice-<position>-<letter>``; empty choice counts are allowed).

    Raises EntryError naming each bad number.
    """
    problems, rows = [], []

    def number(name, label):
        raw = _normalise(str(data.get(name, "") or ""))
        if raw == "":
            return None
        if not raw.isdigit() or len(raw) > 6:
            problems.append((label, _("“%(v)s”不是人数（0 或正整数）") % {"v": raw[:10]}))
            return None
        return int(raw)

    for position, question in enumerate(paper.ordered_questions(), start=1):
        label = _("第 %(n)d 题") % {"n": position}
        answered = number(f"answered-{position}", label)
        correct = number(f"correct-{position}", label)
        choices = list(question.choices.all())
        counts = {}
        for index, choice in enumerate(choices):
            value = number(f"choice-{position}-{letter(index)}", label)
            if value is not None:
                counts[choice.pk] = value
        if answered is None:
            if correct is not None or counts:
                problems.append((label, _("请填写作答人数")))
            continue
        if correct is None:
            problems.append((label, _("请填写答对人数")))
            continue
        if correct > answered:
            problems.append((label, _("答对人数不能多于作答人数")))
            continue
        if any(c > answered for c in counts.values()):
            problems.append((label, _("某个选项的人数多于作答人数")))
            continue
        if question.kind != Question.Kind.MULTIPLE and counts and sum(counts.values()) > answered:
            problems.append((label, _("单选题各选项人数之和不能多于作答人数")))
            continue
        rows.append(TallyRow(question, answered, correct, counts))
    if problems:
        raise EntryError(problems)
    if not rows:
        raise EntryError([(_("汇总"), _("没有填写任何一题的人数。"))])
    return rows


def record_tallies(paper, data):
    """Save the per-question totals in ``data`` (see ``check_tallies``), replacing any entered
    before for the same questions; return the number of questions saved. Raises EntryError
    and saves nothing when a number is wrong."""
    rows = check_tallies(paper, data)
    with transaction.atomic():
        for row in rows:
            tally, _created = PaperTally.objects.update_or_create(
                paper=paper,
                question=row.question,
                defaults={"answered": row.answered, "correct": row.correct},
            )
            tally.choices.all().delete()
            PaperChoiceTally.objects.bulk_create(
                PaperChoiceTally(tally=tally, choice_id=cid, count=count)
                for cid, count in row.choice_counts.items()
            )
    return len(rows)


def paper_figures(papers):
    """Return what the papers in ``papers`` (a queryset) brought back: {"sheets": number of
    sheets entered, "passed": of those passed, "tallied_questions": questions with totals,
    "tallied_answers": answers in those totals}. Two queries."""
    from django.db.models import Count, Sum

    sheets = Attempt.objects.filter(paper__in=papers, completed_at__isnull=False).aggregate(
        n=Count("pk"), passed=Count("pk", filter=Q(passed=True))
    )
    tallies = PaperTally.objects.filter(paper__in=papers).aggregate(
        questions=Count("pk"), answers=Sum("answered")
    )
    return {
        "sheets": sheets["n"] or 0,
        "passed": sheets["passed"] or 0,
        "tallied_questions": tallies["questions"] or 0,
        "tallied_answers": tallies["answers"] or 0,
    }
