"""The campaign form. Rules that need the database live in the actions."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from parvis.strategy.models import DEFAULT_COLOUR, Campaign

_DATE = {"widget": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


class CampaignForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    colour = forms.RegexField(
        label=_("Colour"),
        regex=r"^#[0-9a-fA-F]{6}$",
        initial=DEFAULT_COLOUR,
        error_messages={"invalid": _("Choose a colour such as #6f42c1.")},
        help_text=_("A stripe in this colour marks the campaign's posts on the calendar."),
        widget=forms.TextInput(attrs={"type": "color"}),
    )
    starts_on = forms.DateField(label=_("Starts on"), input_formats=["%Y-%m-%d"], **_DATE)
    ends_on = forms.DateField(
        label=_("Ends on (optional)"), required=False, input_formats=["%Y-%m-%d"], **_DATE
    )

    def __init__(self, *args, campaign: Campaign | None = None, **kwargs) -> None:
        if campaign is not None:
            kwargs["initial"] = {
                field: getattr(campaign, field)
                for field in ("name", "description", "colour", "starts_on", "ends_on")
            }
        else:
            kwargs.setdefault("initial", {"starts_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            css = "form-control form-control-color" if name == "colour" else "form-control"
            if self.is_bound and name in self.errors:
                css += " is-invalid"
            field.widget.attrs["class"] = css

    def clean(self) -> dict:
        data = super().clean()
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("The campaign cannot end before it starts."))
        return data
