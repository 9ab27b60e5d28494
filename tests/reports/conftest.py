"""The demo workspace, loaded once per test that needs real Sandbox figures."""

from __future__ import annotations

import pytest

from parvis.accounts.models import User, Workspace
from parvis.web.demo import demo_load


@pytest.fixture
def demo(db, settings, tmp_path) -> Workspace:
    settings.DATA_DIR = tmp_path
    login = demo_load()
    return Workspace.objects.get(slug=login.workspace_slug)


@pytest.fixture
def demo_owner(demo) -> User:
    return User.objects.get(memberships__workspace=demo, memberships__role="owner")
