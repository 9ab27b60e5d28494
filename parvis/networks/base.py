"""The Network contract: what every network (real or Sandbox) implements.

A network receives plain data (the dataclasses below) and returns plain data.
It knows nothing of posts, deliveries or inboxes. Input/output methods are
``async`` so the publishing runner can make many calls concurrently; callers
outside an event loop use ``asgiref.sync.async_to_sync``.

A network raises only the errors defined here. Each maps to what the engine
does next (see ARCHITECTURE.md, "Errors decide the next state").
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from parvis.networks import media_messages

# --- Errors ---------------------------------------------------------------


class NetworkError(Exception):
    """Base of the errors a network raises. ``user_message`` is shown to people."""

    def __init__(self, user_message: str | Promise, *, detail: str = "") -> None:
        super().__init__(str(user_message))
        self.user_message = user_message
        self.detail = detail


class PermanentError(NetworkError):
    """The request will never succeed as it is (e.g. text too long, media refused)."""


class TransientError(NetworkError):
    """Worth retrying later with backoff (e.g. 5xx, a timeout before sending)."""


class RateLimited(TransientError):
    """The network asks us to wait until ``retry_at``. ``scope`` says whose limit."""

    def __init__(
        self,
        user_message: str | Promise,
        *,
        retry_at: datetime,
        scope: str = "channel",
        detail: str = "",
    ) -> None:
        super().__init__(user_message, detail=detail)
        self.retry_at = retry_at
        self.scope = scope  # "channel" or "app"


class AuthExpired(NetworkError):
    """The token is expired or revoked: the channel needs to be reconnected."""


class UnknownOutcome(NetworkError):
    """The request may or may not have been applied: verify before any retry."""


# --- Description of a network ----------------------------------------------


class InteractionKind(StrEnum):
    COMMENT = "comment"
    REPLY = "reply"
    MENTION = "mention"
    MESSAGE = "message"
    REACTION = "reaction"


@dataclass(frozen=True)
class Capabilities:
    text: bool = True
    images: bool = True
    videos: bool = True
    links: bool = True  # False: links in a post are not clickable (Instagram captions)
    # The network shows a post's link as a card beside the text (Facebook, LinkedIn):
    # it is sent apart (``PublishRequest.link``). Elsewhere it goes in the text.
    link_card: bool = False
    first_comment: bool = False
    threads: bool = False
    reply: bool = True
    delete: bool = True
    hide_comments: bool = False
    like: bool = False  # the account may like a message it received (``like_interaction``)
    direct_messages: bool = False
    metrics: bool = True
    idempotency: bool = False  # the network de-duplicates by a client-chosen key
    webhooks: bool = False  # the network pushes interactions (``webhook_*`` methods)


@dataclass(frozen=True)
class TextRules:
    """The limits a network puts on a post's text (its counting lives in measure_text)."""

    max_length: int
    counting: str = "characters"  # "characters", "weighted" (X), "graphemes" (Bluesky)
    max_bytes: int | None = None
    url_length: int | None = None  # a URL counts this much, whatever its length
    max_hashtags: int | None = None
    max_mentions: int | None = None
    media_required: bool = False
    max_media: int = 10


@dataclass(frozen=True)
class FeedDisplay:
    """How a network shows a post in its feed, for the composer's preview.

    ``family`` names the real network (a Sandbox flavour names the one it imitates).
    ``fold_characters`` / ``fold_lines``: what shows before the feed's "… more"
    (None: the whole text). ``link_display_length``: a link is shown cut to this many
    characters, without its scheme (None: as written).
    """

    family: str  # "x", "facebook", "instagram", "bluesky", "mastodon", "threads", "linkedin"
    label: str  # the real network's name, e.g. "Instagram"
    fold_characters: int | None = None
    fold_lines: int | None = None
    link_display_length: int | None = None


@dataclass(frozen=True)
class MediaRules:
    """What a network accepts as a post's images and videos (``Network.check_media``).

    Sizes are in bytes, aspect ratios are (width, height) pairs: (4, 5) is 4:5.
    ``None`` means the network sets no limit there. The count of media and whether
    one is required stay in ``TextRules`` (``measure_text`` reports them).
    """

    image_types: frozenset[str] = frozenset({"image/jpeg", "image/png", "image/gif", "image/webp"})
    video_types: frozenset[str] = frozenset({"video/mp4", "video/quicktime"})
    max_image_bytes: int | None = None
    max_gif_bytes: int | None = None  # an animated GIF
    max_video_bytes: int | None = None
    max_videos: int = 1
    min_width: int | None = None
    max_width: int | None = None
    image_aspect: tuple[tuple[float, float], tuple[float, float]] | None = None
    video_aspect: tuple[tuple[float, float], tuple[float, float]] | None = None
    min_duration_s: float | None = None
    max_duration_s: float | None = None
    mix: bool = False  # images and videos in the same post
    gif_alone: bool = False  # an animated GIF is the post's only media
    max_alt_text: int | None = None
    sendable: bool = True  # False: this connector cannot send media yet


@dataclass(frozen=True)
class TextProblem:
    code: str  # stable, e.g. "too_long", "too_many_hashtags", "media_required"
    message: str | Promise  # in the user's language: what to change


@dataclass(frozen=True)
class TextMeasure:
    length: int
    limit: int
    valid: bool
    problems: tuple[TextProblem, ...] = ()

    @property
    def remaining(self) -> int:
        return self.limit - self.length


# --- Data exchanged with a network ------------------------------------------


@dataclass(frozen=True)
class ConnectedAccount:
    """An account the user may connect, as the network describes it."""

    external_id: str
    name: str
    handle: str = ""
    avatar_url: str = ""
    access_token: str = ""
    refresh_token: str = ""
    expires_at: datetime | None = None
    scopes: tuple[str, ...] = ()
    options: dict[str, Any] = field(default_factory=dict)
    refresh_expires_at: datetime | None = None


@dataclass(frozen=True)
class ChannelRef:
    """What a network is told about the channel it acts on."""

    external_id: str
    access_token: str = ""
    options: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class MediaItem:
    path: str  # a local file path or URL the network can read
    mime_type: str
    alt_text: str = ""
    width: int | None = None
    height: int | None = None
    size_bytes: int | None = None
    duration_s: float | None = None
    animated: bool = False  # an animated GIF
    codec: str = ""  # a video's codec, e.g. "h264"
    # A public address of the file, served by Parvis for a limited time, for networks
    # that fetch media themselves (Instagram's containers). "" when Parvis has none.
    url: str = ""

    @property
    def kind(self) -> str:
        """ "image", "gif" (animated) or "video"."""
        if self.mime_type.startswith("video/"):
            return "video"
        return "gif" if self.animated else "image"


@dataclass(frozen=True)
class PublishRequest:
    text: str
    idempotency_key: str  # stable across retries of the same delivery
    media: tuple[MediaItem, ...] = ()
    link: str = ""
    reply_to_id: str = ""  # thread parts and first comments reply to this
    # "post"; "thread" (a reply continuing the post, e.g. on X) or "comment" (a
    # first comment under it, e.g. on Facebook or Instagram).
    part: str = "post"
    options: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class PublishResult:
    remote_id: str
    url: str
    published_at: datetime
    # Set when this call used the channel's last call of the network's rate-limit
    # window: the channel's next posts wait until then instead of meeting a refusal.
    hold_until: datetime | None = None


@dataclass(frozen=True)
class Interaction:
    """A comment, reply, mention, message or reaction, as received."""

    remote_id: str
    kind: InteractionKind
    author_id: str
    author_name: str
    author_handle: str
    text: str
    created_at: datetime
    post_remote_id: str = ""  # the brand's post it is attached to, if any
    in_reply_to_id: str = ""
    url: str = ""
    raw: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class InteractionPage:
    items: tuple[Interaction, ...]
    cursor: str  # give it back to fetch only what is newer


# The names every network gives its figures (``MetricSample.name``), whatever the
# network calls them: a network maps its own names to these in one table, so that
# Parvis compares like with like. A figure with no equivalent here keeps a name of
# its own (e.g. X's "quotes").
METRIC_NAMES = (
    "followers",  # the account's followers (Facebook: the Page's follows)
    "views",  # times the post or account was shown (impressions, views)
    "reach",  # distinct accounts that saw it
    "likes",  # likes and reactions
    "comments",  # comments and replies
    "shares",  # shares and reposts
    "saves",  # saves and bookmarks
    "clicks",  # clicks on the post's link
    "engagements",  # all interactions together, as the network counts them
)


@dataclass(frozen=True)
class MetricSample:
    name: str  # one of METRIC_NAMES, or a network's own figure
    value: float
    measured_at: datetime
    remote_id: str = ""  # a post's id, or "" for the account


@dataclass(frozen=True)
class Tokens:
    """A channel's tokens, decrypted: what ``refresh_tokens`` reads and returns.

    ``obtained_at``: when the network issued ``access_token`` (some networks let a
    token be refreshed only once it is old enough, e.g. Instagram after 24 hours).
    """

    access_token: str
    refresh_token: str = ""
    expires_at: datetime | None = None
    refresh_expires_at: datetime | None = None
    obtained_at: datetime | None = None
    scopes: tuple[str, ...] = ()


@dataclass(frozen=True)
class WebhookItem:
    """One interaction found in a webhook delivery, and the channel it concerns."""

    channel_external_id: str
    interaction: Interaction


@dataclass(frozen=True)
class ConnectStart:
    """How to begin connecting: redirect to ``authorize_url``, or show a form."""

    authorize_url: str = ""
    form_fields: tuple[str, ...] = ()  # for networks connected by a form (e.g. Sandbox)
    state: dict[str, Any] = field(default_factory=dict)  # kept in the session until finish


# --- The contract -------------------------------------------------------------


class Network(ABC):
    key: str  # registry key, e.g. "x", "sandbox_instagram"
    name: str | Promise  # shown to people, e.g. "X", "Sandbox · Instagram"
    icon: str = "globe"  # a Bootstrap Icons name
    is_simulated: bool = False  # the Sandbox: labelled as such everywhere
    capabilities: Capabilities = Capabilities()
    text_rules: TextRules
    display: FeedDisplay = FeedDisplay(family="", label="")  # see ``feeds.py``
    media_rules: MediaRules = MediaRules()

    def setup_problem(self) -> str | Promise:
        """Why this installation cannot connect the network yet ("" when it can).

        Real networks need the installation's own app (client id and secret, set by
        the administrator); the connect page shows this instead of a broken button.
        """
        return ""

    @abstractmethod
    def measure_text(self, text: str, *, media_count: int = 0) -> TextMeasure:
        """Count the text as this network does and list what breaks its rules."""

    def check_media(self, media: Sequence[MediaItem]) -> tuple[TextProblem, ...]:
        """What in these images and videos breaks the network's ``media_rules``.

        Their count and whether one is needed are ``measure_text``'s business.
        """
        return check_media(media, self.media_rules, network=self.name)

    # Connecting
    @abstractmethod
    def connect_start(self, *, redirect_uri: str) -> ConnectStart: ...

    @abstractmethod
    async def connect_finish(
        self, *, params: dict[str, str], state: dict[str, Any], redirect_uri: str
    ) -> Sequence[ConnectedAccount]: ...

    @abstractmethod
    async def check_health(self, channel: ChannelRef) -> None:
        """Return if the channel works; raise AuthExpired or another error if not."""

    # Tokens (networks whose tokens expire override both)
    @property
    def renews_tokens(self) -> bool:
        """Whether this network renews tokens at all (it overrides ``refresh_tokens``)."""
        return type(self).refresh_tokens is not Network.refresh_tokens

    def refresh_due(self, tokens: Tokens, *, now: datetime) -> bool:
        """Whether ``refresh_tokens`` should run now, before the token expires."""
        return False

    async def refresh_tokens(self, channel: ChannelRef, tokens: Tokens) -> Tokens:
        """New tokens for the channel. A refresh token the network did not replace
        is kept by the caller. Raise AuthExpired if only reconnecting can help."""
        raise AuthExpired(
            _("%(network)s cannot renew this access: reconnect the channel.")
            % {"network": self.name}
        )

    # Publishing
    @abstractmethod
    async def publish(self, channel: ChannelRef, request: PublishRequest) -> PublishResult: ...

    @abstractmethod
    async def find_published(
        self, channel: ChannelRef, request: PublishRequest, *, since: datetime
    ) -> PublishResult | None:
        """After an unknown outcome: did this request's post appear since ``since``?"""

    @abstractmethod
    async def delete(self, channel: ChannelRef, remote_id: str) -> None: ...

    # Conversations
    @abstractmethod
    async def fetch_interactions(
        self, channel: ChannelRef, *, cursor: str = ""
    ) -> InteractionPage: ...

    @abstractmethod
    async def reply(
        self, channel: ChannelRef, *, to_remote_id: str, text: str, idempotency_key: str
    ) -> PublishResult: ...

    async def hide_interaction(self, channel: ChannelRef, remote_id: str, *, hidden: bool) -> None:
        """Hide (or show again) a comment on the brand's post (``hide_comments``)."""
        raise PermanentError(
            _("%(network)s does not let Parvis hide a comment.") % {"network": self.name}
        )

    async def delete_interaction(self, channel: ChannelRef, remote_id: str) -> None:
        """Delete a comment on the brand's post, or the brand's own answer."""
        raise PermanentError(
            _("%(network)s does not let Parvis delete this message.") % {"network": self.name}
        )

    async def like_interaction(self, channel: ChannelRef, remote_id: str, *, liked: bool) -> None:
        """Like (or unlike) a message as the channel's account (``capabilities.like``).

        Safe to repeat: liking what is already liked is not an error."""
        raise PermanentError(
            _("%(network)s does not let Parvis like this message.") % {"network": self.name}
        )

    # Webhooks (``capabilities.webhooks``): the network pushes what happened
    def webhook_challenge(self, params: Mapping[str, str]) -> str | None:
        """The answer to a subscription handshake (a GET), or None to refuse it."""
        return None

    def webhook_verify(self, headers: Mapping[str, str], body: bytes) -> bool:
        """Whether a delivery (a POST) really comes from the network: its signature
        over the raw body, compared in constant time. False refuses it."""
        return False

    def webhook_items(self, body: bytes) -> Sequence[WebhookItem]:
        """The interactions in a verified delivery (others are ignored)."""
        return ()

    # Measuring
    @abstractmethod
    async def fetch_metrics(
        self, channel: ChannelRef, *, remote_ids: Sequence[str] = ()
    ) -> Sequence[MetricSample]: ...


# --- Checking media against MediaRules ------------------------------------------


def _fits_aspect(width: int, height: int, bounds: tuple[tuple[float, float], ...]) -> bool:
    (low_w, low_h), (high_w, high_h) = bounds
    ratio = width / height
    return low_w / low_h - 0.005 <= ratio <= high_w / high_h + 0.005


def _item_problems(
    item: MediaItem, rules: MediaRules, name: str, network: str | Promise
) -> list[TextProblem]:
    problems: list[TextProblem] = []

    def add(code: str, message: Promise) -> None:
        problems.append(TextProblem(code=code, message=message))

    kind = item.kind
    accepted = rules.video_types if kind == "video" else rules.image_types
    if item.mime_type not in accepted:
        add("media_type", media_messages.wrong_type(name, item.mime_type, accepted, network))
        return problems
    limit = {
        "image": rules.max_image_bytes,
        "gif": rules.max_gif_bytes or rules.max_image_bytes,
        "video": rules.max_video_bytes,
    }[kind]
    if limit is not None and item.size_bytes is not None and item.size_bytes > limit:
        add("media_too_heavy", media_messages.too_heavy(name, item.size_bytes, limit, network))
    if item.width and rules.min_width is not None and item.width < rules.min_width:
        add(
            "media_too_narrow",
            media_messages.too_narrow(name, item.width, rules.min_width, network),
        )
    if item.width and rules.max_width is not None and item.width > rules.max_width:
        add("media_too_wide", media_messages.too_wide(name, item.width, rules.max_width, network))
    bounds = rules.video_aspect if kind == "video" else rules.image_aspect
    if bounds and item.width and item.height and not _fits_aspect(item.width, item.height, bounds):
        add(
            "media_aspect",
            media_messages.aspect(name, kind, item.width, item.height, bounds, network),
        )
    if kind == "video" and item.duration_s is not None:
        too_short = rules.min_duration_s is not None and item.duration_s < rules.min_duration_s
        too_long = rules.max_duration_s is not None and item.duration_s > rules.max_duration_s
        if too_short or too_long:
            add(
                "media_duration",
                media_messages.duration(
                    name, item.duration_s, rules.min_duration_s, rules.max_duration_s, network
                ),
            )
    if rules.max_alt_text is not None and len(item.alt_text) > rules.max_alt_text:
        add(
            "alt_text_too_long",
            media_messages.alt_too_long(name, len(item.alt_text), rules.max_alt_text, network),
        )
    return problems


def check_media(
    media: Sequence[MediaItem], rules: MediaRules, *, network: str | Promise = ""
) -> tuple[TextProblem, ...]:
    """Each problem these media have with ``rules``, with what to change."""
    if not media:
        return ()
    if not rules.sendable:
        return (TextProblem("media_not_sendable", media_messages.not_sendable(network)),)
    problems: list[TextProblem] = []
    kinds = [item.kind for item in media]
    videos = kinds.count("video")
    if not rules.mix and videos and videos < len(kinds):
        problems.append(TextProblem("media_mixed", media_messages.mixed(network)))
    elif videos > rules.max_videos:
        problems.append(
            TextProblem(
                "too_many_videos", media_messages.too_many_videos(rules.max_videos, network)
            )
        )
    if rules.gif_alone and "gif" in kinds and len(kinds) > 1:
        problems.append(TextProblem("gif_not_alone", media_messages.gif_alone(network)))
    for position, item in enumerate(media, start=1):
        name = media_messages.item_name(item.kind, position if len(media) > 1 else 0)
        problems += _item_problems(item, rules, name, network)
    return tuple(problems)
