"""Secrets at rest: a model field that stores text encrypted with Fernet.

Keys come from settings.PARVIS_ENCRYPTION_KEYS (the first encrypts, all
decrypt), so a key can be rotated: add the new key first, run
`parvis rotate_keys`, then drop the old one.
"""

from __future__ import annotations

import base64
import hashlib
from functools import cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import models


def _fernet_for(secret: str) -> Fernet:
    # A Fernet key is 32 url-safe base64 bytes; accept any secret by hashing it.
    digest = hashlib.sha256(("parvis-encryption:" + secret).encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


@cache
def _keyring(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([_fernet_for(key) for key in keys])


def keyring() -> MultiFernet:
    return _keyring(tuple(settings.PARVIS_ENCRYPTION_KEYS))


def encrypt(plain: str) -> str:
    return keyring().encrypt(plain.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return keyring().decrypt(token.encode()).decode()
    except InvalidToken as error:
        raise ValueError("This secret cannot be decrypted with the configured keys.") from error


def rotate(token: str) -> str:
    """Re-encrypt with the first key."""
    return keyring().rotate(token.encode()).decode()


class EncryptedTextField(models.TextField):
    """Text encrypted at rest. The Python value is the plain text; never log it."""

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> str | None:
        if value is None or value == "":
            return value
        return decrypt(value)

    def get_prep_value(self, value: Any) -> Any:
        if value is None or value == "":
            return value
        return encrypt(str(value))
