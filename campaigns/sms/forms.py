"""Public forms: SMS sign-up and its verification code (the admin's forms live elsewhere).

Choices are checked in Python against the lists shown, never by looking junk up in the
database, so anything a bot posts gets a message and no query.
"""

import re
import unicodedata

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from campaigns.phone import normalize_mobile
from website.core.params import clean_param
from website.taxonomy.models import Audience, Region

CONSENT_TEMPLATE = _(
    "我同意接收%(office)s发送的防范非法集资风险提示短信，可随时回复TD或点击短信中的链接退订。"
)
INDENT = "\u3000"  # an ideographic space per level: visible indentation inside <select>


def consent_text(office_name):
    """Return the exact sentence a subscriber agrees to (stored as evidence)."""
    return str(CONSENT_TEMPLATE) % {"office": office_name or _("本单位")}


def region_choices():
    regions = Region.objects.order_by("path").values_list("pk", "name", "level")
    return [("", _("不选择（接收全辖区的提示）"))] + [
        (str(pk), INDENT * (level - 1) + name) for pk, name, level in regions
    ]


def audience_choices():
    return [(str(pk), name) for pk, name in Audience.objects.values_list("pk", "name")]


class SubscribeForm(forms.Form):
    phone = forms.CharField(
        label=_("手机号码"),
        max_length=40,
        help_text=_("中国大陆手机号码，11 位。我们会发送一条验证码短信。"),
        error_messages={
            "required": _("请输入手机号码。"),
            "max_length": _("请输入 11 位手机号码。"),
        },
        widget=forms.TextInput(
            attrs={"type": "tel", "inputmode": "numeric", "autocomplete": "tel", "size": 16}
        ),
    )
    region = forms.TypedChoiceField(
        label=_("所在地区（可不选）"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_("选择您所在的地区，就会收到当地的风险提示。"),
        error_messages={"invalid_choice": _("请从列表中选择地区。")},
    )
    audiences = forms.TypedMultipleChoiceField(
        label=_("您属于哪些人群（可多选，可不选）"),
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("请从列表中选择人群。")},
    )
    consent = forms.BooleanField(
        label="",  # the exact consent sentence, set per site in __init__
        required=True,
        error_messages={"required": _("请阅读并勾选同意，才能订阅风险提示短信。")},
    )

    # The human check, shown only when the site asks for it (``ask_human``).
    human_answer = forms.CharField(
        label=_("请回答"),
        required=False,
        help_text=_("为防止有人冒用他人号码，请回答这个小问题，填数字或汉字都可以。"),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "size": 6}),
    )

    def __init__(self, *args, consent_text, **kwargs):
        super().__init__(*args, **kwargs)
        self.consent_text = consent_text
        self.asks_human = False
        self.fields["consent"].label = consent_text
        self.fields["region"].choices = region_choices()
        self.fields["audiences"].choices = audience_choices()

    def ask_human(self, question):
        """Show the human check with ``question`` as its label."""
        self.asks_human = True
        self.fields["human_answer"].label = question
        # Validation has already built (and cached) the bound field with the old label.
        self["human_answer"].label = question

    def clean_phone(self):
        return normalize_mobile(clean_param(self.cleaned_data.get("phone", ""), max_length=40))

    def clean_human_answer(self):
        return clean_param(self.cleaned_data.get("human_answer", ""), max_length=20)


class VerifyForm(forms.Form):
    code = forms.CharField(
        label=_("短信验证码"),
        max_length=20,
        error_messages={"required": _("请输入短信里的 6 位验证码。")},
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "pattern": "[0-9]*",
                "size": 8,
            }
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].help_text = _("6 位数字，%(m)s 分钟内有效。") % {
            "m": settings.SMS_CODE_TTL_SECONDS // 60
        }

    def clean_code(self):
        # Full-width digits (１２３４５６) and stray spaces are what phones' keyboards produce.
        value = unicodedata.normalize("NFKC", clean_param(self.cleaned_data.get("code", ""), 40))
        value = re.sub(r"\s+", "", value)
        if not re.fullmatch(r"[0-9]{6}", value):
            raise forms.ValidationError(_("验证码是 6 位数字，请对照短信重新输入。"), code="format")
        return value
