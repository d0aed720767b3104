"""Paper quizzes at 七进 events: older and rural people without smartphones take part on
paper. Staff draw a paper for the event's audience (stored, so it can be re-printed), print
it (questions, a one-page answer sheet with a QR code to the online quiz, an answer key),
and after the event enter what came back: every sheet, or per-question totals when that is
all they kept. Paper answers count in the event's and the campaign's quiz figures, marked as
paper.

The quiz side (the balanced draw, the paper's rows, scoring sheets, totals in the item
statistics) is ``quiz.paper``; this module ties it to events and prints it.
"""

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from quiz import paper as quiz_paper
from quiz import stats
from quiz.models import Attempt, PaperTally, QuizPage, QuizPaper
from website.core.pdf import render_pdf
from website.core.qr import qr_data_uri

PAPER_TEMPLATE = "campaigns/outreach/paper/paper.html"


class PaperError(ValueError):
    """A paper cannot be made or changed; ``str()`` says why, for staff."""


def quiz_for(event):
    """Return the QuizPage the event's paper answers count under: the campaign's quiz when it
    has one, else the first live quiz of the site; None when there is no quiz at all."""
    campaign = event.campaign
    if campaign is not None and campaign.related_quiz_id:
        quiz = QuizPage.objects.filter(pk=campaign.related_quiz_id).first()
        if quiz is not None:
            return quiz
    return QuizPage.objects.live().order_by("path").first()


def has_answers(paper):
    return (
        Attempt.objects.filter(paper=paper).exists()
        or PaperTally.objects.filter(paper=paper).exists()
    )


def make_paper(event, count=quiz_paper.DEFAULT_PAPER_QUESTIONS, seed=None):
    """Draw and store the event's paper quiz (for its audiences), replacing a previous draw
    that has no answers yet; return the QuizPaper.

    Raises PaperError when answers were entered against the current paper (re-drawing would
    detach them from the questions people saw), or when there is no quiz or no question.
    """
    quiz = quiz_for(event)
    if quiz is None:
        raise PaperError(_("网站上还没有知识测试页面，纸质答卷无处计入，请先建一个知识测试。"))
    with transaction.atomic():
        locked = type(event).objects.select_for_update().get(pk=event.pk)
        old = locked.paper_quiz
        if old is not None and has_answers(old):
            raise PaperError(_("这份试卷已经录入了答卷，不能重新抽题。"))
        title = _("%(event)s · 防范非法集资知识测试") % {"event": locked.title}
        try:
            paper = quiz_paper.create_paper(
                title, quiz, list(locked.audiences.all()), count=count, seed=seed
            )
        except ValueError as exc:
            raise PaperError(str(exc)) from None
        locked.paper_quiz = paper
        locked.save(update_fields=["paper_quiz", "updated_at"])
        event.paper_quiz = paper
        if old is not None:
            old.delete()
    return paper


def quiz_address(quiz):
    """The quiz's full public address, for the QR code and the printed text."""
    url = quiz.get_full_url() if quiz is not None else None
    if not url and quiz is not None:
        url = settings.FANGFEI_BASE_URL.rstrip("/") + quiz.url
    return url or settings.FANGFEI_BASE_URL


def paper_context(event, paper):
    """Return the template context of the paper's PDF."""
    from website.core.models import ReportingSettings

    questions = paper.ordered_questions()
    items = []
    for position, question in enumerate(questions, start=1):
        choices = list(question.choices.all())
        items.append(
            {
                "position": position,
                "question": question,
                "choices": [(quiz_paper.letter(i), c) for i, c in enumerate(choices)],
                "key": "".join(quiz_paper.letter(i) for i, c in enumerate(choices) if c.is_correct),
            }
        )
    try:
        reporting = ReportingSettings.load()
    except Exception:  # no Site yet: the model's defaults
        reporting = ReportingSettings()
    address = quiz_address(paper.quiz)
    return {
        "event": event,
        "paper": paper,
        "items": items,
        "reporting": reporting,
        "quiz_address": address,
        "qr": qr_data_uri(address),
        "event_date": timezone.localtime(event.start_at).date(),
        "printed_on": timezone.localdate(),
    }


def paper_quiz_pdf(event):
    """Return the PDF bytes of the event's paper quiz (questions, answer sheet, answer key).
    For the campaign's print batch too, which draws missing papers first.

    Raises PaperError when the event has no paper drawn yet: drawing changes what answers
    count against, so it is a deliberate step (``make_paper``), never a side effect of a
    download.
    """
    if event.paper_quiz is None:
        raise PaperError(_("这个活动还没有抽题，请先在“纸质测试”页面抽好试卷再下载。"))
    return render_pdf(PAPER_TEMPLATE, paper_context(event, event.paper_quiz))


# -- entering answers --------------------------------------------------------------------------
def _single_audience(event):
    audiences = list(event.audiences.all()[:2])
    return audiences[0] if len(audiences) == 1 else None


def enter_sheets(event, text):
    """Save the answer sheets in ``text`` (one line per sheet, see ``quiz.paper``) as paper
    attempts of the event: dated at the event, in its region (and its audience when it has
    exactly one). Returns the attempts; raises quiz.paper.EntryError (nothing saved) or
    PaperError when the event has no paper."""
    if event.paper_quiz is None:
        raise PaperError(_("这个活动还没有纸质试卷。"))
    return quiz_paper.record_sheets(
        event.paper_quiz,
        text,
        completed_at=event.start_at,
        region=event.region,
        audience=_single_audience(event),
    )


def enter_tallies(event, data):
    """Save per-question totals for the event's paper; return the number of questions.
    Raises quiz.paper.EntryError (nothing saved) or PaperError."""
    if event.paper_quiz is None:
        raise PaperError(_("这个活动还没有纸质试卷。"))
    return quiz_paper.record_tallies(event.paper_quiz, data)


# -- figures ---------------------------------------------------------------------------------
def event_quiz_figures(event):
    """Return the event's quiz figures: everything came back on paper, so they are marked so.

    {"paper": QuizPaper or None, "sheets", "passed", "pass_rate", "tallied_questions",
    "tallied_answers", "items": ItemStats of the paper's questions (sheets and totals)}.
    """
    paper = event.paper_quiz
    if paper is None:
        return {"paper": None, "sheets": 0, "items": []}
    papers = QuizPaper.objects.filter(pk=paper.pk)
    figures = quiz_paper.paper_figures(papers)
    attempts = Attempt.objects.filter(paper=paper, completed_at__isnull=False)
    figures["items"] = stats.item_statistics(attempts, PaperTally.objects.filter(paper=paper))
    figures["pass_rate"] = figures["passed"] / figures["sheets"] if figures["sheets"] else None
    figures["paper"] = paper
    return figures


def campaign_quiz_figures(campaign, min_count=stats.DEFAULT_MIN_COUNT):
    """Return the campaign's quiz participation by source: online attempts at its quiz during
    its dates and the paper sheets of its events, as stats Cells (网上答题, 纸质答卷), and the
    totals of per-question paper counts. {"cells": [...], "tallied_answers": n,
    "papers": number of events with a paper}."""
    papers = QuizPaper.objects.filter(event__campaign=campaign)
    online = Attempt.objects.none()
    if campaign.related_quiz_id:
        online = stats.completed_attempts(None, campaign.start_date, campaign.end_date).filter(
            quiz_id=campaign.related_quiz_id, source=Attempt.Source.ONLINE
        )
    paper = Attempt.objects.filter(paper__in=papers, completed_at__isnull=False)
    attempts = Attempt.objects.filter(pk__in=online.values("pk")) | Attempt.objects.filter(
        pk__in=paper.values("pk")
    )
    figures = quiz_paper.paper_figures(papers)
    return {
        "cells": stats.by_source(attempts, min_count),
        "tallied_answers": figures["tallied_answers"],
        "tallied_questions": figures["tallied_questions"],
        "papers": papers.count(),
    }
