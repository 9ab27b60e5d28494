"""The X test server (tests/servers/x) as a real process, shared by these tests."""

from __future__ import annotations

import itertools
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from parvis.networks.base import ChannelRef
from tests.servers.process import start_server as start_process

REPO = Path(__file__).resolve().parents[3]
_user_ids = itertools.count(7_000_000_001)


class XServer:
    """A running ``python -m tests.servers.x`` and its test routes."""

    def __init__(self, process: subprocess.Popen[str], port: int) -> None:
        self.process = process
        self.base_url = f"http://127.0.0.1:{port}"
        # Generous: on a busy machine the server validates every answer against the spec.
        self.http = httpx.Client(base_url=self.base_url, timeout=30)

    def new_channel(self, username: str = "") -> ChannelRef:
        """A fresh account with its own token, so tests never see each other's posts."""
        user_id = str(next(_user_ids))
        token = f"user-{user_id}"
        self.http.post(
            "/_test/tokens", json={"token": token, "user_id": user_id, "username": username}
        ).raise_for_status()
        options = {"username": username} if username else {}
        return ChannelRef(external_id=user_id, access_token=token, options=options)

    def queue(self, *faults: str, path: str = "/2/") -> None:
        self.http.post("/_test/faults", json={"faults": list(faults), "path": path})

    def configure(self, **settings: object) -> None:
        self.http.post("/_test/config", json=settings).raise_for_status()

    def revoke(self, token: str) -> None:
        self.http.post("/_test/revoke", json={"token": token}).raise_for_status()

    def tweets(self, user: str, text: str | None = None) -> list[dict]:
        params = {"user": user} | ({"text": text} if text is not None else {})
        return self.http.get("/_test/tweets", params=params).json()["tweets"]

    def stats(self) -> dict:
        return self.http.get("/_test/stats").json()

    def consent(self, user_id: str, username: str = "", answer: str = "approve") -> None:
        """The person who comes to the consent page next, and what they answer."""
        body = {"user_id": user_id, "username": username, "answer": answer}
        self.http.post("/_test/consent", json=body).raise_for_status()

    def advance_clock(self, seconds: float) -> None:
        self.http.post("/_test/clock", json={"advance": seconds}).raise_for_status()

    def set_metrics(self, *, tweet: str = "", user: str = "", **metrics: int) -> None:
        body = {"tweet": tweet, "user": user, "metrics": metrics}
        self.http.post("/_test/metrics", json=body).raise_for_status()

    def post_as(self, channel: ChannelRef, text: str, reply_to: str = "") -> str:
        """Another account posts (a mention, a reply): the new post's id."""
        body: dict = {"text": text}
        if reply_to:
            body["reply"] = {"in_reply_to_tweet_id": reply_to}
        headers = {"Authorization": f"Bearer {channel.access_token}"}
        response = self.http.post("/2/tweets", json=body, headers=headers)
        response.raise_for_status()
        return response.json()["data"]["id"]


def start_server(*arguments: str) -> tuple[subprocess.Popen[str], int]:
    return start_process("tests.servers.x", *arguments)


@pytest.fixture(scope="session")
def x_server() -> Iterator[XServer]:
    process, port = start_server("--latency-ms", "0", "--seed", "7")
    server = XServer(process, port)
    try:
        yield server
    finally:
        server.http.close()
        process.kill()
        process.wait(timeout=10)


@pytest.fixture
def x_limits(x_server: XServer) -> Iterator[XServer]:
    """The server with its default limits back after the test, whatever it changed."""
    yield x_server
    x_server.configure(
        rate_limit=1_000_000,
        rate_window=900,
        app_limit=0,
        fail_rate=0.0,
        lost_rate=0.0,
        refuse_duplicates=True,
        processing_polls=2,
        processing_check_after=1,
        processing_fails=False,
        redirect_uris="",
    )


@pytest.fixture
def x_app(x_server: XServer, settings) -> XServer:
    """This installation's X app is set up, and X is the test server."""
    settings.PARVIS_X_CLIENT_ID = "parvis-test-client"
    settings.PARVIS_X_CLIENT_SECRET = "parvis-test-secret"
    settings.PARVIS_X_AUTHORIZE_URL = f"{x_server.base_url}/i/oauth2/authorize"
    settings.PARVIS_X_API_BASE_URL = x_server.base_url
    return x_server
