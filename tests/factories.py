"""Small factories for the suite: real rows through the real actions."""

from __future__ import annotations

import itertools

from asgiref.sync import async_to_sync

from parvis.accounts.actions import membership_add, organisation_create, workspace_create
from parvis.accounts.models import Membership, Organisation, User, Workspace
from parvis.channels.actions import channel_connect
from parvis.channels.models import Channel
from parvis.networks import registry

_counter = itertools.count(1)
PASSWORD = "correct horse battery staple"


def make_user(email: str | None = None, *, password: str = PASSWORD, **fields) -> User:
    email = email or f"person{next(_counter)}@example.org"
    return User.objects.create_user(email, password, **fields)


def make_organisation(name: str | None = None) -> Organisation:
    return organisation_create(name=name or f"Organisation {next(_counter)}")


def make_workspace(
    name: str | None = None,
    *,
    owner: User | None = None,
    organisation: Organisation | None = None,
    **fields,
) -> Workspace:
    owner = owner or make_user()
    return workspace_create(
        organisation=organisation or make_organisation(),
        name=name or f"Brand {next(_counter)}",
        owner=owner,
        **fields,
    )


def make_member(workspace: Workspace, role: str, user: User | None = None) -> Membership:
    return membership_add(workspace=workspace, user=user or make_user(), role=role)


def make_sandbox_channel(
    workspace: Workspace, key: str = "sandbox_x", name: str = "La Mie Dorée"
) -> Channel:
    """A new Sandbox account, connected to ``workspace`` as a channel."""
    network = registry.get(key)
    (account,) = async_to_sync(network.connect_finish)(
        params={"account_name": name}, state={}, redirect_uri=""
    )
    return channel_connect(workspace=workspace, network_key=key, account=account, acting_user=None)
