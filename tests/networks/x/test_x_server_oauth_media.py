"""The X test server's OAuth 2.0, media upload and conversation routes behave as X's docs say."""

from __future__ import annotations

import base64
import secrets
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from tests.networks.x.conftest import XServer
from tests.networks.x.test_x_spec_conformance import check_response
from tests.servers.x.oauth import s256

CALLBACK = "https://parvis.example/connect/callback/x/"
BASIC = "Basic " + base64.b64encode(b"parvis-test-client:parvis-test-secret").decode()


def _authorize(server: XServer, verifier: str, user_id: str) -> str:
    server.consent(user_id, username=f"u{user_id}"[:15])
    params = {
        "response_type": "code",
        "client_id": "parvis-test-client",
        "redirect_uri": CALLBACK,
        "scope": "tweet.read users.read offline.access",
        "state": "st4te",
        "code_challenge": s256(verifier),
        "code_challenge_method": "S256",
    }
    answer = server.http.get("/i/oauth2/authorize", params=params)
    assert answer.status_code == 302
    back = parse_qs(urlsplit(answer.headers["location"]).query)
    assert back["state"] == ["st4te"]
    return back["code"][0]


def _token(server: XServer, auth: str = BASIC, **form: str) -> httpx.Response:
    return server.http.post("/2/oauth2/token", data=form, headers={"Authorization": auth})


def test_a_code_is_exchanged_once_with_the_right_verifier(x_server):
    verifier = secrets.token_urlsafe(48)
    code = _authorize(x_server, verifier, "8100000001")
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": CALLBACK}
    wrong = _token(x_server, **form, code_verifier="not-it")
    assert wrong.status_code == 400 and wrong.json()["error"] == "invalid_request"
    code = _authorize(x_server, verifier, "8100000001")
    form["code"] = code
    assert _token(x_server, "Basic bm9wZTpub3Bl", **form, code_verifier=verifier).status_code == 401
    tokens = _token(x_server, **form, code_verifier=verifier).json()
    assert tokens["expires_in"] == 7200 and tokens["token_type"] == "bearer"
    assert tokens["refresh_token"] and "offline.access" in tokens["scope"].split()
    assert _token(x_server, **form, code_verifier=verifier).status_code == 400  # used once
    me = x_server.http.get(
        "/2/users/me", headers={"Authorization": f"Bearer {tokens['access_token']}"}
    )
    assert me.json()["data"]["id"] == "8100000001"


def test_refresh_tokens_rotate_and_access_tokens_expire_after_two_hours(x_server):
    verifier = secrets.token_urlsafe(48)
    code = _authorize(x_server, verifier, "8100000002")
    first = _token(
        x_server,
        grant_type="authorization_code",
        code=code,
        redirect_uri=CALLBACK,
        code_verifier=verifier,
    ).json()
    second = _token(x_server, grant_type="refresh_token", refresh_token=first["refresh_token"])
    assert second.status_code == 200
    assert second.json()["refresh_token"] != first["refresh_token"]
    again = _token(x_server, grant_type="refresh_token", refresh_token=first["refresh_token"])
    assert again.json() == {
        "error": "invalid_request",
        "error_description": "Value passed for the token was invalid.",
    }
    headers = {"Authorization": f"Bearer {second.json()['access_token']}"}
    assert x_server.http.get("/2/users/me", headers=headers).status_code == 200
    x_server.advance_clock(7201)
    try:
        assert x_server.http.get("/2/users/me", headers=headers).status_code == 401
    finally:
        x_server.advance_clock(-7201)


def test_the_consent_page_refuses_an_unknown_client_and_can_be_denied(x_server):
    params = {
        "response_type": "code",
        "client_id": "someone-else",
        "redirect_uri": CALLBACK,
        "scope": "tweet.read",
        "state": "s",
        "code_challenge": "c",
        "code_challenge_method": "S256",
    }
    assert x_server.http.get("/i/oauth2/authorize", params=params).status_code == 400
    params["client_id"] = "parvis-test-client"
    assert "Authorize app" in x_server.http.get("/i/oauth2/authorize", params=params).text
    x_server.consent("8100000003", answer="deny")
    denied = x_server.http.get("/i/oauth2/authorize", params=params)
    assert "error=access_denied" in denied.headers["location"]


@pytest.mark.parametrize("video", [False, True])
def test_media_upload_in_chunks_with_processing_for_videos(x_server, x_limits, video):
    x_limits.configure(processing_check_after=0)
    channel = x_server.new_channel()
    auth = {"Authorization": f"Bearer {channel.access_token}"}
    http = x_server.http
    payload = secrets.token_bytes(3000)
    init = {
        "media_type": "video/mp4" if video else "image/png",
        "total_bytes": len(payload),
        "media_category": "tweet_video" if video else "tweet_image",
    }
    opened = http.post("/2/media/upload/initialize", json=init, headers=auth)
    check_response("/2/media/upload/initialize", opened, media_meta_quirk=True)
    media_id = opened.json()["data"]["id"]
    for index, start in enumerate(range(0, len(payload), 1000)):
        chunk = payload[start : start + 1000]
        appended = http.post(
            f"/2/media/upload/{media_id}/append",
            data={"segment_index": str(index)},
            files={"media": ("blob", chunk, "application/octet-stream")},
            headers=auth,
        )
        check_response("/2/media/upload/{id}/append", appended, media_meta_quirk=True)
    done = http.post(f"/2/media/upload/{media_id}/finalize", headers=auth)
    check_response("/2/media/upload/{id}/finalize", done, media_meta_quirk=True)
    info = done.json()["data"].get("processing_info")
    tweet = {"text": "avec média", "media": {"media_ids": [media_id]}}
    if video:
        assert info["state"] == "pending"
        assert http.post("/2/tweets", json=tweet, headers=auth).status_code == 400  # not ready
        states = []
        while not states or states[-1] == "in_progress":
            polled = http.get(
                "/2/media/upload", params={"media_id": media_id, "command": "STATUS"}, headers=auth
            )
            check_response("/2/media/upload", polled, media_meta_quirk=True)
            states.append(polled.json()["data"]["processing_info"]["state"])
        assert states == ["in_progress", "in_progress", "succeeded"]
    else:
        assert info is None
    alt = {"id": media_id, "metadata": {"alt_text": {"text": "Un croissant doré"}}}
    described = http.post("/2/media/metadata", json=alt, headers=auth)
    check_response("/2/media/metadata", described)
    assert http.post("/2/tweets", json=tweet, headers=auth).status_code == 201


def test_a_short_upload_is_refused_at_finalize(x_server):
    channel = x_server.new_channel()
    auth = {"Authorization": f"Bearer {channel.access_token}"}
    init = {"media_type": "image/jpeg", "total_bytes": 10}
    media_id = x_server.http.post("/2/media/upload/initialize", json=init, headers=auth).json()[
        "data"
    ]["id"]
    done = x_server.http.post(f"/2/media/upload/{media_id}/finalize", headers=auth)
    assert done.status_code == 400 and "File size mismatch" in done.text


def test_mentions_hidden_replies_and_public_metrics(x_server):
    brand = x_server.new_channel(username="brandmention")
    fan = x_server.new_channel(username="fan")
    auth = {"Authorization": f"Bearer {brand.access_token}"}
    http = x_server.http
    post = x_server.post_as(brand, "Nouveau pain !")
    reply = x_server.post_as(fan, "Il est bon", reply_to=post)
    mention = x_server.post_as(fan, "Merci @brandmention")
    path = f"/2/users/{brand.external_id}/mentions"
    params = {"expansions": "author_id", "tweet.fields": "in_reply_to_user_id,created_at"}
    found = http.get(path, params=params, headers=auth)
    check_response("/2/users/{id}/mentions", found)
    assert [t["id"] for t in found.json()["data"]] == [mention, reply]
    assert found.json()["includes"]["users"][0]["username"] == "fan"
    newer = http.get(path, params={"since_id": mention}, headers=auth).json()
    assert newer == {"meta": {"result_count": 0}}

    hidden = http.put(f"/2/tweets/{reply}/hidden", json={"hidden": True}, headers=auth)
    check_response("/2/tweets/{tweet_id}/hidden", hidden)
    assert hidden.json() == {"data": {"hidden": True}}
    refused = http.put(f"/2/tweets/{mention}/hidden", json={"hidden": True}, headers=auth)
    check_response("/2/tweets/{tweet_id}/hidden", refused)
    assert refused.status_code == 403

    x_server.set_metrics(tweet=post, like_count=4, impression_count=120)
    x_server.set_metrics(user=brand.external_id, followers_count=42)
    looked = http.get(
        "/2/tweets", params={"ids": f"{post},1", "tweet.fields": "public_metrics"}, headers=auth
    )
    check_response("/2/tweets", looked)
    (tweet,) = looked.json()["data"]
    assert tweet["public_metrics"]["like_count"] == 4
    assert tweet["public_metrics"]["reply_count"] == 1
    assert looked.json()["errors"][0]["resource_id"] == "1"
    me = http.get("/2/users/me", params={"user.fields": "public_metrics"}, headers=auth)
    check_response("/2/users/me", me)
    assert me.json()["data"]["public_metrics"]["followers_count"] == 42


def test_a_usage_cap_is_x_documented_problem(x_server):
    channel = x_server.new_channel()
    x_server.queue("usage-capped", path="/2/tweets")
    capped = x_server.http.post(
        "/2/tweets",
        json={"text": "plafond"},
        headers={"Authorization": f"Bearer {channel.access_token}"},
    )
    check_response("/2/tweets", capped)
    assert capped.status_code == 429
    assert capped.json()["type"] == "https://api.twitter.com/2/problems/usage-capped"
