"""What the Meta test server remembers: the app, people, Pages, tokens, codes, faults.

Everything lives in memory, in one process, on one event loop: no lock is needed.
Error bodies follow the Graph API: ``{"error": {"message", "type", "code",
"error_subcode", "fbtrace_id"}}``; usage comes back in ``X-App-Usage`` and
``X-Business-Use-Case-Usage``.
"""

from __future__ import annotations

import itertools
import json
import secrets
import time
from collections import Counter, deque
from dataclasses import dataclass, field
from typing import Any

SHORT_LIVED_SECONDS = 2 * 3600  # a user token from the login dialog: about 2 hours
LONG_LIVED_SECONDS = 60 * 24 * 3600  # a long-lived user token: about 60 days


def graph_error(
    code: int,
    message: str,
    *,
    kind: str = "OAuthException",
    subcode: int | None = None,
    user_message: str = "",
    transient: bool | None = None,
) -> dict[str, Any]:
    error: dict[str, Any] = {"message": message, "type": kind, "code": code}
    if subcode is not None:
        error["error_subcode"] = subcode
    if user_message:
        error["error_user_msg"] = user_message
    if transient is not None:
        error["is_transient"] = transient
    error["fbtrace_id"] = "A" + secrets.token_urlsafe(15)
    return {"error": error}


# What each code looks like when a test queues it without its own message.
CANNED: dict[int, tuple[str, str, int]] = {  # code -> (type, message, HTTP status)
    1: ("OAuthException", "An unknown error has occurred.", 500),
    2: (
        "OAuthException",
        "An unexpected error has occurred. Please retry your request later.",
        500,
    ),
    4: ("OAuthException", "(#4) Application request limit reached", 403),
    10: ("OAuthException", "(#10) Application does not have permission for this action", 403),
    17: ("OAuthException", "(#17) User request limit reached", 403),
    32: ("OAuthException", "(#32) Page request limit reached", 403),
    100: ("OAuthException", "(#100) Invalid parameter", 400),
    190: ("OAuthException", "Error validating access token", 400),
    200: ("OAuthException", "(#200) Permissions error", 403),
    368: (
        "OAuthException",
        "It looks like you were misusing this feature by going too fast. You've been "
        "blocked from using it.",
        400,
    ),
    506: ("OAuthException", "(#506) Duplicate status message", 400),
    613: ("OAuthException", "(#613) Calls to this api have exceeded the rate limit.", 400),
    80001: (
        "OAuthException",
        "(#80001) There have been too many calls to this Page account. Wait a bit and try again.",
        400,
    ),
}


@dataclass
class Token:
    value: str
    kind: str  # "user" (short-lived), "user_long" or "page"
    user_id: str
    page_id: str = ""
    expires_at: float | None = None  # epoch seconds; None: never
    dead_subcode: int | None = None  # revoked, expired...: the 190 subcode to answer


@dataclass
class Person:
    id: str
    name: str
    page_ids: list[str] = field(default_factory=list)  # the Pages they manage


@dataclass
class Page:
    id: str
    name: str
    category: str = "Bakery"
    followers: int = 0


@dataclass
class Consent:
    """What the login dialog does next: who logs in, which Pages they grant."""

    user_id: str
    page_ids: list[str] | None = None  # None: every Page they manage
    deny: bool = False


@dataclass
class Fault:
    path: str  # a prefix of the API path (without the version), e.g. "/123/feed"
    code: int | None = None  # a Graph error code, or None with ``action``
    subcode: int | None = None
    message: str = ""
    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    action: str = ""  # "drop" (unanswered, not applied) or "lost" (applied, unanswered)


@dataclass
class State:
    app_id: str = "test-app-id"
    app_secret: str = "test-app-secret"
    require_proof: bool = True  # refuse calls without a valid appsecret_proof
    people: dict[str, Person] = field(default_factory=dict)
    pages: dict[str, Page] = field(default_factory=dict)
    tokens: dict[str, Token] = field(default_factory=dict)
    codes: dict[str, dict[str, Any]] = field(default_factory=dict)
    consent: Consent | None = None
    faults: deque[Fault] = field(default_factory=deque)
    # What X-App-Usage and X-Business-Use-Case-Usage say (percentages).
    app_usage: dict[str, int] = field(
        default_factory=lambda: {"call_count": 1, "total_cputime": 1, "total_time": 1}
    )
    page_usage: dict[str, dict[str, int]] = field(default_factory=dict)
    counters: Counter[str] = field(default_factory=Counter)
    requests: list[dict[str, Any]] = field(default_factory=list)  # method, path, params
    # Network-specific content (Facebook posts, comments...) kept by their modules.
    content: dict[str, Any] = field(default_factory=dict)
    _ids: itertools.count = field(default_factory=lambda: itertools.count(100_000_000_001))

    def new_id(self) -> str:
        return str(next(self._ids))

    # --- People, Pages, tokens -------------------------------------------------------

    def add_person(self, name: str, user_id: str = "") -> Person:
        person = Person(user_id or self.new_id(), name)
        self.people[person.id] = person
        self.consent = Consent(person.id)
        return person

    def add_page(self, person: Person, name: str, page_id: str = "", **extra: Any) -> Page:
        page = Page(page_id or self.new_id(), name, **extra)
        self.pages[page.id] = page
        person.page_ids.append(page.id)
        return page

    def issue(
        self, kind: str, user_id: str, page_id: str = "", seconds: int | None = None
    ) -> Token:
        expires = time.time() + seconds if seconds else None
        token = Token("EAA" + secrets.token_urlsafe(32), kind, user_id, page_id, expires)
        self.tokens[token.value] = token
        return token

    def page_token(self, user_token: Token, page_id: str) -> Token:
        """A Page token read with a user token: it never expires when the user token is
        long-lived, and lives as long as the user token otherwise."""
        if user_token.kind == "user_long":
            return self.issue("page", user_token.user_id, page_id)
        seconds = int(user_token.expires_at - time.time()) if user_token.expires_at else None
        return self.issue("page", user_token.user_id, page_id, seconds)

    def token_problem(self, value: str) -> tuple[int | None, str] | None:
        """Why this token cannot be used (subcode, message), or None when it can."""
        token = self.tokens.get(value)
        if token is None:
            return None, "Invalid OAuth access token - Cannot parse access token"
        if token.dead_subcode is not None:
            return token.dead_subcode, "Error validating access token: The session was invalidated."
        if token.expires_at is not None and token.expires_at <= time.time():
            return 463, "Error validating access token: Session has expired."
        return None

    # --- Faults and usage ------------------------------------------------------------

    def take_fault(self, path: str) -> Fault | None:
        for index, fault in enumerate(self.faults):
            if path.startswith(fault.path):
                del self.faults[index]
                return fault
        return None

    def usage_headers(self, page_id: str = "") -> dict[str, str]:
        headers = {"X-App-Usage": json.dumps(self.app_usage)}
        if page_id:
            usage = self.page_usage.get(
                page_id, {"call_count": 1, "total_cputime": 1, "total_time": 1}
            )
            entry = {"type": "pages", "estimated_time_to_regain_access": 0, **usage}
            headers["X-Business-Use-Case-Usage"] = json.dumps({page_id: [entry]})
        return headers
