"""The two pieces every answer's screen shows, rendered once per question and kept in the
process: the question's form and the lesson of an answer.

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

# Stand-ins rendered into a kept form; nothing a question's text can hold looks like them.
ACTION = "quiz-form-action-0a6f1c"
TOKEN = "quiz-form-token-0a6f1c"
# A few KB each: a bank of a thousand questions and every lesson of it stays small.
MAX_KEPT = 4096
_kept = {}


def _keep(key, render):
    if not all(key[1]):
        # A version is missing (the cache was emptied): nothing says what a copy belongs to.
        return render()
    html = _kept.get(key)
    if html is None:
        html = render()
        if len(_kept) >= MAX_KEPT:
            _kept.clear()
        _kept[key] = html
    return html


def question_form(request, found, frame, question, number, is_last, action):
    """The form of ``question`` (number ``number``) posting to ``action``; ``found`` is what
    ``bank.questions`` returned (its versions key the kept form)."""
    key = ("form", found.versions, question.pk, number, is_last, frame.embedded)
    html = _keep(
        key,
        lambda: render_to_string(
            "quiz/includes/question_form.html",
            {
                "request": request,
                "frame": frame,
                "question": question,
                "number": number,
                "is_last": is_last,
                "form_action": ACTION,
                "csrf_token": TOKEN,
                "error": "",
                "selected": "",
            },
        ),
    )
    html = html.replace(ACTION, escape(action))
    if not frame.embedded:  # inside a partner's frame the form carries no token
        html = html.replace(TOKEN, get_token(request))
    return mark_safe(html)


def lesson(request, found, frame, lesson, chosen, position):
    """The lesson of an answer choosing ``chosen`` (choice ids), shown as number ``position``."""
    key = (
        "lesson",
        found.versions,
        lesson.question.pk,
        tuple(sorted(chosen)),
        position,
        frame.embedded,
    )
    return mark_safe(
        _keep(
            key,
            lambda: render_to_string(
                "quiz/includes/lesson.html",
                {"request": request, "frame": frame, "lesson": lesson, "position": position},
            ),
        )
    )
