"""Staff pages of print materials (宣传品): the pieces of a notice, case, campaign or event
with their download links, short link and scans (beside attendance for an event), the PDF
downloads, and campaign batches (start, live progress, zip download).

Who may: an event's pieces and a campaign's batches need ``campaigns.view_outreachevent``
(the 七进 staff); a page's pieces need the right to edit or publish that page.
"""

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from wagtail.admin import messages
from wagtail.models import Page

from campaigns.models import CampaignPage, OutreachChannel, PrintBatch
from campaigns.outreach import batches, materials
from campaigns.outreach.admin_views import OUTREACH_CRUMBS
from website.core.admin_views import StaffTemplateView, has_permissions
from website.core.params import clean_param
from website.core.qr import qr_svg
from website.shortlinks import service as shortlinks

EVENT_PERMISSION = "campaigns.view_outreachevent"
PAGE_KINDS = ("notice", "case", "campaign")


def may_print(user, kind, pk):
    """Return whether ``user`` may download the pieces of subject (``kind``, ``pk``)."""
    if kind == "event":
        return has_permissions(user, EVENT_PERMISSION)
    if kind not in PAGE_KINDS:
        return False
    page = Page.objects.filter(pk=pk).first()
    if page is None:
        return False
    perms = page.permissions_for_user(user)
    return perms.can_edit() or perms.can_publish()


def _subject_or_404(request, kind, pk):
    if kind not in materials.ALL_KINDS:
        raise Http404
    if kind in PAGE_KINDS and not Page.objects.filter(pk=pk).exists():
        raise Http404
    if not may_print(request.user, kind, pk):
        raise PermissionDenied
    channel = clean_param(request.GET.get("channel", ""), 40) if kind == "campaign" else ""
    subject = materials.subject_for(kind, pk, channel)
    if subject is None:
        raise Http404
    return subject


def materials_url(kind, pk):
    return reverse("outreach_admin:materials", args=[kind, pk])


class MaterialsView(StaffTemplateView):
    """The pieces of one subject: download links, the QR code and its scans."""

    template_name = "campaigns/outreach/materials.html"
    page_title = gettext_lazy("宣传品")
    header_icon = "doc-full"

    def dispatch(self, request, *args, **kwargs):
        self.subject = _subject_or_404(request, kwargs["kind"], kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.subject.title

    def get_breadcrumbs_items(self):
        # An event's or a campaign's pieces are 七进 work; a notice's or a case's are not.
        if self.subject.kind in ("event", "campaign"):
            self.breadcrumbs_items = OUTREACH_CRUMBS
        return super().get_breadcrumbs_items()

    def get_context_data(self, **kwargs):
        subject = self.subject
        kind, pk = subject.kind, subject.obj.pk
        query = f"?channel={subject.channel.slug}" if kind == "campaign" and subject.channel else ""
        pieces = [
            {
                "material": m,
                "url": reverse("outreach_admin:material_pdf", args=[kind, pk, m.key]) + query,
                "ready": materials.is_cached(subject, m),
            }
            for m in materials.materials_for(kind)
        ]
        context = {
            "subject": subject,
            "pieces": pieces,
            "short_url": shortlinks.short_url(subject.link),
            "qr_svg": qr_svg(shortlinks.short_url(subject.link)),
            "scans": shortlinks.counts("page" if kind in ("notice", "case") else kind, [pk])[pk],
        }
        if kind == "campaign":
            context["channels"] = OutreachChannel.objects.filter(is_active=True)
            context["scans_by_channel"] = shortlinks.channel_counts("campaign", pk)
            context["event_scans"] = sum(
                shortlinks.counts(
                    "event", list(batches.batch_events(subject.obj).values_list("pk", flat=True))
                ).values()
            )
            context["may_batch"] = has_permissions(self.request.user, EVENT_PERMISSION)
            context["batches"] = PrintBatch.objects.filter(campaign_id=pk)[:5]
            context["batch_size"] = batches.batch_events(subject.obj).count() * len(
                materials.batch_materials()
            )
        return super().get_context_data(**context, **kwargs)


def material_pdf(request, kind, pk, key):
    """The PDF of one piece, as a download, from the content-version store when it can."""
    subject = _subject_or_404(request, kind, pk)
    material = materials.MATERIALS.get(key)
    if material is None or kind not in material.kinds:
        raise Http404
    try:
        data = materials.pdf_for(subject, material)
    except materials.Unavailable as why:
        messages.error(request, str(why))
        return redirect("outreach_admin:materials", kind=kind, pk=pk)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{material.filename(subject)}"'
    response["Cache-Control"] = "private, no-store"
    return response


class StartBatchView(View):
    """POST: queue a batch of the campaign's event pieces and go to its progress page."""

    def post(self, request, pk):
        if not has_permissions(request.user, EVENT_PERMISSION):
            raise PermissionDenied
        campaign = get_object_or_404(CampaignPage, pk=pk)
        if not batches.batch_events(campaign).exists():
            messages.error(request, _("这个宣传活动还没有七进活动，无法批量生成。"))
            return redirect(materials_url("campaign", pk))
        batch = batches.start(campaign, request.user)
        return redirect("outreach_admin:batch", batch.pk)


def progress_payload(batch):
    return {
        "status": batch.status,
        "status_label": batch.get_status_display(),
        "done": batch.done,
        "total": batch.total,
        "percent": batch.percent,
        "finished": batch.finished,
    }


class BatchView(StaffTemplateView):
    permission_required = EVENT_PERMISSION
    template_name = "campaigns/outreach/print_batch.html"
    page_title = gettext_lazy("批量生成宣传品")
    header_icon = "doc-full"
    breadcrumbs_items = OUTREACH_CRUMBS

    def get_page_subtitle(self):
        return self.batch.campaign.title

    @cached_property
    def batch(self):
        return get_object_or_404(
            PrintBatch.objects.select_related("campaign"), pk=self.kwargs["pk"]
        )

    def get_context_data(self, **kwargs):
        batch = self.batch
        return super().get_context_data(
            batch=batch,
            progress=progress_payload(batch),
            progress_url=reverse("outreach_admin:batch_progress", args=[batch.pk]),
            back_url=materials_url("campaign", batch.campaign_id),
            **kwargs,
        )


def batch_progress(request, pk):
    """JSON for the live progress bar (polled by static/campaigns/blast-admin.js)."""
    if not has_permissions(request.user, EVENT_PERMISSION):
        raise PermissionDenied
    response = JsonResponse(progress_payload(get_object_or_404(PrintBatch, pk=pk)))
    response["Cache-Control"] = "no-store"
    return response


def batch_download(request, pk):
    if not has_permissions(request.user, EVENT_PERMISSION):
        raise PermissionDenied
    batch = get_object_or_404(PrintBatch, pk=pk)
    if batch.status != PrintBatch.Status.DONE:
        messages.error(request, _("这批宣传品还没有生成完成。"))
        return redirect("outreach_admin:batch", batch.pk)
    return FileResponse(
        batches.open_zip(batch),
        as_attachment=True,
        filename=f"print-campaign-{batch.campaign_id}-{batch.pk}.zip",
        content_type="application/zip",
    )
