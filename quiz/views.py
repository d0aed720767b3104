"""The public side of a QuizPage: start, one question per screen, result, leaderboard.

Plain forms, so it works on any phone without JavaScript. POST/redirect/GET throughout, but
for an answer in a quiz that explains each one: that POST is answered with the explanation
and the next question's form (one request per question at the publicity-month peak); a
reload of it finds the question answered and goes on to the open one.
An attempt is named only by the random token in its URLs; nothing identifies the person.
Pages that belong to one attempt are ``no-store`` so neither the page cache nor a CDN keeps
them.

The same views also run inside partners' iframes (``website.embeds``): a ``QuizFrame`` says
where the quiz is shown, so URLs, the base template and what needs a first-party cookie
(CSRF tokens, the optional profile form after the result) follow it.
"""

from django.http import Http404, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers, patch_cache_control

from quiz import bank, fragments, stats, teaching, throttle
from quiz.draw import start_attempt
from quiz.forms import ProfileForm
from quiz.leaderboard import counting_rules, remember_client
from quiz.models import AnswerChoice, Attempt, Question
from quiz.related import related
from quiz.scoring import InvalidAnswer, load_attempt, parse_choice_ids, record_answer
from quiz.share import render_share_image
from website.core.cache import render_kept
from website.core.display_mode import is_elder_mode
from website.core.params import clean_param

MAX_SELECTED = 10


class QuizFrame:
    """The quiz on its own page of this site: routable-page URLs, the site's base template."""

    embedded = False
    base_template = "base.html"

    def url(self, page, name, *args):
        return page.url + page.reverse_subpage(name, args=args)


OWN_PAGE = QuizFrame()


def _private(response):
    add_never_cache_headers(response)
    patch_cache_control(response, private=True)
    return response


def _clean_post(request, names):
    return {name: clean_param(request.POST.get(name, ""), max_length=40) for name in names}


def _attempt_or_404(page, token):
    attempt = Attempt.objects.filter(quiz=page, token=token).select_related("quiz").first()
    if attempt is None:
        raise Http404("no such attempt")
    return attempt


def _context(page, request, frame, **values):
    context = page.get_context(request)
    context.update(frame=frame, **values)
    return context


def _throttled(page, request, verdict, frame):
    response = TemplateResponse(
        request,
        "quiz/throttled.html",
        {
            "page": page,
            "retry_after": verdict.retry_after,
            "limited": throttle.what_is_limited(verdict),
            "frame": frame,
            "restart_url": frame.url(page, "start"),
        },
        status=429,
    )
    response["Retry-After"] = str(verdict.retry_after)
    return _private(response)


class Snapshot:
    """An attempt and its answer rows, read in one query (``scoring.load_attempt``): what
    every screen of the attempt needs to know (which question is open, which are answered)
    without asking again."""

    def __init__(self, page, token):
        loaded = load_attempt(page, token)
        if loaded is None:
            raise Http404("no such attempt")
        self.attempt, answers = loaded
        self.answers = {a.position: a for a in answers}

    def next_open(self, after=0):
        """Return the position of the first unanswered question after ``after``, or None."""
        return next(
            (n for n, a in self.answers.items() if n > after and a.answered_at is None), None
        )

    def onward_url(self, page, frame):
        position = self.next_open()
        if position is None or self.attempt.is_complete:
            return frame.url(page, "result", self.attempt.token)
        return frame.url(page, "question", self.attempt.token, position)


def _redirect_onward(page, snapshot, frame):
    """Redirect to the first unanswered question, or to the result when there is none."""
    return HttpResponseRedirect(snapshot.onward_url(page, frame))


def start(page, request, frame=OWN_PAGE):
    """GET: the quiz's intro and start form. POST: draw the questions, go to the first."""
    form = ProfileForm()
    status = 200
    if request.method == "POST":
        verdict = throttle.check(request, "ip", "start", "session")
        if not verdict.allowed:
            return _throttled(page, request, verdict, frame)
        form = ProfileForm(_clean_post(request, ("age_band", "audience", "region")))
        if form.is_valid():
            profile = form.profile() if page.ask_profile else {}
            attempt = start_attempt(page, profile)
            if attempt is None:
                context = {"page": page, "frame": frame}
                return _private(
                    TemplateResponse(request, "quiz/unavailable.html", context, status=503)
                )
            response = HttpResponseRedirect(frame.url(page, "question", attempt.token, 1))
            # Inside a partner's iframe no cookie is set (browsers block third-party ones):
            # there each attempt is its own person, within the per-network ceiling.
            return remember_client(request, attempt, response, set_cookie=not frame.embedded)
        status = 400
    elif request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "POST"])
    context = _context(page, request, frame, form=form, form_action=frame.url(page, "start"))
    return _private(TemplateResponse(request, "quiz/quiz_page.html", context, status=status))


def resume(page, request, token):
    return _private(_redirect_onward(page, Snapshot(page, token), OWN_PAGE))


def _form_html(request, page, snapshot, frame, number, question, found, **shown):
    """Question ``number``'s form, on its own screen or under an explanation; ``shown`` is
    the error and the choices of a refused answer."""
    is_last = number == snapshot.attempt.question_count
    action = frame.url(page, "question", snapshot.attempt.token, number)
    return fragments.question_form(request, found, frame, question, is_last, action, **shown)


def _screen(page, request, frame, template, holes, status=200, **fixed):
    """A screen of the attempt: the same for every attempt at the quiz with the same
    ``fixed`` values but for ``holes``, so on the site itself its shell is kept
    (``render_kept``)."""
    context = _context(page, request, frame, **fixed)
    if frame.embedded:  # a partner's frame has looks of its own
        return _private(TemplateResponse(request, template, {**context, **holes}, status=status))
    html = render_kept(request, template, context, (page.pk, *sorted(fixed.items())), holes)
    return _private(HttpResponse(html, status=status))


def question(page, request, token, number, frame=OWN_PAGE):
    """Show question ``number`` of the attempt (GET) or record its answer (POST).

    One query reads the attempt with all its answer rows; the question comes from the bank's
    cache (``quiz.bank``). An answer is two writes in one transaction, plus the scoring once
    the last question is in; its response is the explanation where the quiz explains each.
    """
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    snapshot = Snapshot(page, token)
    attempt = snapshot.attempt
    if request.method == "POST":
        verdict = throttle.check(request, "ip", "token", token=token)
        if not verdict.allowed:
            return _throttled(page, request, verdict, frame)
    if attempt.is_complete:
        return _private(HttpResponseRedirect(frame.url(page, "result", token)))
    answer = snapshot.answers.get(number)
    if answer is None or answer.answered_at is not None or number != snapshot.next_open():
        # Replays, double submissions and hand-typed numbers all land on the open question.
        return _private(_redirect_onward(page, snapshot, frame))
    following = snapshot.next_open(after=number)
    wanted = [answer.question_id]
    if request.method == "POST" and following is not None:
        wanted.append(snapshot.answers[following].question_id)
    # The question and, for an answer, the next one its explanation offers: one cache read.
    found = bank.questions(wanted)
    answer.question = found[answer.question_id][0]

    error = None
    selected = set()
    if request.method == "POST":
        raw = request.POST.getlist("choice")[:MAX_SELECTED]
        try:
            selected = parse_choice_ids(answer.question, raw)
        except InvalidAnswer as exc:
            error = str(exc)
        else:
            recorded = record_answer(answer, selected, last=following is None)
            if recorded and page.explain_each:
                # Teach while it asks: the explanation (and the next question's form) is the
                # answer's own response; a redirect and a second screen's reads are saved.
                return _explained(page, request, snapshot, answer, selected, found, frame)
            return _private(_redirect_onward(page, snapshot, frame))

    form_html = _form_html(
        request,
        page,
        snapshot,
        frame,
        number,
        answer.question,
        found,
        error=error or "",
        selected=selected,
    )
    total = attempt.question_count
    holes = {"number": number, "total": total, "done": number - 1, "form_html": form_html}
    return _screen(page, request, frame, "quiz/question.html", holes, 400 if error else 200)


def explain(page, request, token, number, frame=OWN_PAGE):
    """An answer's explanation again (the answer's own response showed it first): was it right
    (or partly right), why, which red flag, which case; then the next open question's form.

    Only for an answered question; anything else goes to the open question. The answer is
    frozen by then, so nothing shown here can change a score.
    """
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET"])
    snapshot = Snapshot(page, token)
    answer = snapshot.answers.get(number)
    if answer is None or answer.answered_at is None:
        return _private(_redirect_onward(page, snapshot, frame))
    attempt = snapshot.attempt
    position = None if attempt.is_complete else snapshot.next_open()
    wanted = [answer.question_id]
    if position is not None:
        wanted.append(snapshot.answers[position].question_id)
    chosen = AnswerChoice.objects.filter(answer_id=answer.pk).values_list("choice_id", flat=True)
    return _explained(page, request, snapshot, answer, set(chosen), bank.questions(wanted), frame)


def _explained(page, request, snapshot, answer, chosen, found, frame):
    """The explanation of the answered ``answer`` (``chosen``: its choice ids), and the next
    open question's form under it; ``found`` holds both questions from ``bank.questions``."""
    attempt = snapshot.attempt
    token, number = attempt.token, answer.position
    position = None if attempt.is_complete else snapshot.next_open()
    question, case = found[answer.question_id]
    lesson = teaching.lesson(question, chosen, case)
    holes = {
        "number": number,
        "total": attempt.question_count,
        "lesson_html": fragments.lesson(request, found, frame, lesson, chosen, number),
        "next_url": frame.url(page, "result", token),
    }
    if position is not None:
        holes["next_url"] = frame.url(page, "question", token, position)
        holes["following_number"] = position
        holes["following_form_html"] = _form_html(
            request,
            page,
            snapshot,
            frame,
            position,
            found[snapshot.answers[position].question_id][0],
            found,
        )
    return _screen(page, request, frame, "quiz/explain.html", holes, is_last=position is None)


def result(page, request, token, frame=OWN_PAGE):
    snapshot = Snapshot(page, token)
    attempt = snapshot.attempt
    if not attempt.is_complete:
        return _private(_redirect_onward(page, snapshot, frame))
    answers = list(snapshot.answers.values())
    # The questions as the bank keeps them (choices, tags, case): one cache read.
    found = bank.questions([a.question_id for a in answers])
    chosen = {}
    for answer_id, choice_id in AnswerChoice.objects.filter(attempt_id=attempt.pk).values_list(
        "answer_id", "choice_id"
    ):
        chosen.setdefault(answer_id, set()).add(choice_id)
    elder = is_elder_mode(request)
    for answer in answers:
        # Answered questions cannot be deleted (PROTECT): the bank has every one.
        answer.question, case = found[answer.question_id]
        picked = chosen.get(answer.pk, set())
        answer.lesson = teaching.lesson(answer.question, picked, case)
        # Where lessons came one by one they stay folded; elders see a short list to open.
        is_open = not (page.explain_each or elder or answer.lesson.is_right)
        answer.review_html = fragments.review_item(
            request, found, frame, answer.lesson, picked, answer.position, is_open, elder
        )
    wrong = sum(1 for a in answers if not a.lesson.is_right)
    cases, notices = related([a.question for a in answers])
    # The profile form posts with a CSRF cookie, which a partner's iframe may not keep.
    ask_profile = page.ask_profile and not attempt.has_profile and not frame.embedded
    context = _context(
        page,
        request,
        frame,
        restart_url=frame.url(page, "start"),
        attempt=attempt,
        answers=answers,
        wrong_count=wrong,
        percent=round((attempt.score or 0) * 100),
        share_url=frame.url(page, "share_image", attempt.token),
        quiz_address=page.get_full_url(request),
        related_cases=cases,
        related_notices=notices,
        profile_form=ProfileForm() if ask_profile else None,
    )
    return _private(TemplateResponse(request, "quiz/result.html", context))


def profile(page, request, token):
    """Record the optional profile after the quiz, once; then back to the result."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    verdict = throttle.check(request, "ip", "token", token=token)
    if not verdict.allowed:
        return _throttled(page, request, verdict, OWN_PAGE)
    attempt = _attempt_or_404(page, token)
    form = ProfileForm(_clean_post(request, ("age_band", "audience", "region")))
    if page.ask_profile and attempt.is_complete and form.is_valid():
        values = form.profile()
        if values:
            Attempt.objects.filter(
                pk=attempt.pk, age_band="", audience__isnull=True, region__isnull=True
            ).update(**values)
    return _private(HttpResponseRedirect(OWN_PAGE.url(page, "result", token) + "#profile"))


def share_image(page, request, token):
    attempt = _attempt_or_404(page, token)
    if not attempt.is_complete:
        raise Http404("attempt not complete")
    address = page.get_full_url(request) or request.build_absolute_uri(page.url)
    response = HttpResponse(render_share_image(page, attempt, address), content_type="image/png")
    # A finished attempt never changes.
    patch_cache_control(response, public=True, max_age=86400)
    return response


def leaderboard(page, request):
    if not page.leaderboard_enabled:
        raise Http404("no leaderboard")
    ranked, unranked = stats.leaderboard(page)
    context = page.get_context(request)
    context.update(
        ranked=ranked,
        unranked=unranked,
        question_model=Question,
        per_address=counting_rules()["per_address"],
    )
    return TemplateResponse(request, "quiz/leaderboard.html", context)
