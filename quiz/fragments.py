"""The pieces every answer's screen shows, rendered once per question and kept in the
process: the question's form, the lesson of an answer and the result page's item for it.

At the publicity-month peak most people answer the same few dozen questions with the same
few choices; rendering a form (choices, picture, labels) or a lesson (verdict, notes, red flag,
case) for each of them again was the largest part of an answer's time. Each piece is kept
under the bank's versions that ``bank.questions`` read in the same request, so an edited
question or a new case is rendered afresh at once. What belongs to one attempt is never kept:
the form's action (which names the attempt) and its CSRF token are put in per request, and a
form showing an error or earlier choices is rendered every time.
"""

from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import mark_safe

from website.core.cache import kept_in_process

# Stand-ins rendered into a kept piece and put in per request; nothing a question's text can
# hold looks like them. A random draw puts a question at any position, so a piece kept with
# its position in it would be rendered again for nearly every attempt.
ACTION = "quiz-form-action-0a6f1c"
TOKEN = "quiz-form-token-0a6f1c"
POSITION = "quiz-position-0a6f1c"


def _version(found):
    # Both versions known, or nothing says what a kept copy belongs to (a cache just emptied).
    return found.versions if all(found.versions) else None


def question_form(request, found, frame, question, is_last, action, error="", selected=()):
    """The form of ``question`` posting to ``action``; ``found`` is what ``bank.questions``
    returned (its versions key the kept form). A form showing an ``error`` and what was
    ``selected`` belongs to one visitor and is rendered, not kept."""

    def render():
        return render_to_string(
            "quiz/includes/question_form.html",
            {
                "request": request,
                "frame": frame,
                "question": question,
                "is_last": is_last,
                "form_action": ACTION,
                "csrf_token": TOKEN,
                "error": error,
                "selected": selected,
            },
        )

    if error or selected:
        html = render()
    else:
        key = ("quiz-form", question.pk, is_last, frame.embedded)
        html = kept_in_process(key, _version(found), render)
    html = html.replace(ACTION, escape(action))
    if not frame.embedded:  # inside a partner's frame the form carries no token
        html = html.replace(TOKEN, get_token(request))
    return mark_safe(html)


def _with_position(key, found, template, context, position):
    html = kept_in_process(
        key, _version(found), lambda: render_to_string(template, {**context, "position": POSITION})
    )
    return mark_safe(html.replace(POSITION, str(int(position))))


def lesson(request, found, frame, lesson, chosen, position):
    """The lesson of an answer choosing ``chosen`` (choice ids) on its explanation screen,
    shown as number ``position``."""
    return _with_position(
        ("quiz-lesson", lesson.question.pk, tuple(sorted(chosen)), frame.embedded),
        found,
        "quiz/includes/explained.html",
        {"request": request, "frame": frame, "lesson": lesson},
        position,
    )


def review_item(request, found, frame, lesson, chosen, position, is_open, elder_mode):
    """The result page's item for an answer: verdict and stem (cut shorter for elders),
    opening (``is_open``: already open) onto its lesson."""
    return _with_position(
        ("quiz-review", lesson.question.pk, tuple(sorted(chosen)), frame.embedded)
        + (is_open, elder_mode),
        found,
        "quiz/includes/review_item.html",
        {
            "request": request,
            "frame": frame,
            "lesson": lesson,
            "open": is_open,
            "elder_mode": elder_mode,
        },
        position,
    )
