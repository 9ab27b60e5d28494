from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import connection

from parvis.channels.models import Channel, Credential
from parvis.core import crypto


def test_encrypt_round_trip_and_randomised():
    token = "EAAG-secret-token"
    first, second = crypto.encrypt(token), crypto.encrypt(token)
    assert first != second
    assert token not in first
    assert crypto.decrypt(first) == token


def test_rotation_keeps_old_secrets_readable(settings):
    settings.PARVIS_ENCRYPTION_KEYS = ["old-key"]
    old = crypto.encrypt("refresh-me")
    settings.PARVIS_ENCRYPTION_KEYS = ["new-key", "old-key"]
    assert crypto.decrypt(old) == "refresh-me"
    rotated = crypto.rotate(old)
    settings.PARVIS_ENCRYPTION_KEYS = ["new-key"]
    assert crypto.decrypt(rotated) == "refresh-me"
    with pytest.raises(ValueError, match="cannot be decrypted"):
        crypto.decrypt(old)


@pytest.mark.django_db
def test_tokens_are_encrypted_in_the_database(workspace):
    channel = Channel.objects.create(
        workspace=workspace, network="sandbox_x", external_id="1", name="X"
    )
    Credential.objects.create(channel=channel, access_token="plain-access", refresh_token="plain-r")
    with connection.cursor() as cursor:
        cursor.execute("SELECT access_token, refresh_token FROM channels_credential")
        stored = cursor.fetchone()
    assert "plain-access" not in stored[0] and "plain-r" not in stored[1]
    credential = Credential.objects.get(channel=channel)
    assert credential.access_token == "plain-access"
    assert credential.refresh_token == "plain-r"


@pytest.mark.django_db
def test_rotate_keys_command_re_encrypts_with_the_new_key(workspace, settings):
    settings.PARVIS_ENCRYPTION_KEYS = ["old-key"]
    channel = Channel.objects.create(
        workspace=workspace, network="sandbox_x", external_id="2", name="X"
    )
    Credential.objects.create(channel=channel, access_token="tok", refresh_token="")
    settings.PARVIS_ENCRYPTION_KEYS = ["new-key", "old-key"]
    output = io.StringIO()
    call_command("rotate_keys", stdout=output)
    assert "Re-encrypted 1 row(s)" in output.getvalue()
    settings.PARVIS_ENCRYPTION_KEYS = ["new-key"]
    credential = Credential.objects.get(channel=channel)
    assert credential.access_token == "tok"
    assert credential.refresh_token == ""
