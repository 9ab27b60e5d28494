"""Public, expiring media addresses: what Instagram fetches a post's files from."""

from __future__ import annotations

import time
from unittest import mock

import pytest

from parvis.publishing.media import media_items
from parvis.publishing.public_media import public_media_url
from tests.publishing.media_files import image_bytes
from tests.publishing.test_media_library import make_asset

pytestmark = pytest.mark.django_db


@pytest.fixture
def photo(workspace, user):
    return make_asset(workspace, user, "brioche.jpg", image_bytes(1080, 1350))


def test_the_address_serves_the_file_without_a_login(client, photo, settings):
    settings.PARVIS_BASE_URL = "https://parvis.example.org"
    address = public_media_url(photo)
    assert address.startswith("https://parvis.example.org/media/public/")
    response = client.get(address.removeprefix("https://parvis.example.org"))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert b"".join(response.streaming_content) == photo.file.open("rb").read()


def test_a_forged_or_altered_address_is_refused(client, photo):
    path = public_media_url(photo).split("127.0.0.1:8000", 1)[-1]
    assert client.get(path[:-3] + "xx/").status_code == 404
    assert client.get("/media/public/eyJhc3NldCI6MX0:abc:def/").status_code == 404


def test_the_address_expires(client, photo, settings):
    settings.PARVIS_PUBLIC_MEDIA_HOURS = 2
    path = public_media_url(photo).removeprefix(settings.PARVIS_BASE_URL)
    assert client.get(path).status_code == 200
    later = time.time() + 2 * 3600 + 60
    with mock.patch("django.core.signing.time.time", return_value=later):
        assert client.get(path).status_code == 404


def test_deliveries_give_networks_the_public_address(photo):
    (item,) = media_items([photo], public_urls=True)
    assert item.url.startswith("http") and "/media/public/" in item.url
    assert item.path == photo.file.path  # local networks still read the file
    (plain,) = media_items([photo])
    assert plain.url == ""
