"""Staff views of SMS blasts (Wagtail admin, under 短信); subscribers and alerts are in
``admin_subscribers``.

Every view checks a Django permission itself; ``require_admin_access`` (applied by Wagtail to
all admin URLs) already sends anonymous visitors to the login page. Every state change of a
blast goes through ``blast_actions``, which enforces the state machine and the two-person rule;
the views only decide which buttons to show.
"""

import datetime
import functools
import logging
from urllib.parse import unquote

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count
from django.forms.utils import ErrorDict
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse, reverse_lazy
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.decorators.http import require_POST
from wagtail.admin import messages
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.generic.base import BaseListingView, WagtailAdminTemplateMixin
from wagtail.admin.widgets.button import HeaderButton

from campaigns.models import SmsBlast, SmsDelivery, SmsTemplate
from campaigns.sms import blast_actions, delivery, trial_send
from campaigns.sms import links as sms_links
from campaigns.sms import text as sms_text
from campaigns.sms.admin_forms import BODY_MAX, BlastFilterSet, BlastForm, RejectForm
from website.core import charts
from website.core.admin_views import SECONDS, PermissionRequiredMixin, StaffView, local_time
from website.core.params import clean_param
from website.core.views import safe_next
from website.shortlinks.service import link_counts

logger = logging.getLogger(__name__)
S = SmsBlast.Status
D = SmsDelivery.Status

EDITABLE = (S.DRAFT, S.PENDING)
RUNNING = (S.APPROVED, S.SENDING)
FINISHED = (S.COMPLETED, S.CANCELLED)

ACTION_LABELS = {
    "create": gettext_lazy("创建"),
    "edit": gettext_lazy("修改"),
    "submit": gettext_lazy("提交审批"),
    "approve": gettext_lazy("批准"),
    "reject": gettext_lazy("退回"),
    "pause": gettext_lazy("暂停"),
    "resume": gettext_lazy("继续"),
    "cancel": gettext_lazy("取消"),
    "stale": gettext_lazy("审批被拒（内容已变）"),
    "trial": gettext_lazy("发送测试短信"),
}

ERROR_LABELS = {
    "gateway_retry_gave_up": gettext_lazy("网关多次要求重试，已放弃"),
    "not_at_gateway_gave_up": gettext_lazy("多次提交未到达网关，已放弃"),
}

# The bars of the status chart, in ledger order: (key in progress(), label, colour).
CHART_BARS = [
    ("queued", gettext_lazy("排队中"), "#8c8c8c"),
    ("in_flight", gettext_lazy("提交中"), "#3d6fb6"),
    ("submitted", gettext_lazy("已提交"), "#1f7a8c"),
    ("delivered", gettext_lazy("已送达"), "#237a3b"),
    ("failed", gettext_lazy("失败"), "#b4232a"),
    ("skipped", gettext_lazy("已跳过（退订）"), "#a05a00"),
]


# Times in the audit trail and exports are shown to the second.
local = functools.partial(local_time, fmt=SECONDS)


# -- blasts: listing ------------------------------------------------------------------------
def _count(name):
    return lambda blast: blast.counts.get(name, 0)


class BlastIndexView(PermissionRequiredMixin, BaseListingView):
    permission_required = "campaigns.view_smsblast"
    model = SmsBlast
    page_title = gettext_lazy("短信群发")
    header_icon = "mail"
    index_url_name = "campaigns_admin:blasts"
    index_results_url_name = "campaigns_admin:blasts_results"
    filterset_class = BlastFilterSet
    is_searchable = True
    search_fields = ["title", "body"]
    search_backend_name = None
    default_ordering = "-created_at"
    paginate_by = 30
    verbose_name_plural = gettext_lazy("短信群发")
    columns = [
        TitleColumn("title", label=gettext_lazy("标题"), url_name="campaigns_admin:blast_detail"),
        Column("status", label=gettext_lazy("状态"), accessor="get_status_display"),
        Column("planned", label=gettext_lazy("计划发送"), accessor=_count("planned")),
        Column("submitted", label=gettext_lazy("已提交"), accessor=_count("submitted")),
        Column("failed", label=gettext_lazy("失败"), accessor=_count("failed")),
        Column("created_by", label=gettext_lazy("撰写人"), accessor="created_by"),
        DateColumn("created_at", label=gettext_lazy("创建时间"), sort_key="created_at"),
    ]

    def get_base_queryset(self):
        return SmsBlast.objects.select_related("created_by")

    def get_header_buttons(self):
        buttons = super().get_header_buttons()
        if self.request.user.has_perm("campaigns.add_smsblast"):
            buttons.append(
                HeaderButton(
                    _("新建群发"), url=reverse("campaigns_admin:blast_create"), icon_name="plus"
                )
            )
        return buttons

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Counts for this page only, in one grouped query over the ledger's (blast, status) index.
        blasts = list(context["object_list"])
        counts = {b.pk: {} for b in blasts}
        rows = (
            SmsDelivery.objects.filter(blast_id__in=counts)
            .values("blast_id", "status")
            .annotate(n=Count("pk"))
        )
        for row in rows:
            per = counts[row["blast_id"]]
            per["planned"] = per.get("planned", 0) + row["n"]
            if row["status"] in (D.SUBMITTED, D.DELIVERED):
                per["submitted"] = per.get("submitted", 0) + row["n"]
            if row["status"] == D.FAILED:
                per["failed"] = row["n"]
        for blast in blasts:
            blast.counts = counts[blast.pk]
        return context


# -- blasts: compose and edit --------------------------------------------------------------
def count_message(body, link_page=None):
    """Return what the compose counter shows for ``body`` and ``link_page``: the message as
    it will be sent (signature, links as short links, opt-out) and its billed segments.

    Codes do not exist before the blast is saved; every code has the same length, so the
    placeholder in their place gives the exact count.
    """
    sent_body, link = sms_links.shorten(body or "", link_page)
    text = sms_text.compose(sent_body, link)
    return {"text": text, "characters": len(text), "segments": sms_text.segments(text)}


def _chosen_page(value):
    from wagtail.models import Page

    try:
        return Page.objects.filter(pk=int(value)).first() if value else None
    except (TypeError, ValueError):
        return None


class BlastFormView(StaffView):
    template_name = "campaigns/sms/admin/blast_form.html"
    header_icon = "mail"
    breadcrumbs_items = WagtailAdminTemplateMixin.breadcrumbs_items + [
        {"url": reverse_lazy("campaigns_admin:blasts"), "label": gettext_lazy("短信群发")}
    ]
    blast = None

    def render(self, form, status=200):
        body = form["body"].value() or ""
        if form.is_bound:
            link_page = _chosen_page(form["link_page"].value())
        else:
            link_page = self.blast.link_page if self.blast else None
        counted = count_message(body, link_page)
        context = self.get_context_data(
            form=form,
            blast=self.blast,
            signature=sms_text.signature(),
            opt_out=sms_text.OPT_OUT,
            short_link_example=sms_links.placeholder_url(),
            count_url=reverse("campaigns_admin:blast_count"),
            templates=SmsTemplate.objects.only("pk", "name") if not self.blast else [],
            text=counted["text"],
            characters=counted["characters"],
            segments=counted["segments"],
            single_limit=sms_text.SINGLE_LIMIT,
            part_limit=sms_text.PART_LIMIT,
            media=form.media,
        )
        return self.render_to_response(context, status=status)

    def recount(self, form):
        """Show the count of the text as typed, without saving or complaining about fields
        not filled in yet (the 更新字数 button, for browsers without JavaScript)."""
        form._errors = ErrorDict()
        form.cleaned_data = {}
        return self.render(form)


class BlastCountView(PermissionRequiredMixin, View):
    """POST the compose form's fields; JSON of the message as it will be sent and its cost.
    The compose page's counter asks this, so the page and the bill use the same count."""

    permission_required = "campaigns.add_smsblast"

    def post(self, request):
        body = request.POST.get("body", "")[: BODY_MAX * 2]
        counted = count_message(body, _chosen_page(request.POST.get("link_page")))
        response = JsonResponse(counted)
        response["Cache-Control"] = "no-store"
        return response


class BlastCreateView(BlastFormView):
    permission_required = "campaigns.add_smsblast"
    page_title = gettext_lazy("新建短信群发")

    def get(self, request):
        initial = {}
        chosen = clean_param(request.GET.get("template", ""), 12)
        if chosen:
            template = SmsTemplate.objects.filter(pk=chosen).first() if chosen.isdigit() else None
            if template is None:
                messages.error(request, _("没有找到这个短信模板。"))
            else:
                initial = {"body": template.body}
        return self.render(BlastForm(initial=initial))

    def post(self, request):
        form = BlastForm(request.POST)
        if "recount" in request.POST:
            return self.recount(form)
        if not form.is_valid():
            messages.validation_error(request, _("请修正下面的错误。"), form)
            return self.render(form)
        with transaction.atomic():
            blast = form.save(commit=False)
            blast.created_by = request.user
            blast.save()
            form.save_m2m()
            blast_actions.record_created(blast, request.user)
        messages.success(
            request, _("已保存草稿“%(title)s”。请核对预览后提交审批。") % {"title": blast}
        )
        return redirect("campaigns_admin:blast_preview", blast.pk)


class BlastEditView(BlastFormView):
    """Edit a draft or pending blast. Only its author edits it: whoever approves must not
    have written any of the text (the two-person rule)."""

    permission_required = "campaigns.change_smsblast"
    page_title = gettext_lazy("修改短信群发")

    def dispatch(self, request, pk):
        self.blast = get_object_or_404(SmsBlast, pk=pk)
        return super().dispatch(request, pk)

    def refuse(self):
        if self.blast.status not in EDITABLE:
            return _("只有草稿或待审批的群发可以修改。")
        if self.blast.created_by_id != self.request.user.pk:
            return _("只有撰写人可以修改这条群发；如需改动，请退回并说明理由。")
        return None

    def get(self, request, pk):
        if problem := self.refuse():
            messages.error(request, problem)
            return redirect("campaigns_admin:blast_detail", pk)
        return self.render(BlastForm(instance=self.blast))

    def post(self, request, pk):
        if problem := self.refuse():
            messages.error(request, problem)
            return redirect("campaigns_admin:blast_detail", pk)
        form = BlastForm(request.POST, instance=self.blast)
        if "recount" in request.POST:
            return self.recount(form)
        if not form.is_valid():
            messages.validation_error(request, _("请修正下面的错误。"), form)
            return self.render(form)
        if not form.has_changed():
            messages.info(request, _("没有修改。"))
            return redirect("campaigns_admin:blast_preview", pk)
        try:
            with transaction.atomic():
                locked = blast_actions.record_edited(self.blast, request.user, form.changed_data)
                form.instance.status = locked.status  # an edit after submission: back to draft
                form.save()
        except blast_actions.BlastActionError as error:
            messages.error(request, str(error))
            return redirect("campaigns_admin:blast_detail", pk)
        if locked.status == S.DRAFT and self.blast.status != S.DRAFT:
            messages.warning(request, _("已保存。修改后需要重新提交审批。"))
        else:
            messages.success(request, _("已保存修改。"))
        return redirect("campaigns_admin:blast_preview", pk)


# -- blasts: preview, detail, progress -----------------------------------------------------
def quiet_note(blast, now=None):
    """Return the note shown while quiet hours hold a running blast, or ""."""
    if blast.status not in (S.APPROVED, S.SENDING) or not delivery.in_quiet_hours(now):
        return ""
    start, end = settings.SMS_QUIET_HOURS
    resume_at = delivery.quiet_hours_end(now)
    return _("静默时段（%(start)s–%(end)s）暂停发送，将于 %(when)s 恢复。") % {
        "start": start,
        "end": end,
        "when": resume_at.strftime("%m月%d日 %H:%M"),
    }


def available_actions(blast, user, reviewing=False):
    """Return the action buttons ``user`` may see for ``blast``: [(action, label, style)].

    Approve and reject are offered only when ``reviewing`` (the preview, which shows the whole
    message), so that a reviewer always approves a text on the screen in front of them.
    This only decides what is shown; blast_actions enforces the rules for any POST.
    """
    can_change = user.has_perm("campaigns.change_smsblast")
    can_approve = user.has_perm("campaigns.approve_smsblast")
    is_author = blast.created_by_id == user.pk
    actions = []
    if blast.status == S.DRAFT and can_change:
        actions.append(("submit", _("提交审批"), "button"))
    if blast.status == S.PENDING and can_approve and not is_author and reviewing:
        actions.append(("approve", _("批准"), "button"))
        actions.append(("reject", _("退回"), "button button-secondary"))
    if blast.status in RUNNING and can_change:
        actions.append(("pause", _("暂停"), "button button-secondary"))
    if blast.status == S.PAUSED and can_approve:
        actions.append(("resume", _("继续"), "button"))
    if blast.status not in FINISHED and can_change:
        actions.append(("cancel", _("取消"), "button no"))
    return actions


def describe(entry):
    """Return the detail of an audit log entry as a short text."""
    detail = entry.detail or {}
    if entry.action == "edit" and detail.get("fields"):
        names = []
        for name in detail["fields"]:
            try:
                names.append(str(SmsBlast._meta.get_field(name).verbose_name))
            except Exception:
                names.append(name)
        text = _("修改了：%(fields)s") % {"fields": "、".join(names)}
        if detail.get("reopened"):
            text += _("（提交后修改，已退回草稿，需重新审批）")
        return text
    if entry.action == "stale":
        return _("页面打开后内容已被修改，未执行“%(action)s”") % {
            "action": ACTION_LABELS.get(detail.get("refused"), detail.get("refused", ""))
        }
    if entry.action == "reject" and detail.get("reason"):
        return _("理由：%(reason)s") % {"reason": detail["reason"]}
    if entry.action == "approve" and detail.get("send_at"):
        return _("计划发送时间：%(when)s") % {
            "when": local(datetime.datetime.fromisoformat(detail["send_at"]))
        }
    if entry.action == "trial" and detail.get("to"):
        return _("发到 %(phone)s") % {"phone": detail["to"]}
    if entry.action == "cancel" and detail.get("skipped"):
        return _("未发送的 %(n)s 条不再发送") % {"n": detail["skipped"]}
    return ""


def progress_payload(blast):
    progress = blast.progress()
    return {
        "status": blast.status,
        "status_label": blast.get_status_display(),
        **progress,
        "quiet_note": quiet_note(blast),
        "finished": blast.status in FINISHED,
    }


def chart(progress):
    """Return the server-drawn SVG bar chart of the status counts; each bar and its figure
    carry data-bar / data-bar-label, so blast-admin.js can redraw them as progress comes."""
    return charts.row_chart(
        [
            charts.Bar(label=str(label), value=progress[key], colour=colour, key=key)
            for key, label, colour in CHART_BARS
        ],
        title=_("各状态条数"),
        ticks=False,
        label_width=110,
        plot_width=230,
        css_class="sms-chart",
    )


class BlastPageView(StaffView):
    permission_required = "campaigns.view_smsblast"
    header_icon = "mail"
    breadcrumbs_items = WagtailAdminTemplateMixin.breadcrumbs_items + [
        {"url": reverse_lazy("campaigns_admin:blasts"), "label": gettext_lazy("短信群发")}
    ]

    @cached_property
    def blast(self):
        return get_object_or_404(
            SmsBlast.objects.select_related("created_by", "approved_by", "link_page"),
            pk=self.kwargs["pk"],
        )

    def get_page_title(self):
        return f"{self.page_title}：{self.blast.title}"

    reviewing = False

    def common_context(self):
        blast = self.blast
        user = self.request.user
        return {
            "blast": blast,
            "actions": available_actions(blast, user, reviewing=self.reviewing),
            # Computed with the page: approve/reject carry the version this page shows.
            "fingerprint": blast.fingerprint() if self.reviewing else "",
            "can_review": (
                blast.status == S.PENDING
                and user.has_perm("campaigns.approve_smsblast")
                and blast.created_by_id != user.pk
            ),
            "can_edit": blast.status in EDITABLE and blast.created_by_id == user.pk,
            "reject_form": RejectForm(),
            "audiences": list(blast.audiences.all()),
            "regions": list(blast.regions.order_by("path")),
            "send_at": local(blast.send_at),
            "created_at": local(blast.created_at),
            "approved_at": local(blast.approved_at),
            "quiet_note": quiet_note(blast),
        }

    def get(self, request, pk):
        return self.render_to_response(self.get_context_data(**self.common_context()))


class BlastPreviewView(BlastPageView):
    template_name = "campaigns/sms/admin/blast_preview.html"
    page_title = gettext_lazy("预览")
    reviewing = True

    def get_context_data(self, **kwargs):
        text = self.blast.outgoing_text()
        return super().get_context_data(
            text=text,
            characters=len(text),
            segments=sms_text.segments(text),
            recipients=self.blast.recipients().count(),
            **kwargs,
        )


class BlastDetailView(BlastPageView):
    template_name = "campaigns/sms/admin/blast_detail.html"
    page_title = gettext_lazy("群发详情")

    def get_context_data(self, **kwargs):
        progress = self.blast.progress()
        log = [
            {
                "actor": entry.actor.get_username() if entry.actor else _("系统"),
                "action": ACTION_LABELS.get(entry.action, entry.action),
                "detail": describe(entry),
                "at": local(entry.at),
            }
            for entry in self.blast.audit_log.select_related("actor")
        ]
        errors = [
            {
                "code": row["error_code"] or "—",
                "label": ERROR_LABELS.get(row["error_code"], ""),
                "n": row["n"],
            }
            for row in self.blast.error_breakdown()
        ]
        clicks = [
            {
                "url": sms_links.short_url(link),
                "target": unquote(link.target_path),
                "visits": visits,
            }
            for link, visits in link_counts(sms_links.KIND, self.blast.pk)
        ]
        segments = self.blast.segments
        return super().get_context_data(
            progress=progress,
            segments=segments,
            billed=segments * progress["submitted"],
            clicks=clicks,
            total_clicks=sum(c["visits"] for c in clicks),
            chart=chart(progress),
            errors=errors,
            log=log,
            progress_url=reverse("campaigns_admin:blast_progress", args=[self.blast.pk]),
            # Only a blast that is (or may soon be) sending is polled for progress.
            finished=self.blast.status not in (*RUNNING, S.PAUSED),
            **kwargs,
        )


class BlastProgressView(PermissionRequiredMixin, View):
    """JSON for the live progress bar, polled every second by static/campaigns/blast-admin.js."""

    permission_required = "campaigns.view_smsblast"

    def get(self, request, pk):
        blast = get_object_or_404(SmsBlast, pk=pk)
        response = JsonResponse(progress_payload(blast))
        response["Cache-Control"] = "no-store"
        return response


@require_POST
def blast_trial_send(request, pk):
    """Send the blast's exact text to the requesting staff member's own phone."""
    if not request.user.has_perm("campaigns.view_smsblast"):
        raise PermissionDenied
    blast = get_object_or_404(SmsBlast, pk=pk)
    if blast.status in FINISHED:
        messages.error(request, _("已完成或已取消的群发不能再发送测试短信。"))
    else:
        try:
            masked = trial_send.send_trial(blast, request.user)
        except trial_send.TrialSendError as error:
            messages.error(request, str(error))
        else:
            blast_actions.log(blast, request.user, "trial", to=masked)
            messages.success(
                request,
                _("测试短信已发送到您的手机 %(phone)s，不计入群发。") % {"phone": masked},
            )
    return redirect("campaigns_admin:blast_preview", pk)


ACTIONS = {
    "submit": (blast_actions.submit, "campaigns.change_smsblast", gettext_lazy("已提交审批。")),
    "approve": (blast_actions.approve, "campaigns.view_smsblast", gettext_lazy("已批准。")),
    "reject": (blast_actions.reject, "campaigns.approve_smsblast", gettext_lazy("已退回撰写人。")),
    # Editors may pause: stopping a blast is always the safe direction.
    "pause": (blast_actions.pause, "campaigns.change_smsblast", gettext_lazy("已暂停发送。")),
    # blast_actions.resume itself refuses anyone who may not approve, with its own message.
    "resume": (blast_actions.resume, "campaigns.view_smsblast", gettext_lazy("已继续发送。")),
    "cancel": (blast_actions.cancel, "campaigns.change_smsblast", gettext_lazy("已取消群发。")),
}


@require_POST
def blast_action(request, pk, action):
    """Apply one state change through blast_actions; any refusal leaves the blast unchanged."""
    if action not in ACTIONS:
        raise Http404
    function, permission, done = ACTIONS[action]
    if not request.user.has_perm("campaigns.view_smsblast"):
        raise PermissionDenied
    blast = get_object_or_404(SmsBlast, pk=pk)
    target = safe_next(
        request,
        request.POST.get("next", ""),
        reverse("campaigns_admin:blast_detail", args=[pk]),
    )
    if not request.user.has_perm(permission):
        messages.error(request, _("您没有进行此操作的权限。"))
        return redirect(target)
    # The version the reviewer was shown; a page loaded before a change carries the old one.
    fingerprint = request.POST.get("fingerprint", "")
    try:
        if action == "reject":
            form = RejectForm(request.POST)
            reason = form.cleaned_data["reason"] if form.is_valid() else ""
            function(blast, request.user, reason=reason, fingerprint=fingerprint)
        elif action == "approve":
            function(blast, request.user, fingerprint=fingerprint)
        else:
            function(blast, request.user)
    except blast_actions.StaleVersionError as error:
        blast_actions.record_stale(blast, request.user, action)
        messages.error(request, str(error))
        return redirect("campaigns_admin:blast_preview", pk)
    except blast_actions.BlastActionError as error:
        messages.error(request, str(error))
        return redirect(target)
    messages.success(request, str(done))
    if action in ("approve", "resume"):
        return redirect("campaigns_admin:blast_detail", pk)
    return redirect(target)
