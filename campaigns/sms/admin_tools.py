"""Staff tools around composing blasts: saved segments and message templates (two small
viewsets under 短信)."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.models import IndexView
from wagtail.admin.viewsets.model import ModelViewSet

from campaigns.models import SmsSegment, SmsTemplate
from campaigns.sms.admin_forms import AudienceRegionFields


class SegmentForm(AudienceRegionFields, forms.ModelForm):
    class Meta:
        model = SmsSegment
        fields = ["name", "audiences", "regions", "note"]
        error_messages = {"name": {"required": _("请填写名称。"), "unique": _("已有同名的分群。")}}


def _names(related):
    return lambda segment: "、".join(str(x) for x in getattr(segment, related).all()) or "—"


class SegmentIndexView(IndexView):
    """Names each segment's audiences and regions without two queries per row."""

    def get_base_queryset(self):
        return super().get_base_queryset().prefetch_related("audiences", "regions")


class SegmentViewSet(ModelViewSet):
    model = SmsSegment
    icon = "group"
    name = "sms_segments"
    url_prefix = "sms/segments"
    add_to_admin_menu = False
    index_view_class = SegmentIndexView
    list_display = [
        "name",
        Column("audiences", label=_("人群"), accessor=_names("audiences")),
        Column("regions", label=_("地区"), accessor=_names("regions")),
        "note",
    ]
    list_export = []
    search_fields = ["name", "note"]
    search_backend_name = None

    def get_form_class(self, for_update=False):
        return SegmentForm


class TemplateForm(forms.ModelForm):
    class Meta:
        model = SmsTemplate
        fields = ["name", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 5})}
        help_texts = {"body": _("不含签名和退订语，群发时自动添加。")}
        error_messages = {
            "name": {"required": _("请填写名称。"), "unique": _("已有同名的模板。")},
            "body": {"required": _("请填写短信正文。")},
        }


class TemplateViewSet(ModelViewSet):
    model = SmsTemplate
    icon = "doc-full"
    name = "sms_templates"
    url_prefix = "sms/templates"
    add_to_admin_menu = False
    list_display = ["name", "body"]
    list_export = []
    search_fields = ["name", "body"]
    search_backend_name = None

    def get_form_class(self, for_update=False):
        return TemplateForm
