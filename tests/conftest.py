"""Fixtures shared by the whole suite. Area-specific ones live in each folder's conftest."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import connection
from django.utils import translation

from parvis.networks import registry
from parvis.networks.meta.graph import forget_holds
from parvis.publishing import holding
from tests import factories


def pytest_collection_modifyitems(config, items):
    """Browser tests run last: Playwright's sync API leaves an event loop in the
    main thread, where the engine's ``async_to_sync`` cannot run afterwards.
    Tests marked postgres_only are skipped when the suite runs on SQLite."""
    items.sort(key=lambda item: "tests/browser/" in str(item.fspath))
    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (scripts/run-tests runs the suite on it)")
    for item in items:
        if "postgres_only" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _no_rate_limit_holds() -> Iterator[None]:
    """Rate-limit holds live in the worker's memory: each test starts and ends without
    (the engine's, and the Meta client's from usage headers)."""
    holding.forget()
    forget_holds()
    yield
    holding.forget()
    forget_holds()


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    """Each test starts in the default language, whatever a request in French left active."""
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path) -> None:
    """Uploaded and Sandbox media go to the test's own folder, never to var/."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def user(db):
    return factories.make_user()


@pytest.fixture
def workspace(db, user):
    """A workspace owned by ``user``; its team writes in English (French is tested apart)."""
    return factories.make_workspace(
        "Boulangerie Test", owner=user, language="en", time_zone="Europe/Paris"
    )


@pytest.fixture
def logged_in_client(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def x_registered(settings, monkeypatch) -> None:
    """The registry rebuilt in this process, so the test's settings apply to X."""
    monkeypatch.setattr(registry, "_networks", {})
    monkeypatch.setattr(registry, "_preview_keys", set())
    monkeypatch.setattr(registry, "_loaded", False)
