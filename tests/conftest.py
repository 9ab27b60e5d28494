"""Fixtures shared by the whole suite. Area-specific ones live in each folder's conftest."""

from __future__ import annotations

import pytest

from tests import factories


@pytest.fixture
def user(db):
    return factories.make_user()


@pytest.fixture
def workspace(db, user):
    """A workspace owned by ``user``."""
    return factories.make_workspace("Boulangerie Test", owner=user)


@pytest.fixture
def logged_in_client(client, user):
    client.force_login(user)
    return client
