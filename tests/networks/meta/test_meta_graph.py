"""The Graph client and OAuth helpers against the Meta test server (a real process)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from asgiref.sync import async_to_sync

from parvis.networks.base import AuthExpired, PermanentError, RateLimited, UnknownOutcome
from parvis.networks.meta import oauth
from parvis.networks.meta.graph import GraphClient, appsecret_proof


def login(meta_server, redirect_uri: str = "https://parvis.test/connect/callback/facebook/"):
    """Follow the login dialog as the browser would; the callback's parameters."""
    url = oauth.authorize_url(redirect_uri=redirect_uri, state="s1", scopes=("pages_show_list",))
    response = httpx.get(url, follow_redirects=False)
    assert response.status_code == 302
    location = response.headers["location"]
    assert location.startswith(redirect_uri)
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}


def user_token(meta_server) -> tuple[GraphClient, str]:
    meta_server.add_person("Ana", [{"name": "Page"}])
    params = login(meta_server)
    client = GraphClient(network="Facebook")
    token = async_to_sync(oauth.exchange_code)(
        client, code=params["code"], redirect_uri="https://parvis.test/connect/callback/facebook/"
    )
    return client, token.access_token


def test_the_dialog_url_uses_the_login_for_business_configuration(meta_server):
    url = oauth.authorize_url(redirect_uri="https://h/cb/", state="s", scopes=("a", "b"))
    query = parse_qs(urlsplit(url).query)
    assert url.startswith(f"{meta_server.base_url}/v24.0/dialog/oauth?")
    assert query["config_id"] == ["1234567890"] and "scope" not in query
    assert query["client_id"] == ["test-app-id"] and query["response_type"] == ["code"]


def test_without_a_configuration_the_dialog_asks_for_scopes(meta_server, settings):
    settings.PARVIS_META_CONFIG_ID = ""
    url = oauth.authorize_url(redirect_uri="https://h/cb/", state="s", scopes=("a", "b"))
    assert parse_qs(urlsplit(url).query)["scope"] == ["a,b"]


def test_code_exchange_long_lived_token_and_page_tokens(meta_server):
    person = meta_server.add_person("Ana", [{"name": "Boulangerie"}, {"name": "Fromagerie"}])
    params = login(meta_server)
    code = oauth.check_state(params=params, state={"state": "s1"}, network="Facebook")
    client = GraphClient(network="Facebook")
    redirect = "https://parvis.test/connect/callback/facebook/"
    short = async_to_sync(oauth.exchange_code)(client, code=code, redirect_uri=redirect)
    assert short.expires_at is not None
    long = async_to_sync(oauth.long_lived)(client, token=short.access_token)
    assert (long.expires_at - short.expires_at).days >= 59
    accounts = async_to_sync(client.get)("me/accounts", token=long.access_token)
    names = {page["name"]: page for page in accounts["data"]}
    assert set(names) == {"Boulangerie", "Fromagerie"}
    page = names["Boulangerie"]
    assert page["id"] == person["pages"][0]["id"]
    me = async_to_sync(client.get)("me", token=page["access_token"])
    assert me == {"id": page["id"], "name": "Boulangerie"}
    # A code is used once; the state must match.
    with pytest.raises(PermanentError):
        async_to_sync(oauth.exchange_code)(client, code=code, redirect_uri=redirect)
    with pytest.raises(PermanentError, match="does not match this connection attempt"):
        oauth.check_state(params=params, state={"state": "other"}, network="Facebook")


def test_every_call_carries_the_appsecret_proof(meta_server):
    client, token = user_token(meta_server)
    async_to_sync(client.get)("me", token=token)
    sent = [r for r in meta_server.requests() if r["path"] == "/me"][-1]
    assert "appsecret_proof" not in sent["params"]  # never logged, but checked by the server
    wrong = GraphClient(network="Facebook", app_secret="not-the-secret")
    with pytest.raises(PermanentError, match="appsecret_proof"):
        async_to_sync(wrong.get)("me", token=token)
    assert len(appsecret_proof(token, "x")) == 64


def test_server_faults_reach_the_contract_errors(meta_server):
    client, token = user_token(meta_server)
    meta_server.queue({"code": 17}, path="/me")
    with pytest.raises(RateLimited):
        async_to_sync(client.get)("me", token=token)
    meta_server.queue({"action": "lost"}, path="/me")
    with pytest.raises(UnknownOutcome):
        async_to_sync(client.call)("GET", "me", token=token, write=True)
    meta_server.revoke(token, subcode=460)
    with pytest.raises(AuthExpired, match="password"):
        async_to_sync(client.get)("me", token=token)
