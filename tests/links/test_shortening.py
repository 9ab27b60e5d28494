"""Deliveries send short links: one per post x channel x address, made once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from parvis.engine.runner import run_once
from parvis.links.actions import shortlink_for_post
from parvis.links.models import ShortLink
from parvis.networks.sandbox.models import SandboxPost
from parvis.publishing.actions import post_schedule
from parvis.publishing.link_tracking import LinkTracking, post_set_link_tracking
from parvis.publishing.models import Delivery, Post
from tests import factories

pytestmark = pytest.mark.django_db

SHOP = "https://lamiedoree.fr/galettes"
BREAD = "https://lamiedoree.fr/pain"
HOME = "https://boutique.example.org/"


def _post(workspace, channels, text=f"Galettes : {SHOP} et pain : {BREAD}", link=""):
    post = Post.objects.create(workspace=workspace, text=text, link=link)
    post.channels.set(channels)
    return post


def test_each_channel_sends_its_own_short_links_with_its_utm(workspace):
    x = factories.make_sandbox_channel(workspace, "sandbox_x")
    facebook = factories.make_sandbox_channel(workspace, "sandbox_facebook")
    post = _post(workspace, [x, facebook], link=HOME)
    at = timezone.now()
    post_schedule(post=post, at=at, channels=[x, facebook], acting_user=None)
    links = {(link.channel_id, link.original_url): link for link in ShortLink.objects.all()}
    assert len(links) == 6  # two addresses in the text and the link, on two channels
    on_x = Delivery.objects.get(channel=x)
    x_shop, x_bread, x_home = (links[x.pk, u] for u in (SHOP, BREAD, HOME))
    assert on_x.text == (
        f"Galettes : {x_shop.short_url} et pain : {x_bread.short_url}\n\n{x_home.short_url}"
    )
    assert x_shop.destination == f"{SHOP}?utm_source=x&utm_medium=social"
    on_facebook = Delivery.objects.get(channel=facebook)
    fb_home = links[facebook.pk, HOME]
    assert on_facebook.link == fb_home.short_url  # sent apart, as a card
    assert fb_home.destination == f"{HOME}?utm_source=facebook&utm_medium=social"
    assert {link.post_id for link in links.values()} == {post.pk}


def test_scheduling_again_or_retrying_reuses_the_short_links(workspace):
    x = factories.make_sandbox_channel(workspace, "sandbox_x")
    post = _post(workspace, [x])
    post_schedule(post=post, at=timezone.now(), channels=[x], acting_user=None)
    first = Delivery.objects.get().text
    codes = set(ShortLink.objects.values_list("code", flat=True))
    post_schedule(post=post, at=timezone.now() + timedelta(hours=1), channels=[x], acting_user=None)
    assert Delivery.objects.get().text == first
    assert set(ShortLink.objects.values_list("code", flat=True)) == codes
    again = shortlink_for_post(
        workspace=workspace,
        post_id=post.pk,
        channel_id=x.pk,
        campaign_id=None,
        original_url=SHOP,
        destination=f"{SHOP}?utm_source=x",
    )
    assert again.code in codes and again.destination == f"{SHOP}?utm_source=x"
    assert ShortLink.objects.count() == 2


def test_a_changed_utm_choice_reaches_a_scheduled_delivery_with_the_same_code(workspace):
    x = factories.make_sandbox_channel(workspace, "sandbox_x")
    post = _post(workspace, [x], text=f"Galettes : {SHOP}")
    post_schedule(post=post, at=timezone.now(), channels=[x], acting_user=None)
    post.refresh_from_db()
    code = ShortLink.objects.get().code
    post_set_link_tracking(post=post, tracking=LinkTracking(utm_campaign="hiver"), acting_user=None)
    link = ShortLink.objects.get()
    assert (link.code, link.destination) == (
        code,
        f"{SHOP}?utm_source=x&utm_medium=social&utm_campaign=hiver",
    )


def test_what_goes_out_is_the_short_link_and_it_leads_to_the_address(client, workspace):
    x = factories.make_sandbox_channel(workspace, "sandbox_x")
    post = _post(workspace, [x], text=f"Galettes : {SHOP}")
    post_schedule(post=post, at=timezone.now(), channels=[x], acting_user=None)
    run_once(Delivery)
    link = ShortLink.objects.get()
    assert SandboxPost.objects.get().text == f"Galettes : {link.short_url}"
    response = client.get(f"/l/{link.code}", HTTP_USER_AGENT="Mozilla/5.0 (iPhone)")
    assert response.status_code == 302
    assert response["Location"] == f"{SHOP}?utm_source=x&utm_medium=social"


def test_thread_parts_send_short_links_too(workspace):
    x = factories.make_sandbox_channel(workspace, "sandbox_x")
    post = _post(workspace, [x], text=f"Galettes : {SHOP}")
    post.thread_parts = [f"Et le pain : {BREAD}"]
    post.save(update_fields=["thread_parts"])
    post_schedule(post=post, at=timezone.now(), channels=[x], acting_user=None)
    part = Delivery.objects.get(position=1)
    bread = ShortLink.objects.get(original_url=BREAD)
    assert part.text == f"Et le pain : {bread.short_url}"


def test_a_text_the_short_links_would_push_over_the_limit_goes_as_written(workspace):
    instagram = factories.make_sandbox_channel(workspace, "sandbox_instagram")
    text = "a" * (2_200 - len(" https://a.fr")) + " https://a.fr"  # exactly Instagram's limit
    post = _post(workspace, [instagram], text=text)
    post_schedule(post=post, at=timezone.now(), channels=[instagram], acting_user=None)
    assert Delivery.objects.get().text == text
