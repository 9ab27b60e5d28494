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

    def __init__(self, *args, workspace, post=None, **kwargs) -> None:
        if post is not None:
            kwargs["initial"] = {
                "text": post.text,
                "channels": list(post.channels.all()),
                "when": "later" if post.scheduled_at else "now",
                "at": timezone.localtime(post.scheduled_at) if post.scheduled_at else None,
            }
        super().__init__(*args, **kwargs)
        self.workspace = workspace
        # Saving changes to a draft keeps whatever was written, like saving a draft.
        self.saving_draft = post is not None and post.status in ("draft", "changes_requested")
        self.fields["channels"].queryset = Channel.objects.in_workspace(workspace)

    def measures(self) -> list[tuple[Channel, object]]:
        """Each chosen channel with its network's measure of the text."""
        text = self.data.get("text", "")
        chosen = self.cleaned_data.get("channels", []) if hasattr(self, "cleaned_data") else []
        return [(c, channel_label(c), registry.get(c.network).measure_text(text)) for c in chosen]

    def clean(self) -> dict:
        data = super().clean()
        when, at = data.get("when"), data.get("at")
        # A draft keeps whatever was written; the rules apply when it is to go out.
        action = self.data.get("action", "draft")
        drafting = action == "draft" or (action == "save" and self.saving_draft)
        if when != "later":
            data["at"] = None
        elif at is None and not drafting:
            self.add_error("at", _("Choose the date and time of publication."))
        # Read in the active zone (the workspace's); an hour that does not
        # exist or happens twice at a DST change is refused by the field.
        elif at is not None and at < timezone.now():
            self.add_error("at", _("This moment has passed: choose a later one, or publish now."))
        if not drafting:
            for channel, network, measure in self.measures():
                for problem in measure.problems:
                    self.add_error("text", f"{channel.name} ({network}) · {problem.message}")
        return data

    def schedule_at(self) -> datetime:
        return self.cleaned_data["at"] or timezone.now()

    def proposed_at(self) -> datetime | None:
        """The chosen time, or None for "as soon as possible"."""
        return self.cleaned_data.get("at") if self.cleaned_data.get("when") == "later" else None


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", _("Approve")), ("changes", _("Request changes"))]
    )
    at = forms.DateTimeField(
        label=_("Publish on"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M"],
        help_text=_("Empty: as soon as it is approved."),
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, post, **kwargs) -> None:
        if post.scheduled_at:
            kwargs.setdefault("initial", {"at": timezone.localtime(post.scheduled_at)})
        super().__init__(*args, **kwargs)
