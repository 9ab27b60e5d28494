"""Facebook on Parvis's channel pages: not set up, refused consent, reconnecting."""

from __future__ import annotations

import pytest

from parvis.channels.models import Channel, ChannelStatus
from tests.networks.facebook.conftest import connect_page, through_consent

pytestmark = pytest.mark.django_db


def test_without_the_meta_app_facebook_is_greyed_with_what_to_set(
    logged_in_client, workspace, settings
):
    settings.PARVIS_META_APP_ID = ""
    settings.PARVIS_META_APP_SECRET = ""
    page = logged_in_client.get(f"/w/{workspace.slug}/channels/connect/").content.decode()
    card = page[page.index('data-network="facebook"') :][:800]
    assert "Not set up" in card and "PARVIS_META_APP_ID and PARVIS_META_APP_SECRET" in card
    refused = logged_in_client.get(f"/w/{workspace.slug}/channels/connect/facebook/", follow=True)
    assert "PARVIS_META_APP_ID" in refused.content.decode()


def test_a_refused_consent_connects_nothing_and_says_so(logged_in_client, workspace, meta_server):
    person = meta_server.add_person("Ana", [{"name": "Boulangerie"}])
    meta_server.consent(person["id"], deny=True)
    start = logged_in_client.get(f"/w/{workspace.slug}/channels/connect/facebook/")
    page = through_consent(logged_in_client, start)
    assert "Facebook did not grant access (Permissions error). Nothing was connected." in page
    assert not Channel.objects.filter(network="facebook").exists()


def test_reconnecting_a_page_whose_token_died_restores_it(logged_in_client, workspace, meta_server):
    channel = connect_page(logged_in_client, workspace, meta_server)
    old_token = channel.credential.access_token
    meta_server.revoke(old_token, subcode=460)
    logged_in_client.post(f"/w/{workspace.slug}/channels/{channel.pk}/check/")
    channel.refresh_from_db()
    assert channel.status == ChannelStatus.NEEDS_RECONNECT
    assert "password of the Facebook account that connected it was changed" in (
        channel.status_reason
    )
    start = logged_in_client.post(f"/w/{workspace.slug}/channels/{channel.pk}/reconnect/")
    assert "Connected: Boulangerie Test." in through_consent(logged_in_client, start)
    channel = Channel.objects.get(pk=channel.pk)
    assert channel.status == ChannelStatus.HEALTHY
    assert channel.credential.access_token != old_token
    assert Channel.objects.filter(network="facebook").count() == 1
