"""What a quiz teaches about one answered question: the verdict (right, partly right, wrong),
what each choice was for the person, the red flag the question is about, and a case to read.

Shared by the explanation shown right after each answer and the review on the result page,
so both say exactly the same thing.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from taggit.models import Tag

from quiz.models import Question
from website.pages.models import CaseStudyPage

RIGHT, PARTLY, WRONG = "right", "partly", "wrong"
# The four features of illegal fundraising are red flags; "识别与应对" is what to do about them.
RED_FLAG_HALLMARKS = {
    Question.Hallmark.LICENCE,
    Question.Hallmark.PUBLICITY,
    Question.Hallmark.RETURNS,
    Question.Hallmark.PUBLIC,
}


@dataclass
class Row:
    """One choice as the person should see it after answering."""

    choice: object
    chosen: bool
    note: str = ""

    @property
    def correct(self):
        return self.choice.is_correct


@dataclass
class Lesson:
    """The teaching for one answered question."""

    question: Question
    verdict: str
    rows: list
    hit: list = field(default_factory=list)
    missed: list = field(default_factory=list)
    extra: list = field(default_factory=list)
    case: object = None

    @property
    def is_right(self):
        return self.verdict == RIGHT

    @property
    def verdict_label(self):
        return {RIGHT: _("答对了"), PARTLY: _("部分正确"), WRONG: _("答错了")}[self.verdict]

    @property
    def partly_text(self):
        """For a partly right multi-select: what was right, missed and superfluous."""
        if self.verdict != PARTLY:
            return ""
        parts = [_("选对了%(x)s") % {"x": _join(self.hit)}]
        if self.missed:
            parts.append(_("漏选了%(x)s") % {"x": _join(self.missed)})
        if self.extra:
            parts.append(_("多选了%(x)s") % {"x": _join(self.extra)})
        return _("部分正确：%(parts)s。多选题要全部选对才得分。") % {"parts": "，".join(parts)}

    @property
    def red_flag(self):
        """Return (label, value): the red flag the question is about, or what it practises."""
        label = _("危险信号") if self.question.hallmark in RED_FLAG_HALLMARKS else _("考查要点")
        return label, self.question.get_hallmark_display()


def _join(choices):
    return "、".join(f"“{c.text}”" for c in choices)


def lesson(question, chosen_ids, case=None):
    """Return the Lesson for ``question`` (choices prefetched) answered with ``chosen_ids``.

    A multi-select answer with at least one right choice but not exactly the right set is
    "partly" right (scored as wrong: scoring stays all or nothing).
    """
    chosen_ids = set(chosen_ids)
    choices = list(question.choices.all())
    hit = [c for c in choices if c.is_correct and c.pk in chosen_ids]
    missed = [c for c in choices if c.is_correct and c.pk not in chosen_ids]
    extra = [c for c in choices if not c.is_correct and c.pk in chosen_ids]
    if not missed and not extra:
        verdict = RIGHT
    elif question.is_multiple and hit:
        verdict = PARTLY
    else:
        verdict = WRONG
    rows = []
    for c in choices:
        chosen = c.pk in chosen_ids
        if chosen and c.is_correct:
            note = _("（您选了，选对了）")
        elif chosen:
            note = _("（您的选择，这项不对）") if question.is_multiple else _("（您的选择）")
        elif c.is_correct:
            note = (
                _("（正确答案，您漏选了）")
                if question.is_multiple and verdict == PARTLY
                else _("（正确答案）")
            )
        else:
            note = ""
        rows.append(Row(c, chosen, note))
    return Lesson(question, verdict, rows, hit, missed, extra, case)


def cases_for(question_ids):
    """Return {question id: CaseStudyPage} pairing each question with the newest live case
    that shares one of its pretext tags (questions without such a case are left out).

    Two queries, whatever the number of questions.
    """
    pairs = list(
        Tag.objects.filter(quiz_questiontag_items__content_object__in=list(question_ids))
        .values_list("quiz_questiontag_items__content_object", "pk")
        .distinct()
    )
    tag_ids = {tag for _q, tag in pairs}
    if not tag_ids:
        return {}
    cases = list(
        CaseStudyPage.objects.live()
        .public()
        .filter(pk__in=CaseStudyPage.objects.filter(tags__in=tag_ids).values("pk"))
        .order_by("-case_date", "-pk")
        .prefetch_related("tags")[:50]
    )
    tags_of = {}
    for question_id, tag_id in pairs:
        tags_of.setdefault(question_id, set()).add(tag_id)
    found = {}
    for question_id, tags in tags_of.items():
        # Newest first: the first case sharing a tag is the newest one.
        case = next((c for c in cases if tags & {t.pk for t in c.tags.all()}), None)
        if case is not None:
            found[question_id] = case
    return found
