"""The Meta test server as tests drive it: a running process and its test routes."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx

from tests.servers.process import start_server, stop_server

APP_ID = "test-app-id"
APP_SECRET = "test-app-secret"


class MetaServer:
    def __init__(self, process: subprocess.Popen[str], port: int) -> None:
        self.process = process
        self.base_url = f"http://127.0.0.1:{port}"
        self.http = httpx.Client(base_url=self.base_url, timeout=30)

    def add_person(self, name: str, pages: list[dict[str, Any]]) -> dict[str, Any]:
        """A person who manages these Pages ({"name", "followers"?}); the next login is theirs."""
        response = self.http.post("/_test/people", json={"name": name, "pages": pages})
        response.raise_for_status()
        return response.json()

    def consent(self, user_id: str, page_ids: list[str] | None = None, deny: bool = False) -> None:
        body = {"user_id": user_id, "page_ids": page_ids, "deny": deny}
        self.http.post("/_test/consent", json=body).raise_for_status()

    def queue(self, *faults: dict[str, Any], path: str = "/") -> None:
        self.http.post("/_test/faults", json={"faults": list(faults), "path": path})

    def usage(self, **body: Any) -> None:
        self.http.post("/_test/usage", json=body).raise_for_status()

    def revoke(self, token: str, subcode: int = 467) -> None:
        body = {"token": token, "subcode": subcode}
        self.http.post("/_test/revoke", json=body).raise_for_status()

    def webhook(self, payload: dict[str, Any], url: str = "", secret: str = "") -> dict[str, Any]:
        body: dict[str, Any] = {"payload": payload, "url": url}
        if secret:
            body["secret"] = secret
        response = self.http.post("/_test/webhook", json=body)
        response.raise_for_status()
        return response.json()

    def requests(self) -> list[dict[str, Any]]:
        return self.http.get("/_test/requests").json()["requests"]

    def get(self, path: str, **params: str) -> dict[str, Any]:
        return self.http.get(path, params=params).json()

    def reset(self) -> None:
        self.http.post("/_test/reset").raise_for_status()


@contextmanager
def running_meta_server() -> Iterator[MetaServer]:
    process, port = start_server(
        "tests.servers.meta", "--app-id", APP_ID, "--app-secret", APP_SECRET
    )
    server = MetaServer(process, port)
    try:
        yield server
    finally:
        server.http.close()
        stop_server(process)
