"""Fixtures shared by the network tests: the Meta test server, as a process."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.servers.meta.client import APP_ID, APP_SECRET, MetaServer, running_meta_server


@pytest.fixture(scope="session")
def meta_process() -> Iterator[MetaServer]:
    with running_meta_server() as server:
        yield server


@pytest.fixture
def meta_server(meta_process: MetaServer, settings) -> Iterator[MetaServer]:
    """The server, empty, with Parvis's Meta settings pointing at it."""
    meta_process.reset()
    settings.PARVIS_META_APP_ID = APP_ID
    settings.PARVIS_META_APP_SECRET = APP_SECRET
    settings.PARVIS_META_GRAPH_URL = meta_process.base_url
    settings.PARVIS_META_DIALOG_URL = meta_process.base_url
    settings.PARVIS_META_CONFIG_ID = "1234567890"
    settings.PARVIS_META_WEBHOOK_VERIFY_TOKEN = "verify-me"
    yield meta_process
