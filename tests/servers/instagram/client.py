"""The Instagram test server as tests drive it: a running process and its test routes."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx

from parvis.networks.base import ChannelRef
from tests.servers.process import start_server, stop_server

IG_APP_ID = "ig-app-id"
IG_APP_SECRET = "ig-app-secret"


class InstagramServer:
    def __init__(self, process: subprocess.Popen[str], port: int) -> None:
        self.process = process
        self.base_url = f"http://127.0.0.1:{port}"
        self.http = httpx.Client(base_url=self.base_url, timeout=30)

    def add_account(self, username: str, name: str = "") -> dict[str, Any]:
        response = self.http.post("/_test/accounts", json={"username": username, "name": name})
        response.raise_for_status()
        return response.json()

    def channel(self, username: str = "lamiedoree", *, login: str = "facebook") -> ChannelRef:
        """A fresh account and the channel Parvis would hold for it."""
        account = self.add_account(username)
        token = account["page_token"] if login == "facebook" else account["ig_token"]
        return ChannelRef(
            external_id=account["id"], access_token=token, options={"username": username}
        )

    def control(self, **body: Any) -> None:
        self.http.post("/_test/control", json=body).raise_for_status()

    def comment(self, media_id: str, text: str, **values: Any) -> dict[str, Any]:
        response = self.http.post(
            "/_test/comment", json={"media_id": media_id, "text": text, **values}
        )
        response.raise_for_status()
        return response.json()

    def mention(self, account_id: str, caption: str) -> dict[str, Any]:
        body = {"account_id": account_id, "caption": caption}
        return self.http.post("/_test/mention", json=body).json()

    def state(self, account_id: str) -> dict[str, Any]:
        return self.http.get("/_test/state", params={"account": account_id}).json()


@contextmanager
def running_instagram_server(*arguments: str) -> Iterator[InstagramServer]:
    process, port = start_server("tests.servers.instagram", *arguments)
    server = InstagramServer(process, port)
    try:
        yield server
    finally:
        server.http.close()
        stop_server(process)
