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
    )
