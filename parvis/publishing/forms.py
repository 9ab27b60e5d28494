"""The composer's form: text, channels, when. Each network's rules are checked."""

from __future__ import annotations

from datetime import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from parvis.channels.models import Channel
from parvis.channels.selectors import channel_label
from parvis.networks import registry


class ChannelChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, channel: Channel) -> str:
        return f"{channel.name} · {channel_label(channel)}"


class ComposeForm(forms.Form):
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 6}))
    channels = ChannelChoiceField(
        label=_("Channels"),
        queryset=Channel.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    when = forms.ChoiceField(
        label=_("When"),
        choices=[("now", _("Publish now")), ("later", _("Schedule"))],
        initial="later",
        widget=forms.RadioSelect,
    )
    at = forms.DateTimeField(
        label=_("Date and time"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M"],
    )

    def __init__(self, *args, workspace, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.workspace = workspace
        self.fields["channels"].queryset = Channel.objects.in_workspace(workspace)

    def measures(self) -> list[tuple[Channel, object]]:
        """Each chosen channel with its network's measure of the text."""
        text = self.data.get("text", "")
        chosen = self.cleaned_data.get("channels", []) if hasattr(self, "cleaned_data") else []
        return [(c, channel_label(c), registry.get(c.network).measure_text(text)) for c in chosen]

    def clean(self) -> dict:
        data = super().clean()
        when, at = data.get("when"), data.get("at")
        if when == "later":
            if at is None:
                self.add_error("at", _("Choose the date and time of publication."))
            # Read in the active zone (the workspace's); an hour that does not
            # exist or happens twice at a DST change is refused by the field.
            elif at < timezone.now():
                self.add_error(
                    "at", _("This moment has passed: choose a later one, or publish now.")
                )
        else:
            data["at"] = timezone.now()
        for channel, network, measure in self.measures():
            for problem in measure.problems:
                self.add_error("text", f"{channel.name} ({network}) · {problem.message}")
        return data

    def schedule_at(self) -> datetime:
        return self.cleaned_data["at"]
