"""The public tip-off form and the status check form.

Evidence files are checked by their bytes (``filetype`` reads the magic numbers; Pillow then
opens every image), never by their names or the browser's Content-Type, and against a size
cap per file and a count cap; a refused file refuses the whole submission, so nothing is kept.
"""

import re
import unicodedata
from decimal import Decimal

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag

from campaigns.phone import normalize_mobile
from website.taxonomy.models import Region
from website.tipoffs.evidence import EvidenceRefused, inspect_upload
from website.tipoffs.models import Report

INDENT = "\u3000"
CREDIT_CODE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def clean_text(value):
    """Return ``value`` in NFC with control characters (and lone surrogates) removed."""
    return CONTROL.sub("", unicodedata.normalize("NFC", value or "")).strip()


def region_choices():
    """Return the region picker's options, indented by level (works as a plain <select>)."""
    regions = Region.objects.order_by("path").values_list("pk", "name", "level")
    return [("", _("请选择（不清楚可以不选）"))] + [
        (str(pk), INDENT * (level - 1) + name) for pk, name, level in regions
    ]


def pretext_choices():
    return [("", _("不清楚或其他"))] + [
        (slug, name) for slug, name in Tag.objects.order_by("name").values_list("slug", "name")
    ]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """A file field that takes several files (Django's documented pattern)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*,.pdf,audio/*"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class TextField(forms.CharField):
    def to_python(self, value):
        return clean_text(super().to_python(value))


class ReportForm(forms.Form):
    what_happened = TextField(
        label=_("发生了什么"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("请写下您看到、听到或经历的事情：什么时间、在哪里、谁在做什么。"),
        error_messages={"required": _("请写一写发生了什么。")},
    )
    firm_name = TextField(
        label=_("企业、个人、APP或群的名称"),
        max_length=200,
        help_text=_("知道几个就写几个，用逗号隔开。"),
        error_messages={"required": _("请填写对方的名称，不知道全名写简称也可以。")},
    )
    credit_code = TextField(
        label=_("统一社会信用代码（选填）"),
        required=False,
        max_length=30,
        help_text=_("18 位，营业执照上能找到；不知道可以不填。"),
    )
    pitch = TextField(
        label=_("对方怎么宣传、承诺了什么（选填）"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("例如：“保本保息，月息3分”“拉人头有奖励”。可以直接粘贴对方发的话。"),
    )
    amount_yuan = forms.DecimalField(
        label=_("涉及金额，单位元（选填）"),
        required=False,
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal("999999999999"))],
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        error_messages={"invalid": _("金额请只填数字，例如 50000。")},
    )
    people_count = forms.IntegerField(
        label=_("大约涉及多少人（选填）"),
        required=False,
        min_value=0,
        max_value=10_000_000,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={"invalid": _("人数请只填数字，例如 30。")},
    )
    region = forms.TypedChoiceField(
        label=_("发生在哪里"), required=False, coerce=int, empty_value=None
    )
    place_detail = TextField(
        label=_("具体地点（选填）"),
        required=False,
        max_length=200,
        help_text=_("例如：某某街道的某某养老服务中心。"),
    )
    channel = forms.ChoiceField(
        label=_("对方是通过什么方式接触您的"),
        choices=Report.Channel.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择对方接触您的方式。")},
    )
    pretext = forms.ChoiceField(label=_("对方打着什么旗号"), required=False)
    # Read by the view (an unknown page is simply ignored), so never an error here.
    page = forms.CharField(required=False, max_length=20, widget=forms.HiddenInput)
    evidence = MultipleFileField(
        label=_("证据材料（选填）"),
        required=False,
        help_text=_("可以上传照片、截图、PDF 或录音，最多 %(n)s 个，每个不超过 %(mb)s MB。"),
    )
    anonymous = forms.TypedChoiceField(
        label=_("是否匿名"),
        choices=[("1", _("匿名举报（不留姓名）")), ("0", _("实名举报"))],
        coerce=lambda v: v == "1",
        initial="1",
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择是否匿名。")},
    )
    name = TextField(label=_("您的姓名（实名举报时填写）"), required=False, max_length=40)
    phone = forms.CharField(
        label=_("手机号码（选填）"),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
        help_text=_("只用来给您发办理进度短信，需要用验证码确认。匿名举报也可以留。"),
    )
    contact = TextField(
        label=_("其他联系方式（选填）"),
        required=False,
        max_length=100,
        help_text=_("例如座机或邮箱，方便工作人员核实情况时联系您。"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = region_choices()
        self.fields["pretext"].choices = pretext_choices()
        self.fields["evidence"].help_text = self.fields["evidence"].help_text % {
            "n": settings.TIPOFF_MAX_FILES,
            "mb": settings.TIPOFF_MAX_FILE_BYTES // (1024 * 1024),
        }

    def clean_credit_code(self):
        code = self.cleaned_data["credit_code"].upper().replace(" ", "")
        if code and not CREDIT_CODE.match(code):
            raise ValidationError(
                _("统一社会信用代码是 18 位数字和大写字母，请核对；不确定可以不填。")
            )
        return code

    def clean_phone(self):
        raw = self.cleaned_data["phone"]
        return normalize_mobile(raw) if raw.strip() else ""

    def clean_evidence(self):
        files = self.cleaned_data.get("evidence") or []
        if len(files) > settings.TIPOFF_MAX_FILES:
            raise ValidationError(
                _("最多只能上传 %(n)s 个文件。") % {"n": settings.TIPOFF_MAX_FILES}
            )
        checked = []
        for upload in files:
            try:
                checked.append(inspect_upload(upload))
            except EvidenceRefused as refusal:
                raise ValidationError(refusal.message) from None
        return checked

    def clean(self):
        data = super().clean()
        if data.get("anonymous") is False and not data.get("name"):
            self.add_error("name", _("实名举报请填写姓名；不想留姓名请选择“匿名举报”。"))
        return data


class StatusForm(forms.Form):
    reference = forms.CharField(
        label=_("举报编号"),
        max_length=40,
        help_text=_("例如 JB-2026-K7QX-M3RT"),
        error_messages={"required": _("请填写举报编号。")},
    )
    secret = forms.CharField(
        label=_("查询密码"),
        max_length=40,
        help_text=_("提交举报时页面上显示的查询密码。"),
        error_messages={"required": _("请填写查询密码。")},
    )


class PhoneCodeForm(forms.Form):
    code = forms.CharField(
        label=_("短信验证码"),
        max_length=12,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )
    human_answer = forms.CharField(label=_("请回答"), max_length=20, required=False)
