"""What the Instagram test server remembers: accounts, tokens, containers, media,
comments, the publishing quota, and a clock the tests can move.

Everything lives in memory, in one process, on one event loop: no lock is needed.
Behaviour follows Meta's documentation of the Instagram API (with Facebook Login on
graph.facebook.com, with Instagram Login on graph.instagram.com):

- a container is IN_PROGRESS for a few reads (videos longer than images), then
  FINISHED; ERROR when its media cannot be fetched (or a test says so); EXPIRED
  24 hours after it was made if not published; PUBLISHED once published;
- ``content_publishing_limit`` counts the account's publications over a rolling
  24 hours; ``media_publish`` beyond the quota is refused (code 9, 2207042);
- Instagram Login tokens: short-lived (1 hour), exchanged for 60 days, refreshed only
  once 24 hours old; Facebook Login: a user token, then Page tokens that do not expire.
"""

from __future__ import annotations

import itertools
import secrets
from collections import deque
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

CONTAINER_LIFETIME = timedelta(hours=24)
SHORT_LIVED = timedelta(hours=1)
LONG_LIVED = timedelta(days=60)
REFRESH_MIN_AGE = timedelta(hours=24)
QUOTA_WINDOW = timedelta(hours=24)
FAULTS = ("503", "lost", "500", "rate_limit")
CONTAINER_FATES = ("ERROR", "EXPIRED")


def graph_error(
    message: str, code: int, subcode: int | None = None, kind: str = "OAuthException", **extra
) -> dict:
    """A Graph API error body, as Meta writes it."""
    error: dict = {"message": message, "type": kind, "code": code}
    if subcode is not None:
        error["error_subcode"] = subcode
    error.update(extra)
    error["fbtrace_id"] = "A" + secrets.token_urlsafe(15)
    return {"error": error}


def iso(moment: datetime) -> str:
    """Instagram's timestamps: ``2026-12-07T16:02:14+0000``."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+0000")


@dataclass
class Account:
    """An Instagram professional account (and, for Facebook Login, its Page)."""

    id: str
    username: str
    name: str
    page_id: str
    page_name: str
    followers_count: int = 1200
    views: int = 5400
    reach: int = 3100


@dataclass
class Token:
    kind: str  # "ig_short", "ig_long", "fb_short", "fb_long", "page"
    account_id: str  # the Instagram account it acts for (every account for fb_*)
    issued_at: datetime
    expires_at: datetime | None
    scopes: tuple[str, ...] = ()
    revoked: bool = False


@dataclass
class Container:
    id: str
    owner: str
    media_type: str  # IMAGE, REELS, CAROUSEL (a child image: IMAGE; a child video: VIDEO)
    caption: str
    media_url: str
    created_at: datetime
    children: tuple[str, ...] = ()
    is_carousel_item: bool = False
    reads_left: int = 1  # reads answered IN_PROGRESS before FINISHED
    status_code: str = "IN_PROGRESS"
    error_subcode: int | None = None
    media_id: str = ""


@dataclass
class Media:
    id: str
    owner: str
    media_type: str  # IMAGE, VIDEO (reels), CAROUSEL_ALBUM
    caption: str
    timestamp: datetime
    product_type: str  # FEED or REELS
    shortcode: str
    children: tuple[str, ...] = ()
    like_count: int = 0
    insights: dict[str, int] = field(default_factory=dict)

    @property
    def permalink(self) -> str:
        section = "reel" if self.product_type == "REELS" else "p"
        return f"https://www.instagram.com/{section}/{self.shortcode}/"


@dataclass
class Comment:
    id: str
    media_id: str
    text: str
    username: str
    from_id: str
    timestamp: datetime
    parent_id: str = ""
    hidden: bool = False
    deleted: bool = False
    like_count: int = 0


@dataclass
class Config:
    image_reads: int = 1  # IN_PROGRESS reads of an image container before FINISHED
    video_reads: int = 3
    quota_total: int = 100
    fetch_media: bool = False  # download image_url / video_url as Instagram does


@dataclass
class OAuthCode:
    account_ids: tuple[str, ...]
    redirect_uri: str
    client_id: str
    scopes: tuple[str, ...]
    kind: str  # "instagram" or "facebook"


class State:
    def __init__(self, config: Config | None = None) -> None:
        self.config = config or Config()
        self.offset = timedelta()  # the tests' clock: /_test/clock advances it
        self.ids = itertools.count(17_900_000_000_000_001)
        self.accounts: dict[str, Account] = {}
        self.tokens: dict[str, Token] = {}
        self.codes: dict[str, OAuthCode] = {}
        self.containers: dict[str, Container] = {}
        self.media: dict[str, Media] = {}
        self.comments: dict[str, Comment] = {}
        self.publications: dict[str, deque[datetime]] = {}
        self.faults: list[tuple[str, str]] = []  # (fault, path prefix)
        self.container_fates: list[str] = []  # the next containers' fate: ERROR, EXPIRED
        self.consent: tuple[str, ...] = ()  # accounts the next consent page grants
        self.tags: dict[str, set[str]] = {}  # account id -> media that mention it
        self.requests: list[dict] = []  # what the API was asked, for the tests

    def now(self) -> datetime:
        return datetime.now(UTC) + self.offset

    def new_id(self) -> str:
        return str(next(self.ids))

    # --- Accounts and tokens -----------------------------------------------------

    def add_account(self, username: str, name: str = "") -> Account:
        account_id = self.new_id()
        account = Account(
            id=account_id,
            username=username,
            name=name or username,
            page_id=self.new_id(),
            page_name=f"{name or username} (Page)",
        )
        self.accounts[account_id] = account
        self.publications[account_id] = deque()
        return account

    def issue(
        self, kind: str, account_id: str, lifetime: timedelta | None, scopes=()
    ) -> tuple[str, Token]:
        token = f"{kind}-{secrets.token_urlsafe(18)}"
        now = self.now()
        info = Token(kind, account_id, now, now + lifetime if lifetime else None, tuple(scopes))
        self.tokens[token] = info
        return token, info

    def token(self, value: str) -> Token | None:
        info = self.tokens.get(value)
        if info is None or info.revoked:
            return None
        if info.expires_at is not None and info.expires_at <= self.now():
            return None
        return info

    # --- Publishing ----------------------------------------------------------------

    def new_container(self, owner: str, media_type: str, **values) -> Container:
        reads = self.config.video_reads if media_type in ("REELS", "VIDEO") else 0
        reads = max(reads, self.config.image_reads)
        container = Container(
            id=self.new_id(),
            owner=owner,
            media_type=media_type,
            created_at=self.now(),
            reads_left=reads,
            **values,
        )
        if self.container_fates:
            fate = self.container_fates.pop(0)
            if fate == "EXPIRED":
                container.created_at -= CONTAINER_LIFETIME
            else:
                container.error_subcode = 2207026  # unsupported video format
        self.containers[container.id] = container
        return container

    def read_container(self, container: Container) -> Container:
        """A status read: the container moves on as Instagram's processing would."""
        if container.status_code == "IN_PROGRESS":
            if container.created_at + CONTAINER_LIFETIME <= self.now():
                container.status_code = "EXPIRED"
            elif container.error_subcode is not None:
                container.status_code = "ERROR"
            elif container.reads_left > 0:
                container.reads_left -= 1
            else:
                container.status_code = "FINISHED"
        elif (
            container.status_code == "FINISHED"
            and container.created_at + CONTAINER_LIFETIME <= self.now()
        ):
            container.status_code = "EXPIRED"
        return container

    def quota_usage(self, account_id: str) -> int:
        window = self.publications[account_id]
        while window and window[0] + QUOTA_WINDOW <= self.now():
            window.popleft()
        return len(window)

    def publish(self, container: Container) -> Media:
        kinds = {"IMAGE": "IMAGE", "REELS": "VIDEO", "CAROUSEL": "CAROUSEL_ALBUM"}
        media = Media(
            id=self.new_id(),
            owner=container.owner,
            media_type=kinds[container.media_type],
            caption=container.caption,
            timestamp=self.now(),
            product_type="REELS" if container.media_type == "REELS" else "FEED",
            shortcode=secrets.token_urlsafe(8).replace("-", "a").replace("_", "b"),
            children=container.children,
            insights={
                "views": 840,
                "reach": 610,
                "likes": 57,
                "comments": 0,
                "shares": 4,
                "saved": 9,
                "total_interactions": 70,
            },
        )
        self.media[media.id] = media
        container.status_code = "PUBLISHED"
        container.media_id = media.id
        self.publications[container.owner].append(self.now())
        return media

    def add_comment(
        self, media_id: str, text: str, username: str, from_id: str, parent_id: str = ""
    ) -> Comment:
        comment = Comment(
            id=self.new_id(),
            media_id=media_id,
            text=text,
            username=username,
            from_id=from_id,
            timestamp=self.now(),
            parent_id=parent_id,
        )
        self.comments[comment.id] = comment
        return comment

    def comments_of(self, media_id: str, parent_id: str = "") -> list[Comment]:
        return [
            c
            for c in self.comments.values()
            if c.media_id == media_id and c.parent_id == parent_id and not c.deleted
        ]

    def take_fault(self, path: str) -> str:
        for position, (fault, prefix) in enumerate(self.faults):
            if path.startswith(prefix) or prefix in path:
                del self.faults[position]
                return fault
        return ""
