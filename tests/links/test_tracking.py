"""UTM rules: added per network, kept when already written, turned off per post."""

from __future__ import annotations

from datetime import date

import pytest

from parvis.links.models import ShortLink
from parvis.links.tracking import Tracking, addresses_in, replace_addresses, with_utm
from parvis.publishing.actions import post_schedule
from parvis.publishing.link_tracking import LinkTracking, post_set_link_tracking
from parvis.publishing.models import Delivery, Post
from parvis.publishing.outgoing import tracking_for, utm_source_of
from parvis.strategy.actions import campaign_create
from tests import factories

pytestmark = pytest.mark.django_db

SHOP = "https://lamiedoree.fr/galettes"


def test_utm_values_are_appended_and_written_ones_are_kept():
    utm = {"utm_source": "x", "utm_medium": "social", "utm_campaign": "noel"}
    assert with_utm(SHOP, utm) == f"{SHOP}?utm_source=x&utm_medium=social&utm_campaign=noel"
    kept = with_utm(f"{SHOP}?ref=42&utm_source=newsletter#bas", utm)
    assert kept == f"{SHOP}?ref=42&utm_source=newsletter&utm_medium=social&utm_campaign=noel#bas"
    assert with_utm(SHOP, {}) == SHOP


def test_addresses_are_found_in_text_without_the_sentence_punctuation():
    text = f"Nos galettes ({SHOP}). Et aussi https://lamiedoree.fr/pain, {SHOP}!"
    assert addresses_in(text) == [SHOP, "https://lamiedoree.fr/pain"]
    replaced = replace_addresses(text, {SHOP: "https://p.io/a", "https://lamiedoree.fr/pain": "B"})
    assert replaced == "Nos galettes (https://p.io/a). Et aussi B, https://p.io/a!"


def test_source_is_the_network_a_sandbox_channel_imitates(workspace):
    assert utm_source_of(factories.make_sandbox_channel(workspace, "sandbox_x")) == "x"
    facebook = factories.make_sandbox_channel(workspace, "sandbox_facebook")
    assert utm_source_of(facebook) == "facebook"
    instagram = factories.make_sandbox_channel(workspace, "sandbox_instagram")
    assert utm_source_of(instagram) == "instagram"


def test_campaign_is_the_slug_of_the_posts_campaign_and_none_without(workspace):
    channel = factories.make_sandbox_channel(workspace, "sandbox_facebook")
    post = Post.objects.create(workspace=workspace, text="Sans campagne")
    assert tracking_for(post=post, channel=channel) == Tracking("facebook", "social", "", True)
    post.campaign = campaign_create(
        workspace=workspace, name="Fête des Rois 2027", starts_on=date(2027, 1, 1), acting_user=None
    )
    expected = Tracking("facebook", "social", "fete-des-rois-2027", True)
    assert tracking_for(post=post, channel=channel) == expected


def test_the_composer_values_replace_the_automatic_ones_or_turn_them_off(workspace):
    channel = factories.make_sandbox_channel(workspace, "sandbox_x")
    post = Post.objects.create(workspace=workspace, text=f"Galettes {SHOP}")
    choice = LinkTracking(utm_source="twitter", utm_medium="organic", utm_campaign="hiver")
    assert post_set_link_tracking(post=post, tracking=choice, acting_user=None)
    assert tracking_for(post=post, channel=channel) == Tracking("twitter", "organic", "hiver", True)
    off = LinkTracking(shorten_links=False, utm_enabled=False)
    post_set_link_tracking(post=post, tracking=off, acting_user=None)
    assert tracking_for(post=post, channel=channel) == Tracking(shorten=False)
    (delivery,) = post_schedule(post=post, at=post.created_at, channels=[channel], acting_user=None)
    assert Delivery.objects.get(pk=delivery.pk).text == f"Galettes {SHOP}"
    assert not ShortLink.objects.exists()


def test_utm_without_shortening_puts_the_parameters_in_the_address(workspace):
    channel = factories.make_sandbox_channel(workspace, "sandbox_x")
    post = Post.objects.create(workspace=workspace, text=f"Galettes {SHOP}")
    post_set_link_tracking(post=post, tracking=LinkTracking(shorten_links=False), acting_user=None)
    (delivery,) = post_schedule(post=post, at=post.created_at, channels=[channel], acting_user=None)
    delivery.refresh_from_db()
    assert delivery.text == f"Galettes {SHOP}?utm_source=x&utm_medium=social"
