"""The 通知方式 panel of a member of staff's account settings: e-mail, SMS, both or neither,
and the mobile number texts go to. The choice lives in the kernel
(``website.core.models.StaffNotificationPreference``) so page reviews can read it; the form
sits here, beside the phone rules and the sending layer that texts are sent through."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.views.account import BaseSettingsPanel, notifications_tab

from campaigns.phone import normalize_mobile
from website.core.models import StaffNotificationPreference
from website.core.notify import preference

Channel = StaffNotificationPreference.Channel


class NotificationChannelForm(forms.ModelForm):
    class Meta:
        model = StaffNotificationPreference
        fields = ["channel", "phone"]
        widgets = {
            "channel": forms.RadioSelect,
            "phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
        }
        help_texts = {
            "channel": _(
                "有页面待您审核、短信群发待您审批或系统提醒时，用哪种方式通知您。"
                "不论选哪种，工作台都会列出待办事项。"
            ),
            "phone": _("选择短信通知时必填：11 位手机号码。"),
        }

    def clean_phone(self):
        raw = self.cleaned_data.get("phone", "").strip()
        return normalize_mobile(raw) if raw else ""

    def clean(self):
        data = super().clean()
        if data.get("channel") in (Channel.SMS, Channel.BOTH) and not data.get("phone"):
            if "phone" not in self.errors:
                self.add_error("phone", _("选择短信通知时，请填写手机号码。"))
        return data


class NotificationChannelPanel(BaseSettingsPanel):
    name = "notification_channel"
    title = _("通知方式")
    tab = notifications_tab
    order = 50
    form_class = NotificationChannelForm

    def get_form(self):
        kwargs = {"instance": preference(self.user), "prefix": self.name}
        if self.request.method == "POST":
            return self.form_class(self.request.POST, **kwargs)
        return self.form_class(**kwargs)


def account_settings_panel(request, user, profile):
    """Staff who may enter the admin choose how they are told (``register_account_settings_panel``)."""
    return NotificationChannelPanel(request, user, profile)
