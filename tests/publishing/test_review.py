"""Approvals: contributors submit, approvers approve or ask for changes; the history tells it."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from parvis.accounts.roles import Role
from parvis.engine.runner import run_once
from parvis.notifications.models import Notification
from parvis.publishing import actions
from parvis.publishing.models import Delivery, Post, PostReview
from tests import factories
from tests.publishing.test_delivery import sandbox_channel

pytestmark = pytest.mark.django_db


def url(name, workspace, post=None):
    kwargs = {"workspace": workspace.slug}
    if post is not None:
        kwargs["post_id"] = post.pk
    return reverse(f"publishing:{name}", kwargs=kwargs)


def local(moment, zone="Europe/Paris"):
    """As a person types it in the workspace's zone (the fixture's is Paris)."""
    return timezone.localtime(moment, ZoneInfo(zone)).strftime("%Y-%m-%dT%H:%M")


@pytest.fixture
def team(workspace, user):
    """The owner (an approver), a contributor and an editor; one Sandbox X channel."""
    contributor = factories.make_member(workspace, Role.CONTRIBUTOR).user
    editor = factories.make_member(workspace, Role.EDITOR).user
    return {
        "owner": user,
        "contributor": contributor,
        "editor": editor,
        "channel": sandbox_channel(workspace),
    }


def submit_as_contributor(client, workspace, team, *, at=None):
    client.force_login(team["contributor"])
    data = {
        "text": "Nouvelle fournée de croissants !",
        "channels": [team["channel"].pk],
        "action": "submit",
    }
    data |= {"when": "later", "at": local(at)} if at else {"when": "now"}
    response = client.post(url("compose", workspace), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return Post.objects.get()


def test_a_contributor_submits_and_the_approver_is_told(
    client, workspace, team, django_capture_on_commit_callbacks
):
    at = timezone.now() + timedelta(days=2)
    with django_capture_on_commit_callbacks(execute=True):
        post = submit_as_contributor(client, workspace, team, at=at)
    assert post.status == "in_review" and not Delivery.objects.exists()
    assert post.scheduled_at.replace(second=0, microsecond=0) == at.replace(second=0, microsecond=0)
    told = set(
        Notification.objects.filter(kind="review_requested").values_list(
            "recipient__email", flat=True
        )
    )
    assert told == {team["owner"].email, team["editor"].email}
    assert {m.to[0] for m in mail.outbox} == told
    # The approver sees it waiting, with a count in the navigation.
    client.force_login(team["owner"])
    page = client.get(url("review_queue", workspace)).content.decode()
    assert "Nouvelle fournée" in page and 'data-testid="review-count">1<' in page


def test_approving_schedules_at_the_proposed_time_and_tells_the_author(client, workspace, team):
    at = timezone.now() + timedelta(days=1)
    post = submit_as_contributor(client, workspace, team, at=at)
    client.force_login(team["owner"])
    response = client.post(
        url("post_review", workspace, post),
        {"decision": "approve", "at": local(at), "comment": "Parfait"},
    )
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.status == "scheduled"
    (delivery,) = Delivery.objects.filter(post=post)
    assert delivery.state == "scheduled" and delivery.next_attempt_at == post.scheduled_at
    review = PostReview.objects.get(post=post)
    assert (review.decision, review.comment, review.reviewer) == (
        "approved",
        "Parfait",
        team["owner"],
    )
    note = Notification.objects.get(kind="post_approved")
    assert note.recipient == team["contributor"] and note.body == "Parfait"


def test_changes_requested_need_a_comment_and_go_back_to_the_author(client, workspace, team):
    post = submit_as_contributor(client, workspace, team)
    client.force_login(team["owner"])
    client.post(url("post_review", workspace, post), {"decision": "changes", "comment": ""})
    post.refresh_from_db()
    assert post.status == "in_review"  # refused: no comment
    client.post(
        url("post_review", workspace, post),
        {"decision": "changes", "comment": "Ajoute le prix, s'il te plaît"},
    )
    post.refresh_from_db()
    assert post.status == "changes_requested"
    note = Notification.objects.get(kind="changes_requested")
    assert note.recipient == team["contributor"] and "prix" in note.body
    # The author edits and resubmits; the history shows who did what, with the difference.
    client.force_login(team["contributor"])
    response = client.post(
        url("post_edit", workspace, post),
        {
            "text": "Nouvelle fournée de croissants ! 1,20 € pièce",
            "channels": [team["channel"].pk],
            "when": "now",
            "action": "submit",
        },
    )
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.status == "in_review" and post.text.endswith("1,20 € pièce")
    client.force_login(team["owner"])
    page = client.get(url("post", workspace, post)).content.decode()
    assert "asked for changes" in page and "Ajoute le prix" in page
    assert "<ins>Nouvelle fournée de croissants ! 1,20 € pièce</ins>" in page
    assert "<del>Nouvelle fournée de croissants !</del>" in page
    assert page.count("submitted it for review") == 2


def test_only_approvers_review_and_only_posts_in_review(client, workspace, team):
    post = submit_as_contributor(client, workspace, team)
    response = client.post(url("post_review", workspace, post), {"decision": "approve"})
    assert response.status_code == 403  # the contributor cannot approve
    viewer = factories.make_member(workspace, Role.VIEWER).user
    client.force_login(viewer)
    assert (
        client.post(url("post_review", workspace, post), {"decision": "approve"}).status_code == 403
    )
    actions.post_approve(post=post, acting_user=team["owner"])
    with pytest.raises(actions.PublishingError, match="not awaiting review"):
        actions.post_approve(post=post, acting_user=team["owner"])


def test_a_passed_time_must_be_changed_before_approving(client, workspace, team):
    post = submit_as_contributor(client, workspace, team, at=timezone.now() + timedelta(hours=1))
    Post.objects.filter(pk=post.pk).update(scheduled_at=timezone.now() - timedelta(hours=1))
    post.refresh_from_db()
    with pytest.raises(actions.PublishingError, match="has passed"):
        actions.post_approve(post=post, acting_user=team["owner"])
    later = timezone.now() + timedelta(hours=3)
    actions.post_approve(post=post, acting_user=team["owner"], at=later)
    post.refresh_from_db()
    assert post.status == "scheduled" and post.scheduled_at == later


def test_when_every_post_needs_approval_editors_submit_and_nobody_approves_their_own(
    client, workspace, team
):
    workspace.approval_required = True
    workspace.save(update_fields=["approval_required"])
    client.force_login(team["editor"])
    data = {"text": "Soirée jazz vendredi", "channels": [team["channel"].pk], "when": "now"}
    assert client.post(url("compose", workspace), {**data, "action": "schedule"}).status_code == 403
    client.post(url("compose", workspace), {**data, "action": "submit"})
    post = Post.objects.get()
    assert post.status == "in_review"
    response = client.post(url("post_review", workspace, post), {"decision": "approve"})
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.status == "in_review"  # refused: the author cannot approve
    client.force_login(team["owner"])
    client.post(url("post_review", workspace, post), {"decision": "approve"})
    post.refresh_from_db()
    assert post.status == "scheduled"


def test_editing_an_approved_post_sends_it_back_to_review_when_approval_is_required(
    workspace, team
):
    workspace.approval_required = True
    workspace.save(update_fields=["approval_required"])
    post = actions.post_draft(
        workspace=workspace,
        text="Brunch dimanche",
        channels=[team["channel"]],
        acting_user=team["editor"],
    )
    actions.post_submit(post=post, acting_user=team["editor"])
    actions.post_approve(
        post=post, acting_user=team["owner"], at=timezone.now() + timedelta(days=1)
    )
    editor = workspace.memberships.get(user=team["editor"])
    actions.post_update(
        post=post,
        text="Brunch dimanche, 11 h",
        channels=[team["channel"]],
        scheduled_at=post.scheduled_at,
        acting=editor,
    )
    post.refresh_from_db()
    assert post.status == "in_review" and not post.deliveries.exists()
    # Moving only the time keeps the approval.
    actions.post_approve(post=post, acting_user=team["owner"])
    post.refresh_from_db()
    later = post.scheduled_at + timedelta(hours=2)
    actions.post_update(
        post=post, text=post.text, channels=[team["channel"]], scheduled_at=later, acting=editor
    )
    post.refresh_from_db()
    assert post.status == "scheduled"
    assert post.deliveries.get().next_attempt_at == later


def test_a_post_that_started_going_out_can_no_longer_be_edited(workspace, team):
    post = actions.post_draft(
        workspace=workspace,
        text="Déjà parti",
        channels=[team["channel"]],
        acting_user=team["owner"],
    )
    actions.post_schedule(
        post=post, at=timezone.now(), channels=[team["channel"]], acting_user=team["owner"]
    )
    run_once(Delivery)
    run_once(Delivery)
    post.refresh_from_db()
    assert post.status == "published"
    owner = workspace.memberships.get(user=team["owner"])
    with pytest.raises(actions.PublishingError, match="can no longer be changed"):
        actions.post_update(
            post=post, text="Modifié", channels=[team["channel"]], scheduled_at=None, acting=owner
        )


def test_unscheduling_takes_back_deliveries_that_never_started(client, workspace, team):
    post = actions.post_draft(
        workspace=workspace,
        text="Peut-être plus tard",
        channels=[team["channel"]],
        acting_user=team["owner"],
    )
    actions.post_schedule(
        post=post,
        at=timezone.now() + timedelta(days=3),
        channels=[team["channel"]],
        acting_user=team["owner"],
    )
    client.force_login(team["owner"])
    client.post(url("post_unschedule", workspace, post))
    post.refresh_from_db()
    assert post.status == "draft" and not post.deliveries.exists()


def test_review_pages_speak_french(client, workspace, team):
    post = submit_as_contributor(client, workspace, team)
    owner = team["owner"]
    owner.language = "fr"
    owner.save(update_fields=["language"])
    client.force_login(owner)
    client.cookies.load({"django_language": "fr"})
    page = client.get(url("post", workspace, post)).content.decode()
    assert "Approuver et programmer" in page and "Demander des modifications" in page
