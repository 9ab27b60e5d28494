from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from parvis.accounts.roles import Role
from parvis.publishing.actions import PublishingError, post_draft
from parvis.publishing.models import Delivery, Post
from parvis.strategy.actions import campaign_create
from tests import factories
from tests.publishing.test_delivery import sandbox_channel

pytestmark = pytest.mark.django_db


def compose_url(workspace, name="compose"):
    return reverse(f"publishing:{name}", kwargs={"workspace": workspace.slug})


def test_schedule_in_the_workspace_time_zone(logged_in_client, workspace):
    x, facebook = sandbox_channel(workspace), sandbox_channel(workspace, "sandbox_facebook")
    next_year = timezone.now().year + 1
    response = logged_in_client.post(
        compose_url(workspace),
        {
            "text": "Galette des rois 👑",
            "channels": [x.pk, facebook.pk],
            "when": "later",
            "at": f"{next_year}-01-06T09:00",
            "action": "schedule",
        },
    )
    assert response.status_code == 302
    post = Post.objects.get()
    # 9:00 in Paris in January is 8:00 UTC.
    assert post.scheduled_at == datetime(next_year, 1, 6, 8, 0, tzinfo=UTC)
    assert Delivery.objects.filter(post=post, state="scheduled").count() == 2


def test_each_network_rule_is_explained_and_nothing_is_lost(logged_in_client, workspace):
    instagram, x = sandbox_channel(workspace, "sandbox_instagram"), sandbox_channel(workspace)
    text = "a" * 300
    response = logged_in_client.post(
        compose_url(workspace),
        {"text": text, "channels": [instagram.pk, x.pk], "when": "now", "action": "schedule"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "image or a video" in page and "20 characters too long for Sandbox · X" in page
    assert text in page  # the text is kept
    assert not Post.objects.exists()


def test_live_checks_count_as_each_network_does(logged_in_client, workspace):
    x = sandbox_channel(workspace)
    response = logged_in_client.post(
        compose_url(workspace, "compose_check"),
        {"text": "Lien https://example.org/" + "x" * 100, "channels": [x.pk]},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "28 / 280" in response.content.decode()  # "Lien " + a URL counted as 23


def test_a_moment_in_the_past_is_refused(logged_in_client, workspace):
    x = sandbox_channel(workspace)
    yesterday = (timezone.localtime(timezone.now() - timedelta(days=1))).strftime("%Y-%m-%dT%H:%M")
    response = logged_in_client.post(
        compose_url(workspace),
        {
            "text": "Hier",
            "channels": [x.pk],
            "when": "later",
            "at": yesterday,
            "action": "schedule",
        },
    )
    assert response.status_code == 400 and b"has passed" in response.content


def test_publish_now_goes_out_with_the_worker(logged_in_client, workspace):
    from parvis.engine.runner import run_once

    x = sandbox_channel(workspace)
    logged_in_client.post(
        compose_url(workspace),
        {"text": "Tout de suite", "channels": [x.pk], "when": "now", "action": "schedule"},
    )
    run_once(Delivery)
    run_once(Delivery)
    delivery = Delivery.objects.get()
    assert delivery.state == "published" and delivery.url


def test_a_contributor_saves_drafts_but_cannot_schedule(client, workspace):
    contributor = factories.make_member(workspace, Role.CONTRIBUTOR)
    x = sandbox_channel(workspace)
    client.force_login(contributor.user)
    page = client.get(compose_url(workspace))
    assert b'value="schedule"' not in page.content
    data = {"text": "Idée", "channels": [x.pk], "when": "now"}
    assert client.post(compose_url(workspace), {**data, "action": "schedule"}).status_code == 403
    client.post(compose_url(workspace), {**data, "action": "draft"})
    assert Post.objects.get().status == "draft" and not Delivery.objects.exists()


def test_a_viewer_cannot_compose(client, workspace):
    viewer = factories.make_member(workspace, Role.VIEWER)
    client.force_login(viewer.user)
    assert client.get(compose_url(workspace)).status_code == 403


def test_same_named_pages_are_told_apart_by_their_network(logged_in_client, workspace):
    sandbox_channel(workspace, "sandbox_facebook"), sandbox_channel(workspace)
    page = logged_in_client.get(compose_url(workspace)).content.decode()
    assert "La Mie Dorée · Sandbox · Facebook Page" in page
    assert "La Mie Dorée · Sandbox · X" in page


def test_what_is_typed_is_kept_as_a_draft_and_becomes_the_post(logged_in_client, workspace):
    x = sandbox_channel(workspace)
    autosave = compose_url(workspace, "compose_autosave")
    nothing = logged_in_client.post(autosave, {"text": "  ", "channels": [x.pk]})
    assert nothing.status_code == 200 and not Post.objects.exists()  # nothing written yet
    first = logged_in_client.post(autosave, {"text": "Brioche", "channels": [x.pk]})
    draft = Post.objects.get()
    assert (draft.status, draft.text) == ("draft", "Brioche")
    assert f'id="draft-id" value="{draft.pk}"' in first.content.decode()
    logged_in_client.post(autosave, {"text": "Brioche tressée", "draft": draft.pk})
    draft.refresh_from_db()
    assert draft.text == "Brioche tressée" and Post.objects.count() == 1
    # Scheduling it uses that draft: one post, not two.
    response = logged_in_client.post(
        compose_url(workspace),
        {
            "text": "Brioche tressée 🥐",
            "channels": [x.pk],
            "when": "now",
            "action": "schedule",
            "draft": draft.pk,
        },
    )
    assert response.status_code == 302
    post = Post.objects.get()
    assert post.pk == draft.pk and post.status == "scheduled" and post.text.endswith("🥐")


def test_autosave_never_touches_someone_else_s_draft(client, workspace, user):
    x = sandbox_channel(workspace)
    theirs = Post.objects.create(workspace=workspace, text="Le mien", created_by=user)
    editor = factories.make_member(workspace, Role.EDITOR).user
    client.force_login(editor)
    client.post(
        compose_url(workspace, "compose_autosave"),
        {"text": "Autre chose", "channels": [x.pk], "draft": theirs.pk},
    )
    theirs.refresh_from_db()
    assert theirs.text == "Le mien"
    assert Post.objects.filter(created_by=editor, text="Autre chose").count() == 1


def _campaign(workspace, name="Galette", **fields):
    return campaign_create(
        workspace=workspace, name=name, starts_on=date(2027, 1, 1), acting_user=None, **fields
    )


def test_the_composer_puts_the_post_in_a_campaign(logged_in_client, workspace):
    x = sandbox_channel(workspace)
    galette = _campaign(workspace)
    archived = _campaign(workspace, "Ancienne")
    archived.archived = True
    archived.save(update_fields=["archived"])
    page = logged_in_client.get(compose_url(workspace)).content.decode()
    assert f'<option value="{galette.pk}">Galette</option>' in page
    assert "Ancienne" not in page  # archived campaigns are not offered
    response = logged_in_client.post(
        compose_url(workspace),
        {"text": "Fève", "channels": [x.pk], "when": "now", "campaign": galette.pk},
    )
    assert response.status_code == 302
    post = Post.objects.get()
    assert post.campaign == galette
    detail = logged_in_client.get(post.get_absolute_url()).content.decode()
    assert 'data-testid="post-campaign"' in detail and galette.get_absolute_url() in detail


def test_a_campaign_of_another_workspace_or_archived_is_refused(logged_in_client, workspace):
    x = sandbox_channel(workspace)
    foreign = _campaign(factories.make_workspace("Autre"))
    archived = _campaign(workspace, "Ancienne")
    archived.archived = True
    archived.save(update_fields=["archived"])
    for campaign in (foreign, archived):
        response = logged_in_client.post(
            compose_url(workspace),
            {"text": "Fève secrète", "channels": [x.pk], "when": "now", "campaign": campaign.pk},
        )
        assert response.status_code == 400
        page = response.content.decode()
        assert "Choose one of this workspace&#x27;s campaigns." in page
        assert "Fève secrète" in page  # nothing typed is lost
    assert not Post.objects.exists()


def test_the_actions_refuse_a_foreign_campaign(workspace, user):
    with pytest.raises(PublishingError):
        post_draft(
            workspace=workspace,
            text="Fève",
            channels=[],
            acting_user=user,
            campaign=_campaign(factories.make_workspace("Autre")),
        )
    assert not Post.objects.exists()


def test_editing_keeps_an_archived_campaign_and_autosave_follows_the_choice(
    logged_in_client, workspace
):
    x = sandbox_channel(workspace)
    galette, rentree = _campaign(workspace), _campaign(workspace, "Rentrée")
    autosave = compose_url(workspace, "compose_autosave")
    logged_in_client.post(autosave, {"text": "Brioche", "channels": [x.pk], "campaign": galette.pk})
    draft = Post.objects.get()
    assert draft.campaign == galette
    logged_in_client.post(autosave, {"text": "Brioche", "draft": draft.pk, "campaign": rentree.pk})
    draft.refresh_from_db()
    assert draft.campaign == rentree
    rentree.archived = True
    rentree.save(update_fields=["archived"])
    edit = reverse(
        "publishing:post_edit", kwargs={"workspace": workspace.slug, "post_id": draft.pk}
    )
    page = logged_in_client.get(edit).content.decode()
    assert f'<option value="{rentree.pk}" selected>Rentrée</option>' in page
    response = logged_in_client.post(
        edit,
        {"text": "Brioche", "channels": [x.pk], "when": "now", "campaign": "", "action": "save"},
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.campaign is None
