"""The composer's form: text, channels, when. Each network's rules are checked."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from parvis.channels.models import Channel
from parvis.channels.selectors import channel_label
from parvis.networks import registry
from parvis.networks.base import TextMeasure
from parvis.publishing.link_tracking import LinkTracking
from parvis.publishing.media import MediaChoice, media_by_ids, media_items, post_media_choice
from parvis.publishing.models import Post, QueueSlot, Snippet, SnippetKind
from parvis.publishing.outgoing import link_left_out, text_and_link
from parvis.publishing.previews import Preview, preview_of
from parvis.publishing.queue import QueueError, next_free_slot
from parvis.publishing.recurrence import REPEAT_CHOICES_DAYS


class ChannelLabelMixin:
    def label_from_instance(self, channel: Channel) -> str:
        return f"{channel.name} · {channel_label(channel)}"


class ChannelChoiceField(ChannelLabelMixin, forms.ModelMultipleChoiceField):
    pass


class OneChannelField(ChannelLabelMixin, forms.ModelChoiceField):
    pass


class ComposeForm(forms.Form):
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 6}))
    channels = ChannelChoiceField(
        label=_("Channels"),
        queryset=Channel.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    link = forms.URLField(
        label=_("Link"),
        required=False,
        max_length=2000,
        assume_scheme="https",
        help_text=_(
            "Where the post sends people. Facebook shows it as a card; other networks "
            "put it at the end of the text (unless the text has it already)."
        ),
    )
    first_comment = forms.CharField(
        label=_("First comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Published under the post, as the channel's own comment, on the networks that "
            "allow it (Facebook, Instagram)."
        ),
    )
    # Traffic links: applied only when the composer showed them (``link_tracking_shown``),
    # so a form posted without these boxes keeps the post's choices.
    link_tracking_shown = forms.BooleanField(required=False, widget=forms.HiddenInput)
    shorten_links = forms.BooleanField(
        label=_("Shorten links and count their clicks"), required=False, initial=True
    )
    utm_enabled = forms.BooleanField(label=_("Add UTM parameters"), required=False, initial=True)
    utm_source = forms.CharField(
        label="utm_source", required=False, max_length=100, help_text=_("Empty: the network.")
    )
    utm_medium = forms.CharField(
        label="utm_medium", required=False, max_length=100, initial="social"
    )
    utm_campaign = forms.CharField(
        label="utm_campaign",
        required=False,
        max_length=100,
        help_text=_("Empty: the post's campaign, written as a slug (none without a campaign)."),
    )
    when = forms.ChoiceField(
        label=_("When"),
        choices=[("now", _("Publish now")), ("later", _("Schedule")), ("queue", _("Add to queue"))],
        initial="later",
        widget=forms.RadioSelect,
    )
    at = forms.DateTimeField(
        label=_("Date and time"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M"],
    )
    campaign = forms.ModelChoiceField(
        label=_("Campaign"),
        queryset=None,
        required=False,
        empty_label=_("No campaign"),
        error_messages={"invalid_choice": _("Choose one of this workspace's campaigns.")},
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    pillar = forms.ModelChoiceField(
        label=_("Content pillar"),
        queryset=None,
        required=False,
        empty_label=_("No pillar"),
        error_messages={"invalid_choice": _("Choose one of this workspace's content pillars.")},
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    repeat = forms.TypedChoiceField(
        label=_("Repeat"),
        choices=[
            ("", _("Never")),
            (7, _("Every week")),
            (14, _("Every 2 weeks")),
            (30, _("Every month (30 days)")),
        ],
        coerce=int,
        empty_value=None,
        required=False,
    )
    repeat_until = forms.DateField(
        label=_("Until (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d"],
    )

    def __init__(self, *args, workspace, post=None, **kwargs) -> None:
        if post is not None:
            kwargs["initial"] = {
                "text": post.text,
                "first_comment": post.first_comment,
                "link": post.link,
                "channels": list(post.channels.all()),
                "when": "later" if post.scheduled_at else "now",
                "at": timezone.localtime(post.scheduled_at) if post.scheduled_at else None,
                "repeat": post.repeat_every_days or "",
                "repeat_until": post.repeat_until,
                "campaign": post.campaign_id,
                "shorten_links": post.shorten_links,
                "utm_enabled": post.utm_enabled,
                "utm_source": post.utm_source,
                "utm_medium": post.utm_medium,
                "utm_campaign": post.utm_campaign,
                "pillar": post.pillar_id,
            }
        super().__init__(*args, **kwargs)
        self.workspace = workspace
        # Campaigns in use; a post keeps its own campaign even once archived.
        campaigns = Post._meta.get_field("campaign").related_model.objects.in_workspace(workspace)
        kept = Q(pk=post.campaign_id) if post is not None and post.campaign_id else Q()
        self.fields["campaign"].queryset = campaigns.filter(Q(archived=False) | kept).order_by(
            "name"
        )
        # Pillars in use likewise.
        pillars = Post._meta.get_field("pillar").related_model.objects.in_workspace(workspace)
        kept = Q(pk=post.pillar_id) if post is not None and post.pillar_id else Q()
        self.fields["pillar"].queryset = pillars.filter(Q(archived=False) | kept).order_by("name")
        # Saving changes to a draft keeps whatever was written, like saving a draft.
        self.saving_draft = post is not None and post.status in ("draft", "changes_requested")
        self.fields["channels"].queryset = Channel.objects.in_workspace(workspace)
        self.channel_list = list(self.fields["channels"].queryset)
        self.initial_variants = (
            {v.channel_id: v.text for v in post.variants.all()} if post is not None else {}
        )
        self.initial_thread = list(post.thread_parts) if post is not None else []
        self.initial_media = post_media_choice(post=post) if post is not None else MediaChoice()
        self._media: MediaChoice | None = None
        self.missing_media = False

    def thread_parts(self) -> list[str]:
        """The thread's parts after the post, in order, as written (blank boxes left out)."""
        if not self.is_bound:
            return self.initial_thread
        return [part for part in self.data.getlist("thread_part") if part.strip()]

    def thread_rows(self) -> list[str]:
        """The boxes to show: the parts written, and one empty box to write the next."""
        return [*self.thread_parts(), ""]

    def part_measures(self) -> tuple[list[dict], list[Channel]]:
        """Each thread part and the first comment, measured by each chosen channel's
        network that takes them; and the chosen channels that will not take them."""
        chosen = self.cleaned_data.get("channels", []) if hasattr(self, "cleaned_data") else []
        thread, comment = self.thread_parts(), self.data.get("first_comment", "").strip()
        rows, left_out = [], []
        for channel in chosen:
            network = registry.get(channel.network)
            parts = []
            if thread and network.capabilities.threads:
                parts += [
                    (_("thread part %(number)d") % {"number": n}, t)
                    for n, t in enumerate(thread, start=2)
                ]
            if comment and network.capabilities.first_comment:
                parts.append((_("first comment"), comment))
            if (thread and not network.capabilities.threads) or (
                comment and not network.capabilities.first_comment
            ):
                left_out.append(channel)
            for label, text in parts:
                rows.append(
                    {"channel": channel, "part": label, "measure": _part_measure(network, text)}
                )
        return rows, left_out

    # --- Media: ``media`` (shared ids, in order), ``media_own`` (channels with their
    # own media), ``media_<channel id>`` (theirs), ``alt_<asset id>`` (descriptions).

    def _ids(self, name: str) -> list[int]:
        return [int(v) for v in self.data.getlist(name) if str(v).isdigit()]

    def media_choice(self) -> MediaChoice:
        """The media as chosen (or as the post has them, before anything is sent)."""
        if not self.is_bound:
            return self.initial_media
        if self._media is None:
            wanted = {"shared": self._ids("media")}
            own_channels = [pk for pk in self._ids("media_own") if pk in self._channel_ids()]
            for pk in own_channels:
                wanted[pk] = self._ids(f"media_{pk}")
            every = {i for ids in wanted.values() for i in ids}
            found = {a.pk: a for a in media_by_ids(workspace=self.workspace, ids=every)}
            self.missing_media = len(found) != len(every)
            pick = {key: [found[i] for i in ids if i in found] for key, ids in wanted.items()}
            shared = pick.pop("shared")
            self._media = MediaChoice(shared=shared, own=pick)
        return self._media

    def _channel_ids(self) -> set[int]:
        return {c.pk for c in self.channel_list}

    def alts(self) -> dict[int, str]:
        """The descriptions typed for the chosen media."""
        choice = self.media_choice()
        assets = {a.pk for a in [*choice.shared, *(a for v in choice.own.values() for a in v)]}
        return {
            pk: self.data[f"alt_{pk}"]
            for pk in assets
            if self.is_bound and f"alt_{pk}" in self.data
        }

    def media_rows(self) -> list[dict]:
        """Per channel: whether it has its own media, and which."""
        choice = self.media_choice()
        return [
            {
                "channel": c,
                "label": f"{c.name} · {channel_label(c)}",
                "own": c.pk in choice.own,
                "assets": choice.own.get(c.pk, []),
            }
            for c in self.channel_list
        ]

    def variants(self) -> dict[int, str]:
        """The texts adapted per channel (``variant_<channel id>``), for the chosen channels."""
        chosen = self.cleaned_data.get("channels", []) if hasattr(self, "cleaned_data") else []
        found = {c.pk: self.data.get(f"variant_{c.pk}", "") for c in chosen}
        return {pk: text for pk, text in found.items() if text.strip()}

    def variant_rows(self) -> list[dict]:
        """One row per channel for the "adapt per channel" fields, with what is written."""
        if self.is_bound:
            values = {c.pk: self.data.get(f"variant_{c.pk}", "") for c in self.channel_list}
        else:
            values = self.initial_variants
        return [
            {"channel": c, "label": f"{c.name} · {channel_label(c)}", "value": values.get(c.pk, "")}
            for c in self.channel_list
        ]

    def channel_texts(self) -> list[tuple[Channel, str, bool]]:
        """Each chosen channel, the text it would publish (with the post's link where
        its network puts it in the text), and whether the channel has its own text.

        An unbound form (a post being edited, just opened) reads the post's text.
        """
        if not self.is_bound:
            text, variants = self.initial.get("text", ""), self.initial_variants
            chosen = self.initial.get("channels", [])
        else:
            text, variants = self.data.get("text", ""), self.variants()
            chosen = self.cleaned_data.get("channels", []) if hasattr(self, "cleaned_data") else []
        link = self._link()
        sent = {
            c.pk: text_and_link(text=variants.get(c.pk, text), link=link, channel=c)[0]
            for c in chosen
        }
        return [(c, sent[c.pk], c.pk in variants) for c in chosen]

    def measures(self) -> list[tuple[Channel, str, TextMeasure]]:
        """Each chosen channel with its network's measure of the text it would send and
        of its media (its own, or the shared ones)."""
        choice, alts = self.media_choice(), self.alts()
        rows = []
        for channel, text, _own in self.channel_texts():
            network = registry.get(channel.network)
            assets = choice.for_channel(channel.pk)
            items = [
                replace(item, alt_text=alts.get(asset.pk, item.alt_text))
                for asset, item in zip(assets, media_items(assets), strict=True)
            ]
            measure = network.measure_text(text, media_count=len(items))
            if media_problems := network.check_media(items):
                problems = measure.problems + media_problems
                measure = replace(measure, problems=problems, valid=False)
            rows.append((channel, channel_label(channel), measure))
        return rows

    def previews(self) -> list[Preview]:
        """Each chosen channel's feed showing its text (see ``previews.py``)."""
        return [
            preview_of(channel=c, text=text, adapted=own) for c, text, own in self.channel_texts()
        ]

    @property
    def utm_fields(self) -> list[forms.BoundField]:
        return [self["utm_source"], self["utm_medium"], self["utm_campaign"]]

    def link_tracking(self) -> LinkTracking | None:
        """The traffic-link choices written, or None when the form did not show them."""
        if not self.cleaned_data.get("link_tracking_shown"):
            return None
        return LinkTracking(
            shorten_links=self.cleaned_data["shorten_links"],
            utm_enabled=self.cleaned_data["utm_enabled"],
            utm_source=self.cleaned_data["utm_source"].strip(),
            utm_medium=self.cleaned_data["utm_medium"].strip(),
            utm_campaign=self.cleaned_data["utm_campaign"].strip(),
        )

    def _link(self) -> str:
        """The link as it will be sent: the cleaned one, or nothing while it is not valid."""
        if not self.is_bound:
            return self.initial.get("link", "")
        cleaned = getattr(self, "cleaned_data", {})
        return cleaned.get("link", "") if "link" not in self.errors else ""

    def links_left_out(self) -> list[Channel]:
        """The chosen channels whose network would not make the link clickable."""
        chosen = self.cleaned_data.get("channels", []) if hasattr(self, "cleaned_data") else []
        return [c for c in chosen if link_left_out(link=self._link(), channel=c)]

    def clean(self) -> dict:
        data = super().clean()
        when, at = data.get("when"), data.get("at")
        # A draft keeps whatever was written; the rules apply when it is to go out.
        action = self.data.get("action", "draft")
        drafting = action == "draft" or (action == "save" and self.saving_draft)
        if data.get("repeat") not in (None, *REPEAT_CHOICES_DAYS):
            self.add_error("repeat", _("Choose how often the post repeats."))
        if data.get("repeat_until") and data["repeat_until"] < timezone.localdate():
            self.add_error("repeat_until", _("This date has passed: choose a later one."))
        if when == "queue":
            data["at"] = None
            if not drafting and data.get("channels"):
                try:
                    data["at"] = next_free_slot(channels=data["channels"], after=timezone.now())
                except QueueError as error:
                    self.add_error("when", str(error))
        elif when != "later":
            data["at"] = None
        elif at is None and not drafting:
            self.add_error("at", _("Choose the date and time of publication."))
        # Read in the active zone (the workspace's); an hour that does not
        # exist or happens twice at a DST change is refused by the field.
        elif at is not None and at < timezone.now():
            self.add_error("at", _("This moment has passed: choose a later one, or publish now."))
        self.media_choice()
        if self.missing_media:
            self.add_error(
                None,
                _(
                    "An image or video you chose was deleted from the library meanwhile: "
                    "check the media, then save again."
                ),
            )
        if not drafting:
            for channel, network, measure in self.measures():
                for problem in measure.problems:
                    self.add_error("text", f"{channel.name} ({network}) · {problem.message}")
            rows, _left_out = self.part_measures()
            for row in rows:
                for problem in row["measure"].problems:
                    self.add_error(
                        None, f"{row['channel'].name}, {row['part']} · {problem.message}"
                    )
        return data

    def schedule_at(self) -> datetime:
        return self.cleaned_data["at"] or timezone.now()

    def proposed_at(self) -> datetime | None:
        """The chosen time, or None for "as soon as possible"."""
        when = self.cleaned_data.get("when")
        return self.cleaned_data.get("at") if when in ("later", "queue") else None


def _part_measure(network, text: str):
    """A reply or comment carries no media, and needs none (even on Instagram)."""
    measure = network.measure_text(text)
    problems = tuple(p for p in measure.problems if p.code != "media_required")
    return replace(measure, problems=problems, valid=not problems)


class QueueSlotForm(forms.Form):
    """One weekly time for one of the workspace's channels."""

    channel = OneChannelField(
        label=_("Channel"),
        queryset=Channel.objects.none(),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    weekday = forms.TypedChoiceField(
        label=_("Day"),
        choices=QueueSlot.Weekday.choices,
        coerce=int,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    time = forms.TimeField(
        label=_("Time"),
        widget=forms.TimeInput(attrs={"type": "time", "class": "form-control"}, format="%H:%M"),
        input_formats=["%H:%M"],
    )

    def __init__(self, *args, workspace, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["channel"].queryset = Channel.objects.in_workspace(workspace)


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


class SnippetForm(forms.Form):
    """A snippet or a hashtag group; the rules are checked by the actions (``snippets.py``)."""

    kind = forms.ChoiceField(
        label=_("Kind"), choices=SnippetKind.choices, initial=SnippetKind.HASHTAGS
    )
    name = forms.CharField(
        label=_("Name"), max_length=80, widget=forms.TextInput(attrs={"class": "form-control"})
    )
    text = forms.CharField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 4}),
        help_text=_("A hashtag group: hashtags separated by spaces or line breaks."),
    )

    def __init__(self, *args, snippet: Snippet | None = None, **kwargs) -> None:
        if snippet is not None:
            kwargs.setdefault("initial", {"kind": snippet.kind, "name": snippet.name})
            kwargs["initial"]["text"] = snippet.text
        super().__init__(*args, **kwargs)
        self.fields["kind"].widget = forms.RadioSelect(
            attrs={"class": "form-check-input"}, choices=SnippetKind.choices
        )
        if snippet is not None:  # a snippet stays what it is
            self.fields["kind"].disabled = True
