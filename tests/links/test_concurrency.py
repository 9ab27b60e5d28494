"""Two workers preparing the same delivery's links at once: one short link, same code."""

from __future__ import annotations

import pytest
from django.db import transaction

from parvis.links import actions
from parvis.links.actions import shortlink_for_post
from parvis.links.models import ShortLink
from parvis.publishing.models import Post
from tests import factories
from tests.concurrency import slowed, twice_at_once


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_the_same_address_made_twice_at_once_is_one_short_link(workspace, monkeypatch):
    channel = factories.make_sandbox_channel(workspace, "sandbox_x")
    post = Post.objects.create(workspace=workspace, text="Galettes")
    # Both look, find nothing, then insert: the second meets the unique constraint.
    monkeypatch.setattr(actions, "new_code", slowed(actions.new_code))
    codes = []

    def make() -> None:
        with transaction.atomic():  # inside a larger transaction, as post_schedule calls it
            link = shortlink_for_post(
                workspace=workspace,
                post_id=post.pk,
                channel_id=channel.pk,
                campaign_id=None,
                original_url="https://lamiedoree.fr/galettes",
                destination="https://lamiedoree.fr/galettes?utm_source=x",
            )
            codes.append(link.code)

    assert twice_at_once(make, refused=RuntimeError) == ["done", "done"]
    assert ShortLink.objects.count() == 1
    assert len(set(codes)) == 1
