"""The redirect: 302 to the destination, every click counted, no IP address kept."""

from __future__ import annotations

import logging

import pytest

from parvis.links import clicks, redirect
from parvis.links.actions import shortlink_for_post
from parvis.links.models import Click, ShortLink
from parvis.publishing.models import Post
from tests import factories

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) Safari/604.1"
DESTINATION = "https://lamiedoree.fr/galettes?utm_source=x&utm_medium=social"


@pytest.fixture
def link(workspace) -> ShortLink:
    channel = factories.make_sandbox_channel(workspace, "sandbox_x")
    post = Post.objects.create(workspace=workspace, text="Galettes")
    return shortlink_for_post(
        workspace=workspace,
        post_id=post.pk,
        channel_id=channel.pk,
        campaign_id=None,
        original_url="https://lamiedoree.fr/galettes",
        destination=DESTINATION,
    )


def test_a_click_is_redirected_with_302_and_counted(client, link):
    response = client.get(
        f"/l/{link.code}",
        HTTP_USER_AGENT=BROWSER,
        HTTP_REFERER="https://t.co/abc?user=someone",
        REMOTE_ADDR="203.0.113.7",
    )
    assert response.status_code == 302
    assert response["Location"] == DESTINATION
    assert response["Cache-Control"] == "no-store"  # the browser asks again next time
    assert "Set-Cookie" not in response
    click = Click.objects.get()
    assert (click.link, click.workspace_id, click.is_bot) == (link, link.workspace_id, False)
    assert click.referrer_host == "t.co"  # the host only, never the path or query


def test_no_ip_address_is_stored_or_logged(client, link, caplog):
    caplog.set_level(logging.DEBUG)
    client.get(f"/l/{link.code}", HTTP_USER_AGENT=BROWSER, REMOTE_ADDR="203.0.113.7")
    stored = [str(value) for value in Click.objects.values_list().get()]
    assert not any("203.0.113.7" in value for value in stored)
    assert "203.0.113.7" not in caplog.text
    fields = {field.name for field in Click._meta.get_fields()}
    assert not fields & {"ip", "ip_address", "user_agent", "remote_addr"}


@pytest.mark.parametrize(
    "user_agent",
    [
        "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
        "Twitterbot/1.0",
        "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
        "LinkedInBot/1.0",
        "WhatsApp/2.23.20.0",
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "",
    ],
)
def test_link_previews_and_robots_are_flagged_not_counted_as_people(client, link, user_agent):
    response = client.get(f"/l/{link.code}", HTTP_USER_AGENT=user_agent)
    assert response.status_code == 302
    assert Click.objects.get().is_bot


def test_a_head_request_is_a_link_checker(client, link):
    client.head(f"/l/{link.code}", HTTP_USER_AGENT=BROWSER)
    assert Click.objects.get().is_bot


def test_an_unknown_code_says_so_plainly_with_404(client, link):
    response = client.get("/l/nope123", HTTP_USER_AGENT=BROWSER)
    assert response.status_code == 404
    assert "This link does not exist" in response.content.decode()
    assert client.get("/l/../admin", HTTP_USER_AGENT=BROWSER).status_code == 404
    assert not Click.objects.exists()


def test_the_unknown_link_page_speaks_french(client):
    response = client.get("/l/nope123", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 404
    assert "Ce lien n\u2019existe pas" in response.content.decode()


def test_a_changed_destination_is_followed_once_the_cache_expires(client, link, settings):
    client.get(f"/l/{link.code}", HTTP_USER_AGENT=BROWSER)
    ShortLink.objects.filter(pk=link.pk).update(destination="https://lamiedoree.fr/pain")
    assert client.get(f"/l/{link.code}")["Location"] == DESTINATION  # remembered
    redirect.forget_cached()
    assert client.get(f"/l/{link.code}")["Location"] == "https://lamiedoree.fr/pain"


def test_buffered_clicks_are_written_in_one_batch(client, link, settings):
    settings.PARVIS_CLICK_FLUSH_SECONDS = 3600  # only a flush writes them
    settings.PARVIS_CLICK_BATCH = 1000
    for _ in range(5):
        client.get(f"/l/{link.code}", HTTP_USER_AGENT=BROWSER)
    assert Click.objects.count() == 0
    assert clicks.flush() == 5
    assert Click.objects.count() == 5
    assert clicks.flush() == 0
