"""Public forms: the optional profile. (Answers are parsed in ``scoring`` because the
valid values depend on the question.)"""

from django import forms
from django.utils.translation import gettext_lazy as _

from quiz.models import AgeBand
from website.taxonomy.models import Audience, Region


class RegionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        # Indent by level so the tree reads as a tree in a plain <select>.
        return "\u3000" * (obj.level - 1) + obj.name


class ProfileForm(forms.Form):
    """Age band, audience and region: all optional, nothing that identifies a person."""

    age_band = forms.ChoiceField(
        label=_("年龄段"), required=False, choices=[("", _("不填"))] + list(AgeBand.choices)
    )
    audience = forms.ModelChoiceField(
        label=_("您的身份"),
        required=False,
        queryset=Audience.objects.all(),
        empty_label=_("不填"),
        to_field_name="slug",
    )
    region = RegionChoiceField(
        label=_("您所在的地区"),
        required=False,
        queryset=Region.objects.filter(level__lte=Region.Level.TOWNSHIP),
        empty_label=_("不填"),
        to_field_name="code",
    )

    def profile(self):
        """Return the cleaned profile as Attempt field values (only the filled ones)."""
        data = self.cleaned_data
        values = {
            "age_band": data.get("age_band") or "",
            "audience": data.get("audience"),
            "region": data.get("region"),
        }
        return {k: v for k, v in values.items() if v}


MAX_PK_DIGITS = 18  # below 2**63: larger numbers overflow the database's integer types


def _valid_key(value):
    text = str(value).strip()
    return text.isascii() and text.isdigit() and len(text) <= MAX_PK_DIGITS


class SafeModelChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField that refuses non-numeric or huge ids before they reach the database."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if not _valid_key(value):
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return super().to_python(value)


class SafeModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        for v in value:
            if not _valid_key(v):
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": str(v)[:20]},
                )
        return super()._check_values(value)
