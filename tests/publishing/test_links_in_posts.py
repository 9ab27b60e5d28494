"""A post's link goes where each network wants it, and counts as each counts it."""

from __future__ import annotations

import pytest

from parvis.engine.runner import run_once
from parvis.links.models import ShortLink
from parvis.networks.sandbox.models import SandboxPost
from parvis.publishing.models import Delivery, Post
from parvis.publishing.outgoing import link_left_out, text_and_link
from tests.publishing.test_compose import compose_url
from tests.publishing.test_delivery import sandbox_channel

pytestmark = pytest.mark.django_db

LINK = "https://lamiedoree.fr/galettes"


def test_each_network_gets_the_link_its_way(workspace):
    x = sandbox_channel(workspace)
    facebook = sandbox_channel(workspace, "sandbox_facebook")
    instagram = sandbox_channel(workspace, "sandbox_instagram")
    assert text_and_link(text="Galettes ! ", link=LINK, channel=x) == (f"Galettes !\n\n{LINK}", "")
    assert text_and_link(text=f"Voir {LINK}", link=LINK, channel=x) == (f"Voir {LINK}", "")
    assert text_and_link(text="Galettes !", link=LINK, channel=facebook) == ("Galettes !", LINK)
    assert text_and_link(text="Galettes !", link=LINK, channel=instagram) == ("Galettes !", "")
    assert link_left_out(link=LINK, channel=instagram)
    assert not link_left_out(link=LINK, channel=x) and not link_left_out(link="", channel=instagram)
    assert text_and_link(text="Sans lien", link="  ", channel=x) == ("Sans lien", "")


def test_a_scheduled_link_goes_out_as_a_card_or_in_the_text(logged_in_client, workspace):
    x, facebook = sandbox_channel(workspace), sandbox_channel(workspace, "sandbox_facebook")
    response = logged_in_client.post(
        compose_url(workspace),
        {
            "text": "Les galettes sont là",
            "link": LINK,
            "channels": [x.pk, facebook.pk],
            "when": "now",
            "action": "schedule",
        },
    )
    assert response.status_code == 302
    post = Post.objects.get()
    assert post.link == LINK
    run_once(Delivery)
    on_x = SandboxPost.objects.get(account__network_key="sandbox_x")
    on_facebook = SandboxPost.objects.get(account__network_key="sandbox_facebook")
    # Each channel sends its own short link (see tests/links), leading to the link with UTM.
    short_x = ShortLink.objects.get(channel=x, original_url=LINK)
    short_facebook = ShortLink.objects.get(channel=facebook, original_url=LINK)
    assert (on_x.text, on_x.link) == (f"Les galettes sont là\n\n{short_x.short_url}", "")
    assert (on_facebook.text, on_facebook.link) == (
        "Les galettes sont là",
        short_facebook.short_url,
    )
    assert short_facebook.destination == f"{LINK}?utm_source=facebook&utm_medium=social"
    page = logged_in_client.get(f"/sandbox/sandbox_facebook/{on_facebook.remote_id}/")
    assert 'data-testid="sandbox-link-card"' in page.content.decode()


def test_the_link_counts_in_x_length_and_a_bad_link_is_explained(logged_in_client, workspace):
    x = sandbox_channel(workspace)
    text = "a" * 260  # fits alone; with the link (23 on X, plus two line breaks) it does not
    response = logged_in_client.post(
        compose_url(workspace),
        {"text": text, "link": LINK, "channels": [x.pk], "when": "now", "action": "schedule"},
    )
    assert response.status_code == 400
    assert "5 characters too long" in response.content.decode()
    response = logged_in_client.post(
        compose_url(workspace),
        {
            "text": "Court",
            "link": "pas un lien",
            "channels": [x.pk],
            "when": "now",
            "action": "schedule",
        },
    )
    page = response.content.decode()
    assert response.status_code == 400 and "Enter a valid URL." in page
    assert "pas un lien" in page and "Court" in page  # nothing typed is lost
    assert not Post.objects.exists()


def test_the_composer_says_instagram_leaves_the_link_out(logged_in_client, workspace):
    instagram = sandbox_channel(workspace, "sandbox_instagram")
    response = logged_in_client.post(
        compose_url(workspace, "compose_check"),
        {"text": "Photo", "link": LINK, "channels": [instagram.pk]},
        headers={"HX-Request": "true"},
    )
    assert "links in captions are not clickable there" in response.content.decode()
