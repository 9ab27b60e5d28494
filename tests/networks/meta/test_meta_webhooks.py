"""Meta webhooks: the subscription handshake and the delivery signature."""

from __future__ import annotations

import hashlib
import hmac

from parvis.networks.meta.webhooks import challenge_answer, signature_valid

BODY = b'{"object":"page","entry":[]}'


def signed(body: bytes, secret: str = "app-secret") -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def test_the_handshake_echoes_the_challenge_only_with_our_token():
    params = {"hub.mode": "subscribe", "hub.verify_token": "tok", "hub.challenge": "1158201444"}
    assert challenge_answer(params, verify_token="tok") == "1158201444"
    assert challenge_answer({**params, "hub.verify_token": "other"}, verify_token="tok") is None
    assert challenge_answer({**params, "hub.mode": "unsubscribe"}, verify_token="tok") is None
    assert challenge_answer(params, verify_token="") is None  # no token set: refuse all


def test_the_signature_is_the_app_secret_s_hmac_of_the_raw_body():
    headers = {"X-Hub-Signature-256": signed(BODY)}
    assert signature_valid(headers, BODY, app_secret="app-secret")
    assert signature_valid({"x-hub-signature-256": signed(BODY)}, BODY, app_secret="app-secret")
    assert signature_valid(
        {"HTTP_X_HUB_SIGNATURE_256": signed(BODY)}, BODY, app_secret="app-secret"
    )


def test_anything_else_is_refused():
    assert not signature_valid(
        {"X-Hub-Signature-256": signed(BODY)}, BODY + b" ", app_secret="app-secret"
    )
    assert not signature_valid(
        {"X-Hub-Signature-256": signed(BODY, "other")}, BODY, app_secret="app-secret"
    )
    assert not signature_valid({}, BODY, app_secret="app-secret")
    sha1 = "sha1=" + hmac.new(b"app-secret", BODY, hashlib.sha1).hexdigest()
    assert not signature_valid({"X-Hub-Signature": sha1}, BODY, app_secret="app-secret")
    assert not signature_valid({"X-Hub-Signature-256": signed(BODY, "")}, BODY, app_secret="")
