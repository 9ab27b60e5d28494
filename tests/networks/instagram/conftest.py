"""The Instagram test server (tests/servers/instagram) as a process, and connectors
pointed at it that poll containers without waiting."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.utils import translation

from parvis.networks.instagram.accounts import InstagramFacebookLogin, InstagramLogin
from tests.servers.instagram.client import (
    IG_APP_ID,
    IG_APP_SECRET,
    InstagramServer,
    running_instagram_server,
)
from tests.servers.meta.client import APP_ID, APP_SECRET


class Sleeps:
    """Records the waits between container reads instead of sleeping."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


@pytest.fixture(autouse=True)
def _in_english() -> Iterator[None]:
    """Messages are checked in English, whatever an earlier test left active."""
    with translation.override("en"):
        yield


@pytest.fixture(scope="session")
def ig_process() -> Iterator[InstagramServer]:
    with running_instagram_server() as server:
        yield server


@pytest.fixture
def ig_server(ig_process: InstagramServer, settings) -> Iterator[InstagramServer]:
    """The server, with Parvis's Meta and Instagram settings pointing at it."""
    url = ig_process.base_url
    values = {
        "PARVIS_META_APP_ID": APP_ID,
        "PARVIS_META_APP_SECRET": APP_SECRET,
        "PARVIS_META_CONFIG_ID": "",
        "PARVIS_META_WEBHOOK_VERIFY_TOKEN": "verify-me",
        "PARVIS_INSTAGRAM_APP_ID": IG_APP_ID,
        "PARVIS_INSTAGRAM_APP_SECRET": IG_APP_SECRET,
    }
    for name in ("META_GRAPH", "META_DIALOG", "INSTAGRAM_GRAPH", "INSTAGRAM_API"):
        values[f"PARVIS_{name}_URL"] = url
    values["PARVIS_INSTAGRAM_AUTHORIZE_URL"] = url
    for name, value in values.items():
        setattr(settings, name, value)
    yield ig_process
    ig_process.control(config={"quota_total": 100, "video_reads": 3, "fetch_media": False})


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
def instagram(ig_server: InstagramServer, sleeps: Sleeps) -> InstagramFacebookLogin:
    return InstagramFacebookLogin(sleep=sleeps)


@pytest.fixture
def instagram_login(ig_server: InstagramServer, sleeps: Sleeps) -> InstagramLogin:
    return InstagramLogin(sleep=sleeps)
