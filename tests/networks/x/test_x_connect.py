"""Connecting an X account (OAuth 2.0 with PKCE) and renewing its tokens."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from asgiref.sync import async_to_sync
from django.utils import timezone

from parvis.networks.base import AuthExpired, ChannelRef, PermanentError, Tokens, TransientError
from parvis.networks.x.network import X
from parvis.networks.x.oauth import SCOPES, code_challenge
from tests.networks.x.conftest import XServer

CALLBACK = "https://parvis.example/connect/callback/x/"


def _consent(server: XServer, start_url: str) -> dict[str, str]:
    """The browser's trip to X's consent page: the query X sends back."""
    answer = server.http.get(start_url.removeprefix(server.base_url))
    assert answer.status_code == 302, answer.text
    return {k: v[0] for k, v in parse_qs(urlsplit(answer.headers["location"]).query).items()}


def connect(network: X, server: XServer, user_id: str, username: str):
    start = network.connect_start(redirect_uri=CALLBACK)
    server.consent(user_id, username=username)
    params = _consent(server, start.authorize_url)
    finish = async_to_sync(network.connect_finish)
    return finish(params=params, state=start.state, redirect_uri=CALLBACK)


def test_setup_problem_names_the_missing_settings(settings):
    settings.PARVIS_X_CLIENT_ID = ""
    assert "PARVIS_X_CLIENT_ID" in str(X().setup_problem())
    settings.PARVIS_X_CLIENT_ID = "abc"
    assert X().setup_problem() == ""


def test_connect_start_asks_for_pkce_s256_and_the_scopes(x_app):
    start = X().connect_start(redirect_uri=CALLBACK)
    query = {k: v[0] for k, v in parse_qs(urlsplit(start.authorize_url).query).items()}
    assert start.authorize_url.startswith(f"{x_app.base_url}/i/oauth2/authorize?")
    assert query["code_challenge_method"] == "S256"
    assert query["code_challenge"] == code_challenge(start.state["code_verifier"])
    assert 43 <= len(start.state["code_verifier"]) <= 128
    assert query["state"] == start.state["state"] and query["redirect_uri"] == CALLBACK
    assert set(query["scope"].split()) == set(SCOPES)
    assert {"tweet.read", "tweet.write", "users.read", "offline.access", "media.write"} <= set(
        SCOPES
    )


def test_connect_finish_gives_one_account_with_a_refresh_token(x_app):
    before = timezone.now()
    (account,) = connect(X(), x_app, "8200000001", "lamiedoree")
    assert (account.external_id, account.handle) == ("8200000001", "lamiedoree")
    assert account.options == {"username": "lamiedoree"}
    assert account.access_token and account.refresh_token
    assert before + timedelta(hours=2) <= account.expires_at <= timezone.now() + timedelta(hours=2)
    assert "offline.access" in account.scopes
    channel = ChannelRef(account.external_id, account.access_token, account.options)
    async_to_sync(X().check_health)(channel)


def test_a_callback_with_another_state_is_refused(x_app):
    network = X()
    start = network.connect_start(redirect_uri=CALLBACK)
    x_app.consent("8200000002")
    params = _consent(x_app, start.authorize_url) | {"state": "forged"}
    with pytest.raises(PermanentError, match="does not match"):
        async_to_sync(network.connect_finish)(
            params=params, state=start.state, redirect_uri=CALLBACK
        )


def test_a_wrong_verifier_or_a_spent_code_is_refused_clearly(x_app):
    network = X()
    start = network.connect_start(redirect_uri=CALLBACK)
    x_app.consent("8200000003")
    params = _consent(x_app, start.authorize_url)
    wrong = start.state | {"code_verifier": "x" * 64}
    with pytest.raises(PermanentError, match="connect again"):
        async_to_sync(network.connect_finish)(params=params, state=wrong, redirect_uri=CALLBACK)


def test_wrong_app_credentials_are_the_administrators_to_fix(x_app, settings):
    settings.PARVIS_X_CLIENT_SECRET = "not-the-secret"
    with pytest.raises(PermanentError, match="PARVIS_X_CLIENT_SECRET"):
        connect(X(), x_app, "8200000004", "mauvais")


def test_refresh_is_due_in_the_last_fifteen_minutes():
    now = timezone.now()
    network = X()
    assert not network.refresh_due(
        Tokens("a", "r", expires_at=now + timedelta(minutes=16)), now=now
    )
    assert network.refresh_due(Tokens("a", "r", expires_at=now + timedelta(minutes=14)), now=now)
    assert not network.refresh_due(Tokens("a", "r"), now=now)
    assert network.renews_tokens


def test_refresh_keeps_the_newest_refresh_token_and_a_spent_one_is_auth_expired(x_app):
    network = X()
    (account,) = connect(network, x_app, "8200000005", "renouvelle")
    channel = ChannelRef(account.external_id, account.access_token)
    old = Tokens(account.access_token, account.refresh_token, account.expires_at)
    renewed = async_to_sync(network.refresh_tokens)(channel, old)
    assert renewed.refresh_token and renewed.refresh_token != old.refresh_token
    assert renewed.access_token != old.access_token
    assert renewed.expires_at > timezone.now() + timedelta(minutes=119)
    async_to_sync(network.check_health)(ChannelRef(account.external_id, renewed.access_token))
    with pytest.raises(AuthExpired, match="reconnect the channel") as caught:
        async_to_sync(network.refresh_tokens)(channel, old)
    assert "Value passed for the token was invalid" in caught.value.detail
    again = async_to_sync(network.refresh_tokens)(channel, renewed)
    assert again.refresh_token not in (old.refresh_token, renewed.refresh_token)


def test_an_expired_access_token_is_auth_expired_then_renewed(x_app):
    network = X()
    (account,) = connect(network, x_app, "8200000006", "expire")
    channel = ChannelRef(account.external_id, account.access_token)
    x_app.advance_clock(7201)
    try:
        with pytest.raises(AuthExpired):
            async_to_sync(network.check_health)(channel)
        tokens = Tokens(account.access_token, account.refresh_token, account.expires_at)
        renewed = async_to_sync(network.refresh_tokens)(channel, tokens)
        async_to_sync(network.check_health)(ChannelRef(account.external_id, renewed.access_token))
    finally:
        x_app.advance_clock(-7201)


def test_no_refresh_token_is_auth_expired_and_x_down_is_transient(x_app):
    network = X()
    channel = ChannelRef("1", "t")
    with pytest.raises(AuthExpired, match=r"offline\.access"):
        async_to_sync(network.refresh_tokens)(channel, Tokens("t"))
    x_app.queue("503", path="/2/oauth2/token")
    with pytest.raises(TransientError):
        async_to_sync(network.refresh_tokens)(channel, Tokens("t", "rt-whatever"))
