from django import forms
from django.utils.translation import gettext_lazy as _

# A pitch, an advert or a chat message: a few thousand characters is plenty, and a cap keeps
# one request cheap.
MAX_CHARS = 3000


class CheckForm(forms.Form):
    text = forms.CharField(
        label=_("把可疑的宣传、广告或聊天内容粘贴到这里"),
        max_length=MAX_CHARS,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 8, "maxlength": MAX_CHARS}),
        error_messages={
            "required": _("请先粘贴要检查的文字。"),
            "max_length": _(
                "文字太长了：最多 %(limit_value)d 个字，现在有 %(show_value)d 个字。"
                "请只粘贴最可疑的那一段（比如讲收益、讲返利的部分）。"
            ),
        },
    )

    def clean_text(self):
        text = self.cleaned_data["text"].replace("\x00", "")
        if not text.strip():
            raise forms.ValidationError(_("请先粘贴要检查的文字。"))
        return text
