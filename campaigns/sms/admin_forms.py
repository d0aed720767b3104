"""Forms of the staff side: composing a blast, rejecting it with a reason, filtering subscribers."""

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.widgets import AdminDateTimeInput, AdminPageChooser

from campaigns.models import SmsBlast, SmsSegment, Subscriber
from campaigns.sms import links as sms_links
from website.taxonomy.models import Audience, Region
from website.taxonomy.widgets import RegionSelect, RegionSelectMultiple

BODY_MAX = 500


class RegionMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Regions in tree order, indented by level, so that the hierarchy is visible."""

    def label_from_instance(self, obj):
        return "\u3000" * (obj.level - 1) + obj.name


class AudienceRegionFields(forms.Form):
    """Who a blast or a saved segment reaches: audiences and regions, with the one region
    picker (searchable, full paths)."""

    audiences = forms.ModelMultipleChoiceField(
        label=_("人群"),
        queryset=Audience.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("不选表示全部人群。"),
    )
    regions = RegionMultipleChoiceField(
        label=_("地区"),
        queryset=Region.objects.order_by("path"),
        required=False,
        widget=RegionSelectMultiple(attrs={"size": 10}),
        help_text=_("含下级地区；不选表示全辖区。按住 Ctrl 可多选，可在上方输入地名查找。"),
    )


class BlastForm(AudienceRegionFields, forms.ModelForm):
    """Compose or edit a blast. The signature and opt-out text are added when it is sent."""

    body = forms.CharField(
        label=_("短信正文"),
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 5, "data-sms-body": ""}),
        help_text=_(
            "不含签名和退订语，系统自动添加。正文中的本站链接发送时自动换成短链接，按短链接计字数。"
        ),
        error_messages={
            "required": _("请填写短信正文。"),
            "max_length": _("短信正文最多 %(limit_value)d 个字（现在 %(show_value)d 个）。"),
        },
    )
    segment = forms.ModelChoiceField(
        label=_("使用已存分群"),
        queryset=SmsSegment.objects.all(),
        required=False,
        empty_label=_("不使用（按上面的人群和地区）"),
        help_text=_("选择后，人群和地区按分群设置，上面的勾选不再起作用。"),
    )

    class Meta:
        model = SmsBlast
        fields = ["title", "body", "link_page", "audiences", "regions", "segment", "send_at"]
        widgets = {
            "link_page": AdminPageChooser(),
            "send_at": AdminDateTimeInput(),
        }
        help_texts = {"send_at": _("北京时间；留空表示批准后立即发送。")}
        error_messages = {
            "title": {
                "required": _("请填写标题。"),
                "max_length": _("标题最多 %(limit_value)d 个字。"),
            },
            "send_at": {"invalid": _("请输入有效的日期和时间，例如 2025-06-01 09:30。")},
        }

    def clean_body(self):
        body = self.cleaned_data["body"].strip()
        if not body:
            raise forms.ValidationError(_("请填写短信正文。"), code="required")
        foreign = sms_links.foreign_addresses(body)
        if foreign:
            # Short links only lead to our own pages, and a government SMS that sends people
            # to another site is what phishing messages look like.
            raise forms.ValidationError(
                _("短信中只能放本站的链接，请删去：%(urls)s") % {"urls": "、".join(foreign)},
                code="foreign_link",
            )
        return body

    def clean_link_page(self):
        page = self.cleaned_data.get("link_page")
        path = sms_links.page_path(page) if page else None
        if page and not path:
            raise forms.ValidationError(
                _("所选页面还没有发布，没有可以访问的地址，请先发布或另选页面。"),
                code="no_url",
            )
        if path and sms_links.too_long(path):
            raise forms.ValidationError(
                _("所选页面的地址太长，无法生成短链接，请缩短页面的网址（slug）。"),
                code="long_link",
            )
        return page

    def clean(self):
        data = super().clean()
        segment = data.get("segment")
        if segment:
            data["audiences"] = segment.audiences.all()
            data["regions"] = segment.regions.all()
        return data

    def clean_send_at(self):
        send_at = self.cleaned_data.get("send_at")
        if send_at and "send_at" in self.changed_data and send_at < timezone.now():
            raise forms.ValidationError(_("发送时间不能早于现在。"), code="past")
        return send_at


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("退回理由"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


def _in_region_subtree(queryset, name, region):
    if not region:
        return queryset
    return queryset.filter(region__path__startswith=region.path)


class SubscriberFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        label=_("状态"), choices=Subscriber.Status.choices, empty_label=_("全部")
    )
    audience = django_filters.ModelChoiceFilter(
        label=_("人群"),
        field_name="audiences",
        queryset=Audience.objects.all(),
        empty_label=_("全部"),
    )
    region = django_filters.ModelChoiceFilter(
        label=_("地区（含下级）"),
        queryset=Region.objects.order_by("path"),
        method=_in_region_subtree,
        empty_label=_("全部"),
        widget=RegionSelect,
    )

    class Meta:
        model = Subscriber
        fields = ["status", "audience", "region"]


class BlastFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        label=_("状态"), choices=SmsBlast.Status.choices, empty_label=_("全部")
    )

    class Meta:
        model = SmsBlast
        fields = ["status"]
