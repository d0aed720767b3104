"""The import of the lists in the admin: upload, preview what will change, confirm.

The file read at upload is carried to the confirmation signed (never trusted from the
browser unsigned), and the confirmation re-checks it: if the lists changed since the
preview, the new preview is shown again instead of writing something nobody saw.
"""

import hashlib

from django import forms
from django.contrib import messages
from django.core import signing
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from website.core import tabular
from website.core.admin_views import StaffTemplateView, StaffView
from website.firms import importing
from website.taxonomy.lookup import code_sheet

IMPORT_PERMISSION = ("firms.add_entity", "firms.change_entity")
SALT = "website.firms.import"
# The preview is valid this long; after that the file must be uploaded again.
MAX_AGE = 3600


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("名单文件（.xlsx 或 .csv）"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )


def digest(plan):
    """Return a short fingerprint of what ``plan`` would do, row by row."""
    text = "|".join(
        f"{r.number}:{r.action}:{r.entity.pk if r.entity else ''}:{','.join(r.changes)}"
        for r in plan.rows
    )
    return hashlib.sha256(text.encode()).hexdigest()[:32]


class ImportView(StaffTemplateView):
    permission_required = IMPORT_PERMISSION
    template_name = "firms/admin/import.html"
    page_title = _("导入名单")
    header_icon = "upload"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", UploadForm())
        context["columns"] = importing.COLUMNS
        context["required"] = importing.REQUIRED
        context["can_publish"] = self.request.user.has_perm("firms.publish_entity")
        return context

    def post(self, request, *args, **kwargs):
        if "payload" in request.POST:
            return self.confirm(request)
        form = UploadForm(request.POST, request.FILES)
        table = tabular.read_upload(form, required=importing.REQUIRED) if form.is_valid() else None
        if table is None:
            return self.render_to_response(self.get_context_data(form=form), status=400)
        payload = signing.dumps({"h": table.header, "r": table.rows}, salt=SALT, compress=True)
        return self.preview(table, payload)

    def preview(self, table, payload, changed=False):
        plan = importing.plan(table)
        status = 400 if plan.errors else 200
        return self.render_to_response(
            self.get_context_data(
                plan=plan, payload=payload, digest=digest(plan), changed_since=changed
            ),
            status=status,
        )

    def confirm(self, request):
        payload = request.POST.get("payload", "")
        try:
            data = signing.loads(payload, salt=SALT, max_age=MAX_AGE)
            table = tabular.Table(header=data["h"], rows=data["r"])
        except (signing.BadSignature, KeyError, TypeError):
            messages.error(request, _("预览已过期或无效，请重新上传文件。"))
            return HttpResponseRedirect(reverse("firms_admin:import"))
        plan = importing.plan(table)
        if plan.errors or digest(plan) != request.POST.get("digest"):
            return self.preview(table, payload, changed=True)
        publish = request.user.has_perm("firms.publish_entity")
        created, updated = importing.apply(plan.rows, user=request.user, publish=publish)
        done = _("导入完成：新增 %(c)d 个，更新 %(u)d 个，%(s)d 个没有变化。") % {
            "c": created,
            "u": updated,
            "s": plan.unchanged,
        }
        if not publish:
            done += _("这些修改已存为草稿，提交审核并经审核员通过后才会公开。")
        messages.success(request, done)
        return HttpResponseRedirect(reverse("wagtailsnippets_firms_entity:list"))


class TemplateDownloadView(StaffView):
    permission_required = IMPORT_PERMISSION

    def get(self, request, *args, **kwargs):
        rows = importing.template_rows()
        if request.GET.get("format") == "csv":
            return tabular.csv_response(rows, "firms-template.csv")
        return tabular.xlsx_response(
            [(_("名单"), rows), (_("区划代码"), code_sheet())], "firms-template.xlsx"
        )
