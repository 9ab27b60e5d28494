"""The campaign, goal and pillar forms. Rules that need the database live in the actions."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from parvis.channels.models import Channel
from parvis.strategy.kpis import KPIS, kpi_choices
from parvis.strategy.models import DEFAULT_COLOUR, Campaign, Goal, Pillar

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


def _style(form: forms.Form) -> None:
    for name, field in form.fields.items():
        if isinstance(field.widget, forms.Select):
            css = "form-select"
        elif name == "colour":
            css = "form-control form-control-color"
        else:
            css = "form-control"
        if form.is_bound and name in form.errors:
            css += " is-invalid"
        field.widget.attrs["class"] = css


class GoalForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=120,
        help_text=_("What the team aims for, in its own words: “followers up 15 % this quarter”."),
    )
    kpi = forms.ChoiceField(label=_("KPI"), choices=())
    target = forms.FloatField(
        label=_("Target"),
        min_value=0,
        help_text=_("In the KPI's unit: a percentage, minutes, or a number of posts or clicks."),
    )
    starts_on = forms.DateField(label=_("Starts on"), input_formats=["%Y-%m-%d"], **_DATE)
    deadline = forms.DateField(label=_("Deadline"), input_formats=["%Y-%m-%d"], **_DATE)
    channel = forms.ModelChoiceField(
        label=_("Only this channel (optional)"),
        queryset=None,
        required=False,
        empty_label=_("All channels"),
    )
    campaign = forms.ModelChoiceField(
        label=_("Only this campaign (optional)"),
        queryset=None,
        required=False,
        empty_label=_("All posts"),
    )

    def __init__(self, *args, workspace, goal: Goal | None = None, **kwargs) -> None:
        if goal is not None:
            kwargs["initial"] = {
                "name": goal.name,
                "kpi": goal.kpi,
                "target": goal.target,
                "starts_on": goal.starts_on,
                "deadline": goal.deadline,
                "channel": goal.channel_id,
                "campaign": goal.campaign_id,
            }
        super().__init__(*args, **kwargs)
        self.kpis = list(KPIS.values())
        self.fields["kpi"].choices = kpi_choices()
        self.fields["channel"].queryset = Channel.objects.in_workspace(workspace).order_by("name")
        kept = Q(pk=goal.campaign_id) if goal is not None and goal.campaign_id else Q()
        self.fields["campaign"].queryset = (
            Campaign.objects.in_workspace(workspace)
            .filter(Q(archived=False) | kept)
            .order_by("name")
        )
        _style(self)

    def clean(self) -> dict:
        data = super().clean()
        starts_on, deadline = data.get("starts_on"), data.get("deadline")
        if starts_on and deadline and deadline < starts_on:
            self.add_error("deadline", _("The deadline cannot come before the start."))
        return data


class PillarForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=80)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What belongs to this pillar, so everyone files posts the same way."),
    )
    colour = forms.RegexField(
        label=_("Colour"),
        regex=r"^#[0-9a-fA-F]{6}$",
        initial=DEFAULT_COLOUR,
        error_messages={"invalid": _("Choose a colour such as #6f42c1.")},
        widget=forms.TextInput(attrs={"type": "color"}),
    )
    target_share = forms.IntegerField(
        label=_("Target share of posts (%)"),
        min_value=0,
        max_value=100,
        initial=0,
        help_text=_("The active pillars' targets add up to 100 % at most."),
    )

    def __init__(self, *args, pillar: Pillar | None = None, **kwargs) -> None:
        if pillar is not None:
            kwargs["initial"] = {
                field: getattr(pillar, field)
                for field in ("name", "description", "colour", "target_share")
            }
        super().__init__(*args, **kwargs)
        _style(self)
