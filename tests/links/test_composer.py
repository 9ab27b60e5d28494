"""The composer shows the link-tracking choices, keeps them, and they reach what is sent."""

from __future__ import annotations

import pytest
from django.urls import reverse

from parvis.links.models import ShortLink
from parvis.publishing.models import Delivery, Post
from tests import factories

pytestmark = pytest.mark.django_db

SHOP = "https://lamiedoree.fr/galettes"


def _compose(client, workspace, channel, **fields):
    data = {
        "text": f"Galettes : {SHOP}",
        "channels": [channel.pk],
        "when": "now",
        "action": "schedule",
        "link_tracking_shown": "on",
        **fields,
    }
    url = reverse("publishing:compose", kwargs={"workspace": workspace.slug})
    return client.post(url, data)


def test_the_composer_offers_the_choices(logged_in_client, workspace):
    page = logged_in_client.get(reverse("publishing:compose", kwargs={"workspace": workspace.slug}))
    html = page.content.decode()
    assert 'data-testid="link-tracking"' in html
    assert 'name="shorten_links"' in html and 'value="social"' in html


def test_custom_utm_values_go_out(logged_in_client, workspace):
    x = factories.make_sandbox_channel(workspace, "sandbox_x")
    answer = _compose(
        logged_in_client,
        workspace,
        x,
        shorten_links="on",
        utm_enabled="on",
        utm_medium="organic",
        utm_campaign="hiver",
    )
    assert answer.status_code == 302
    post = Post.objects.get()
    assert (post.utm_medium, post.utm_campaign, post.shorten_links) == ("organic", "hiver", True)
    link = ShortLink.objects.get()
    assert link.destination == f"{SHOP}?utm_source=x&utm_medium=organic&utm_campaign=hiver"
    assert Delivery.objects.get().text == f"Galettes : {link.short_url}"


def test_unticked_boxes_send_the_address_as_written(logged_in_client, workspace):
    x = factories.make_sandbox_channel(workspace, "sandbox_x")
    assert _compose(logged_in_client, workspace, x).status_code == 302
    assert Delivery.objects.get().text == f"Galettes : {SHOP}"
    assert not ShortLink.objects.exists()
