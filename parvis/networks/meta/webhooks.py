"""Meta's webhooks: the subscription handshake and the signature of each delivery.

Handshake (GET): ``hub.mode=subscribe``, ``hub.verify_token`` (the token typed in the
app's settings) and ``hub.challenge``, echoed back when the token matches.
Delivery (POST): ``X-Hub-Signature-256: sha256=<hex>``, HMAC-SHA256 of the raw body
with the app secret, compared in constant time; anything else is refused.
https://developers.facebook.com/docs/graph-api/webhooks/getting-started
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping

from django.conf import settings

SIGNATURE_HEADER = "X-Hub-Signature-256"


def challenge_answer(params: Mapping[str, str], *, verify_token: str | None = None) -> str | None:
    """``hub.challenge`` when the handshake is ours, else None (refuse it)."""
    expected = settings.PARVIS_META_WEBHOOK_VERIFY_TOKEN if verify_token is None else verify_token
    if not expected or params.get("hub.mode") != "subscribe":
        return None
    given = params.get("hub.verify_token", "")
    if not hmac.compare_digest(given.encode(), expected.encode()):
        return None
    return params.get("hub.challenge") or None


def signature(body: bytes, app_secret: str) -> str:
    """The header value Meta sends with ``body``."""
    return "sha256=" + hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()


def _header(headers: Mapping[str, str], name: str) -> str:
    wanted = name.lower()
    for key, value in headers.items():
        if key.lower() == wanted or key.upper() == "HTTP_" + wanted.upper().replace("-", "_"):
            return value
    return ""


def signature_valid(
    headers: Mapping[str, str], body: bytes, *, app_secret: str | None = None
) -> bool:
    """Whether the delivery's ``X-Hub-Signature-256`` is the app secret's over ``body``."""
    secret = settings.PARVIS_META_APP_SECRET if app_secret is None else app_secret
    given = _header(headers, SIGNATURE_HEADER)
    if not secret or not given.startswith("sha256="):
        return False
    return hmac.compare_digest(given.encode(), signature(body, secret).encode())
