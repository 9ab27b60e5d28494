"""Connecting Facebook Pages: Login for Business, one channel per Page granted."""

from __future__ import annotations

import pytest
from asgiref.sync import async_to_sync

from parvis.networks.base import AuthExpired, PermanentError
from parvis.networks.meta.graph import appsecret_proof
from tests.networks.facebook.conftest import REDIRECT, consent_params


def test_without_the_meta_app_facebook_says_what_to_set(facebook, settings):
    settings.PARVIS_META_APP_ID = ""
    assert "PARVIS_META_APP_ID" in str(facebook.setup_problem())
    settings.PARVIS_META_APP_ID, settings.PARVIS_META_APP_SECRET = "id", "secret"
    assert facebook.setup_problem() == ""


def test_each_granted_page_becomes_an_account_with_a_page_token(meta_server, facebook):
    person = meta_server.add_person(
        "Ana", [{"name": "Boulangerie"}, {"name": "Fromagerie"}, {"name": "Private"}]
    )
    granted = [p["id"] for p in person["pages"][:2]]
    meta_server.consent(person["id"], granted)
    start = facebook.connect_start(redirect_uri=REDIRECT)
    assert "config_id=1234567890" in start.authorize_url
    accounts = async_to_sync(facebook.connect_finish)(
        params=consent_params(start.authorize_url), state=start.state, redirect_uri=REDIRECT
    )
    assert [(a.external_id, a.name) for a in accounts] == [
        (granted[0], "Boulangerie"),
        (granted[1], "Fromagerie"),
    ]
    assert all(a.access_token and a.expires_at is None for a in accounts)
    # Each Page sends its comments to the app's webhook from now on.
    for account in accounts:
        assert account.options["webhooks"] == "feed"
        apps = meta_server.get(
            f"/v24.0/{account.external_id}/subscribed_apps",
            access_token=account.access_token,
            appsecret_proof=appsecret_proof(account.access_token, "test-app-secret"),
        )
        assert apps["data"][0]["subscribed_fields"] == ["feed"]


def test_a_page_that_cannot_subscribe_to_webhooks_is_still_connected(meta_server, facebook):
    person = meta_server.add_person("Ana", [{"name": "Boulangerie"}])
    page_id = person["pages"][0]["id"]
    meta_server.queue({"code": 200}, path=f"/{page_id}/subscribed_apps")
    start = facebook.connect_start(redirect_uri=REDIRECT)
    (account,) = async_to_sync(facebook.connect_finish)(
        params=consent_params(start.authorize_url), state=start.state, redirect_uri=REDIRECT
    )
    assert account.name == "Boulangerie" and "webhooks" not in account.options


def test_granting_no_page_is_explained(meta_server, facebook):
    person = meta_server.add_person("Ana", [{"name": "Boulangerie"}])
    meta_server.consent(person["id"], [])
    start = facebook.connect_start(redirect_uri=REDIRECT)
    with pytest.raises(PermanentError, match="choose at least one Page"):
        async_to_sync(facebook.connect_finish)(
            params=consent_params(start.authorize_url), state=start.state, redirect_uri=REDIRECT
        )


def test_health_and_a_dead_token(page):
    page.call("check_health", page.channel)
    page.server.revoke(page.channel.access_token, subcode=460)
    with pytest.raises(AuthExpired, match="password of the Facebook account"):
        page.call("check_health", page.channel)
