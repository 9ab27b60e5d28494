"""The Network contract: what every network (real or Sandbox) implements.

A network receives plain data (the dataclasses below) and returns plain data.
It knows nothing of posts, deliveries or inboxes. Input/output methods are
``async`` so the publishing runner can make many calls concurrently; callers
outside an event loop use ``asgiref.sync.async_to_sync``.

A network raises only the errors of ``errors.py`` (re-exported here). Each maps to what the engine
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

from parvis.networks.errors import AuthExpired as AuthExpired
from parvis.networks.errors import NetworkError as NetworkError
from parvis.networks.errors import PermanentError as PermanentError
from parvis.networks.errors import RateLimited as RateLimited
from parvis.networks.errors import TransientError as TransientError
from parvis.networks.errors import UnknownOutcome as UnknownOutcome
from parvis.networks.rules import MediaItem as MediaItem
from parvis.networks.rules import MediaRules as MediaRules
from parvis.networks.rules import TextProblem as TextProblem
from parvis.networks.rules import check_media as check_media

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
