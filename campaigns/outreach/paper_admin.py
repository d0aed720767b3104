"""Staff pages of paper quizzes (七进活动 › 纸质测试): the events with their papers, and for one
event: draw the paper, download its PDF, enter the sheets or the per-question counts, and
see what came back. Viewing needs ``view_outreachevent``; changing needs
``change_outreachevent``."""

from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin import messages

from campaigns.models import OutreachEvent
from campaigns.outreach import paper
from campaigns.outreach.admin_views import OUTREACH_CRUMBS, OutreachView
from quiz import paper as quiz_paper
from quiz.models import Attempt
from website.core.admin_views import has_permissions
from website.core.params import clean_param

CHANGE = "campaigns.change_outreachevent"
VIEW = "campaigns.view_outreachevent"
MAX_ENTRY_CHARS = 50_000


class PaperIndexView(OutreachView):
    template_name = "campaigns/outreach/paper/index.html"
    page_title = gettext_lazy("纸质测试")

    def get_context_data(self, **kwargs):
        events = list(
            OutreachEvent.objects.select_related("region", "channel", "paper_quiz")
            .exclude(status=OutreachEvent.Status.CANCELLED)
            .order_by("-start_at")[:200]
        )
        papers = [e.paper_quiz_id for e in events if e.paper_quiz_id]
        counts = dict(
            Attempt.objects.filter(paper_id__in=papers)
            .values_list("paper_id")
            .annotate(n=Count("pk"))
        )
        for event in events:
            event.sheets = counts.get(event.paper_quiz_id, 0)
        return super().get_context_data(events=events, **kwargs)


class EventPaperView(OutreachView):
    template_name = "campaigns/outreach/paper/event.html"
    page_title = gettext_lazy("纸质测试")
    breadcrumbs_items = OUTREACH_CRUMBS + [
        {"url": reverse_lazy("outreach_admin:paper_index"), "label": gettext_lazy("纸质测试")}
    ]

    def get_event(self):
        return get_object_or_404(
            OutreachEvent.objects.select_related("paper_quiz", "campaign", "region"),
            pk=self.kwargs["pk"],
        )

    def get_page_subtitle(self):
        return self.get_event().title

    def get_context_data(self, **kwargs):
        event = kwargs.pop("event", None) or self.get_event()
        drawn = event.paper_quiz
        questions = drawn.ordered_questions() if drawn else []
        rows = [
            {
                "position": n,
                "question": q,
                "letters": [quiz_paper.letter(i) for i, _c in enumerate(q.choices.all())],
            }
            for n, q in enumerate(questions, start=1)
        ]
        kwargs.setdefault("sheets_text", "")
        kwargs.setdefault("tally_data", {})
        return super().get_context_data(
            event=event,
            drawn=drawn,
            rows=rows,
            figures=paper.event_quiz_figures(event),
            can_change=has_permissions(self.request.user, CHANGE),
            quiz=paper.quiz_for(event),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        if not has_permissions(request.user, CHANGE):
            raise PermissionDenied
        event = self.get_event()
        action = clean_param(request.POST.get("action", ""), 10)
        problems = []
        context = {}
        try:
            if action == "draw":
                raw = clean_param(request.POST.get("count", ""), 3)
                count = int(raw) if raw.isdigit() else quiz_paper.DEFAULT_PAPER_QUESTIONS
                if (raw and not raw.isdigit()) or not 1 <= count <= quiz_paper.MAX_PAPER_QUESTIONS:
                    raise paper.PaperError(
                        _("题数应在 1 到 %(n)d 之间。") % {"n": quiz_paper.MAX_PAPER_QUESTIONS}
                    )
                paper.make_paper(event, count=count)
                messages.success(request, _("已抽好试卷，可以下载打印。"))
                return redirect("outreach_admin:paper", pk=event.pk)
            if action == "sheets":
                text = str(request.POST.get("sheets", ""))[:MAX_ENTRY_CHARS]
                context["sheets_text"] = text
                saved = paper.enter_sheets(event, text)
                messages.success(request, _("已录入 %(n)d 份答卷。") % {"n": len(saved)})
                return redirect("outreach_admin:paper", pk=event.pk)
            if action == "tallies":
                data = {
                    k: clean_param(v, 12)
                    for k, v in request.POST.items()
                    if k.startswith(("answered-", "correct-", "choice-")) and len(k) < 30
                }
                context["tally_data"] = data
                saved = paper.enter_tallies(event, data)
                messages.success(request, _("已保存 %(n)d 道题的人数。") % {"n": saved})
                return redirect("outreach_admin:paper", pk=event.pk)
            problems = [(_("操作"), _("不认识的操作。"))]
        except paper.PaperError as exc:
            problems = [(_("试卷"), str(exc))]
        except quiz_paper.EntryError as exc:
            problems = exc.problems
        context["problems"] = problems
        response = self.render_to_response(self.get_context_data(event=event, **context))
        response.status_code = 400
        return response


def paper_pdf(request, pk):
    """Download the event's paper quiz as a PDF; an event with no paper drawn yet gets a
    400 saying to draw one first (drawing is a POST on the event's paper page)."""
    if not has_permissions(request.user, VIEW):
        raise PermissionDenied
    event = get_object_or_404(OutreachEvent, pk=pk)
    try:
        pdf = paper.paper_quiz_pdf(event)
    except paper.PaperError as exc:
        return HttpResponse(str(exc), status=400, content_type="text/plain; charset=utf-8")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="paper-quiz-event-{event.pk}.pdf"'
    return response
