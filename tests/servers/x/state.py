"""What the X test server remembers: users, tokens, posts, rate-limit windows, faults.

Everything lives in memory, in one process, on one event loop: no lock is needed.
Bodies and headers follow what the X API v2 returns (problem details with
``title``/``detail``/``type``/``status``; ``x-rate-limit-*`` epoch-second headers).
"""

from __future__ import annotations

import random
import re
import string
import time
from collections import Counter, deque
from dataclasses import dataclass, field
from datetime import UTC, datetime

from parvis.networks.textrules.extract import extract_urls

# Bodies X returns, word for word where X documents them.
DUPLICATE_DETAIL = "You are not allowed to create a Tweet with duplicate content."
REPLY_GONE_DETAIL = "You attempted to reply to a Tweet that is deleted or not visible to you."
INVALID_REQUEST = "https://api.twitter.com/2/problems/invalid-request"
NOT_FOUND = "https://api.twitter.com/2/problems/resource-not-found"
USAGE_CAPPED = "https://api.twitter.com/2/problems/usage-capped"
# What /_test/faults may queue.
FAULTS = ("503", "lost", "429", "401", "500", "504", "drop", "usage-capped")
ACCESS_TOKEN_SECONDS = 7200  # X's OAuth 2.0 user access tokens live two hours

_SLUG = string.ascii_letters + string.digits
_TOKEN_RE = re.compile(r"^user-([0-9]{1,19})$")
_FIRST_ID = 1_860_000_000_000_000_000  # 19 digits, like today's X post ids


def problem(status: int, title: str, detail: str, kind: str = "about:blank", **extra) -> dict:
    return {"title": title, "detail": detail, "type": kind, "status": status, **extra}


def base36(number: int) -> str:
    """X's pagination tokens here: the last post's id, in base 36."""
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while number:
        number, rest = divmod(number, 36)
        out = digits[rest] + out
    return out or "0"


def iso(moment: datetime) -> str:
    """X's timestamps: UTC, milliseconds, a Z."""
    moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


@dataclass
class User:
    id: str
    username: str
    name: str
    metrics: dict[str, int] = field(
        default_factory=lambda: {
            "followers_count": 0,
            "following_count": 0,
            "tweet_count": 0,
            "listed_count": 0,
            "like_count": 0,
        }
    )

    def as_json(self, fields: set[str]) -> dict:
        body = {"id": self.id, "name": self.name, "username": self.username}
        if "public_metrics" in fields:
            body["public_metrics"] = dict(self.metrics)
        if "profile_image_url" in fields:
            body["profile_image_url"] = f"https://pbs.twimg.com/profile_images/{self.id}/a.jpg"
        return body


@dataclass
class Grant:
    """An authorization code X gave back to the redirect address, not yet exchanged."""

    user_id: str
    client_id: str
    redirect_uri: str
    scopes: tuple[str, ...]
    code_challenge: str
    issued_at: float


@dataclass
class Media:
    """An upload session: INIT, APPEND segments, FINALIZE, then STATUS while processing."""

    id: str
    owner_id: str
    media_type: str
    category: str
    total_bytes: int
    segments: dict[int, int] = field(default_factory=dict)  # index -> bytes received
    finalized: bool = False
    state: str = ""  # "", "pending", "in_progress", "succeeded", "failed"
    polls_left: int = 0
    alt_text: str = ""

    @property
    def key(self) -> str:
        prefix = "7" if self.media_type.startswith("video/") else "3"
        return f"{prefix}_{self.id}"


@dataclass
class Tweet:
    id: str
    author_id: str
    text: str  # as sent
    shown: str  # as X gives it back: links through t.co, & < > as HTML entities
    created_at: datetime
    in_reply_to_id: str = ""
    deleted: bool = False
    conversation_id: str = ""
    in_reply_to_user_id: str = ""
    quote_id: str = ""
    media_keys: tuple[str, ...] = ()
    hidden: bool = False
    liked_by: set[str] = field(default_factory=set)  # the users who like it
    metrics: dict[str, int] = field(
        default_factory=lambda: {
            "retweet_count": 0,
            "reply_count": 0,
            "like_count": 0,
            "quote_count": 0,
            "bookmark_count": 0,
            "impression_count": 0,
        }
    )

    def as_json(self, fields: set[str]) -> dict:
        body: dict = {"id": self.id, "text": self.shown, "edit_history_tweet_ids": [self.id]}
        if "created_at" in fields:
            body["created_at"] = iso(self.created_at)
        if "author_id" in fields:
            body["author_id"] = self.author_id
        if "conversation_id" in fields:
            body["conversation_id"] = self.conversation_id or self.id
        if "in_reply_to_user_id" in fields and self.in_reply_to_user_id:
            body["in_reply_to_user_id"] = self.in_reply_to_user_id
        if "referenced_tweets" in fields:
            refs = [("replied_to", self.in_reply_to_id), ("quoted", self.quote_id)]
            if listed := [{"type": kind, "id": ref} for kind, ref in refs if ref]:
                body["referenced_tweets"] = listed
        if "attachments" in fields and self.media_keys:
            body["attachments"] = {"media_keys": list(self.media_keys)}
        if "public_metrics" in fields:
            body["public_metrics"] = dict(self.metrics)
        return body


@dataclass
class Window:
    """A fixed rate-limit window: X's ``x-rate-limit-*`` headers describe one."""

    limit: int
    seconds: int
    used: int = 0
    reset_at: int = 0

    def _roll(self, now: float) -> None:
        if now >= self.reset_at:
            self.used, self.reset_at = 0, int(now) + self.seconds

    def take(self, now: float) -> bool:
        self._roll(now)
        if self.used >= self.limit:
            return False
        self.used += 1
        return True

    def headers(self, now: float, prefix: str = "x-rate-limit") -> dict[str, str]:
        self._roll(now)
        return {
            f"{prefix}-limit": str(self.limit),
            f"{prefix}-remaining": str(max(0, self.limit - self.used)),
            f"{prefix}-reset": str(self.reset_at),
        }


@dataclass
class Config:
    latency_ms: int = 0
    fail_rate: float = 0.0  # share of API calls answered 503, before anything is applied
    lost_rate: float = 0.0  # share of POST /2/tweets applied, then the connection dropped
    rate_limit: int = 1_000_000  # POST /2/tweets per user per window
    rate_window: int = 900
    app_limit: int = 0  # POST /2/tweets per app per 24 h; 0: no app-wide cap
    read_limit: int = 1_000_000  # GET requests per user per window
    # X answers 403 "duplicate content" when an account posts the same text twice. Off,
    # a second post is made: a test can then see a duplicate the engine would cause.
    refuse_duplicates: bool = True
    seed: int | None = None
    # OAuth 2.0: the installation's app, as registered on X's developer portal.
    client_id: str = "parvis-test-client"
    client_secret: str = "parvis-test-secret"
    # Media: STATUS answers "in_progress" this many times before "succeeded".
    processing_polls: int = 2
    processing_check_after: int = 1  # seconds, as X's processing_info says
    processing_fails: bool = False  # the next videos end in "failed"
    redirect_uris: str = ""  # comma-separated callback URLs; "": any


@dataclass
class State:
    config: Config = field(default_factory=Config)
    users: dict[str, User] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)  # token -> user id
    revoked: set[str] = field(default_factory=set)
    tweets: dict[str, Tweet] = field(default_factory=dict)
    timelines: dict[str, list[Tweet]] = field(default_factory=dict)  # oldest first
    live_texts: dict[tuple[str, str], str] = field(default_factory=dict)  # (user, text) -> id
    windows: dict[tuple[str, str], Window] = field(default_factory=dict)
    app_window: Window | None = None
    faults: deque[tuple[str, str]] = field(default_factory=deque)  # (fault, path prefix)
    counters: Counter[str] = field(default_factory=Counter)
    next_id: int = _FIRST_ID
    random: random.Random = field(default_factory=random.Random)
    token_expiry: dict[str, float] = field(default_factory=dict)  # access token -> epoch
    token_scopes: dict[str, tuple[str, ...]] = field(default_factory=dict)
    grants: dict[str, Grant] = field(default_factory=dict)  # authorization code -> grant
    refresh_tokens: dict[str, tuple[str, tuple[str, ...]]] = field(default_factory=dict)
    consents: deque[tuple[str, str, str]] = field(default_factory=deque)  # (user, name, answer)
    media: dict[str, Media] = field(default_factory=dict)
    clock_offset: float = 0.0  # /_test/clock moves time forward (token expiry)
    # Every API request as received, for the tests that check them against the spec.
    requests: deque[dict] = field(default_factory=lambda: deque(maxlen=20_000))

    def __post_init__(self) -> None:
        self.random.seed(self.config.seed)
        if self.config.app_limit:
            self.app_window = Window(self.config.app_limit, 24 * 3600)

    # --- Users and tokens ------------------------------------------------------

    def add_user(self, user_id: str, username: str = "", name: str = "") -> User:
        user = self.users.get(user_id)
        if user is None:
            username = username or f"user{user_id}"[:15]
            user = User(user_id, username, name or username)
            self.users[user_id] = user
            self.timelines[user_id] = []
        return user

    def register_token(self, token: str, user_id: str, username: str = "") -> User:
        user = self.add_user(user_id, username)
        self.tokens[token] = user_id
        self.revoked.discard(token)
        return user

    def user_for(self, token: str) -> User | None:
        """The user a Bearer token acts for; ``user-<digits>`` is known at once."""
        if token in self.revoked:
            return None
        if token in self.token_expiry and self.now() >= self.token_expiry[token]:
            return None
        if token in self.tokens:
            return self.users[self.tokens[token]]
        if match := _TOKEN_RE.match(token):
            return self.register_token(token, match[1])
        return None

    async def note_request(self, request) -> None:
        """Keep what a client sent (method, path, query, body) for ``/_test/requests``."""
        body = await request.body()  # Starlette keeps it for the handler
        self.requests.append(
            {
                "method": request.method,
                "path": request.url.path,
                "query": list(request.query_params.multi_items()),
                "content_type": request.headers.get("content-type", ""),
                "body": body.decode("latin-1"),
                "token": request.headers.get("authorization", "").partition(" ")[2],
            }
        )

    # --- Faults and limits -----------------------------------------------------

    def take_fault(self, path: str) -> str:
        """The first fault a test queued for this path (``/_test/faults``), or ""."""
        for index, (fault, prefix) in enumerate(self.faults):
            if path.startswith(prefix):
                del self.faults[index]
                return fault
        return ""

    def window(self, user_id: str, endpoint: str) -> Window:
        key = (user_id, endpoint)
        if key not in self.windows:
            limit = self.config.rate_limit if endpoint == "post" else self.config.read_limit
            self.windows[key] = Window(limit, self.config.rate_window)
        return self.windows[key]

    def now(self) -> float:
        return time.time() + self.clock_offset

    def usage_capped(self, period: str = "Monthly") -> dict:
        return problem(
            429,
            "UsageCapExceeded",
            f"Usage cap exceeded: {period} product cap",
            USAGE_CAPPED,
            period=period,
            scope="Product",
        )

    # --- OAuth 2.0 -------------------------------------------------------------

    def new_secret(self, prefix: str) -> str:
        return prefix + "".join(self.random.choices(_SLUG, k=40))

    def issue_tokens(self, user_id: str, scopes: tuple[str, ...]) -> dict:
        """A fresh access token (two hours) and, with offline.access, a refresh token."""
        access = self.new_secret("at-")
        self.tokens[access] = user_id
        self.token_expiry[access] = self.now() + ACCESS_TOKEN_SECONDS
        self.token_scopes[access] = scopes
        body = {
            "token_type": "bearer",
            "expires_in": ACCESS_TOKEN_SECONDS,
            "access_token": access,
            "scope": " ".join(scopes),
        }
        if "offline.access" in scopes:
            refresh = self.new_secret("rt-")
            self.refresh_tokens[refresh] = (user_id, scopes)
            body["refresh_token"] = refresh
        return body

    def new_media_id(self) -> str:
        self.next_id += self.random.randint(1, 4096)
        return str(self.next_id)

    # --- Posts -----------------------------------------------------------------

    def shown(self, text: str) -> str:
        """The text as X shows it: every link wrapped by t.co, then & < > escaped."""
        parts, position = [], 0
        for url in extract_urls(text):
            slug = "".join(self.random.choices(_SLUG, k=10))
            parts += [text[position : url.start], f"https://t.co/{slug}"]
            position = url.end
        parts.append(text[position:])
        return "".join(parts).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

    def create(
        self,
        user: User,
        text: str,
        in_reply_to_id: str = "",
        quote_id: str = "",
        media_keys: tuple[str, ...] = (),
    ) -> Tweet:
        self.next_id += self.random.randint(1, 4096)
        now = datetime.now(UTC)
        tweet = Tweet(str(self.next_id), user.id, text, self.shown(text), now, in_reply_to_id)
        tweet.quote_id, tweet.media_keys = quote_id, media_keys
        if media_keys:  # X adds the media's own t.co link at the end of the text
            slug = "".join(self.random.choices(_SLUG, k=10))
            tweet.shown = f"{tweet.shown} https://t.co/{slug}".lstrip()
        target = self.tweets.get(in_reply_to_id)
        if target is not None:
            tweet.conversation_id = target.conversation_id or target.id
            tweet.in_reply_to_user_id = target.author_id
            target.metrics["reply_count"] += 1
        if quoted := self.tweets.get(quote_id):
            quoted.metrics["quote_count"] += 1
        user.metrics["tweet_count"] += 1
        self.tweets[tweet.id] = tweet
        self.timelines[user.id].append(tweet)
        self.live_texts[(user.id, text)] = tweet.id
        self.counters["created"] += 1
        return tweet

    def mentions_of(self, user: User) -> list[Tweet]:
        """Others' posts naming @user or answering one of user's posts, newest first."""
        mark = re.compile(rf"[@＠]{re.escape(user.username)}\b", re.IGNORECASE)  # noqa: RUF001
        return [
            t
            for t in reversed(self.tweets.values())
            if t.author_id != user.id
            and not t.deleted
            and (t.in_reply_to_user_id == user.id or mark.search(t.text))
        ]

    def is_duplicate(self, user: User, text: str) -> bool:
        return (user.id, text) in self.live_texts

    def delete(self, tweet: Tweet) -> None:
        tweet.deleted = True
        if self.live_texts.get((tweet.author_id, tweet.text)) == tweet.id:
            del self.live_texts[(tweet.author_id, tweet.text)]

    def stats(self) -> dict:
        per_text = Counter((t.author_id, t.text) for t in self.tweets.values())
        duplicates = [
            {"user": user, "text": text, "count": count}
            for (user, text), count in per_text.items()
            if count > 1
        ]
        per_user = Counter(t.author_id for t in self.tweets.values())
        return {
            "tweets": len(self.tweets),
            "deleted": sum(t.deleted for t in self.tweets.values()),
            "by_user": dict(per_user),
            "duplicates": duplicates,
            "counters": dict(self.counters),
        }
