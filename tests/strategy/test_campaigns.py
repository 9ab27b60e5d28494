"""Campaigns: the rules, the pages, who may change them."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.urls import reverse

from parvis.accounts.roles import Role, role_can
from parvis.core.audit import AuditEvent
from parvis.publishing.models import Post, PostStatus
from parvis.strategy.actions import (
    CampaignError,
    campaign_archive,
    campaign_create,
    campaign_update,
)
from parvis.strategy.models import Campaign
from parvis.strategy.selectors import campaigns_with_counts
from tests import factories
from tests.concurrency import slowed, twice_at_once

pytestmark = pytest.mark.django_db


def make_campaign(workspace, name="Galette 2027", **fields) -> Campaign:
    values = {"starts_on": date(2027, 1, 1), "ends_on": date(2027, 1, 31), **fields}
    return campaign_create(workspace=workspace, name=name, acting_user=None, **values)


def url(workspace, name="campaigns", **kwargs) -> str:
    return reverse(f"strategy:{name}", kwargs={"workspace": workspace.slug, **kwargs})


def test_create_writes_an_audit_event_and_trims_the_name(workspace, user):
    campaign = campaign_create(
        workspace=workspace, name="  Rentrée  ", starts_on=date(2027, 9, 1), acting_user=user
    )
    assert campaign.name == "Rentrée" and campaign.ends_on is None and not campaign.archived
    event = AuditEvent.objects.get(verb="campaign.created")
    assert event.workspace_id == workspace.pk and event.actor_id == user.pk


def test_an_end_before_the_start_is_refused(workspace):
    with pytest.raises(CampaignError) as refused:
        make_campaign(workspace, starts_on=date(2027, 2, 1), ends_on=date(2027, 1, 1))
    assert refused.value.field == "ends_on"
    assert not Campaign.objects.exists()


def test_names_are_unique_per_workspace_whatever_the_case(workspace):
    make_campaign(workspace, "Noël")
    with pytest.raises(CampaignError) as refused:
        make_campaign(workspace, "noël")
    assert refused.value.field == "name"
    make_campaign(factories.make_workspace("Autre"), "Noël")  # another workspace may
    other = make_campaign(workspace, "Pâques")
    with pytest.raises(CampaignError):
        campaign_update(
            campaign=other,
            name="NOËL",
            starts_on=other.starts_on,
            ends_on=None,
            description="",
            colour="#000000",
            acting_user=None,
        )


def test_archive_and_bring_back(workspace, user):
    campaign = make_campaign(workspace)
    campaign_archive(campaign=campaign, acting_user=user)
    campaign_archive(campaign=campaign, acting_user=user)  # already archived: no second event
    campaign.refresh_from_db()
    assert campaign.archived
    campaign_archive(campaign=campaign, archived=False, acting_user=user)
    campaign.refresh_from_db()
    assert not campaign.archived
    verbs = list(
        AuditEvent.objects.filter(verb__startswith="campaign.")
        .order_by("id")
        .values_list("verb", flat=True)
    )
    assert verbs == ["campaign.created", "campaign.archived", "campaign.unarchived"]


def test_the_list_shows_post_counts_and_dates(logged_in_client, workspace):
    campaign = make_campaign(workspace)
    make_campaign(workspace, "Vide", starts_on=date(2027, 3, 1), ends_on=None)
    for day in (5, 6, 7):
        Post.objects.create(
            workspace=workspace,
            text=f"Galette {day}",
            campaign=campaign,
            scheduled_at=datetime(2027, 1, day, 9, tzinfo=UTC),
        )
    counts = {c.name: c.post_count for c in campaigns_with_counts(workspace=workspace)}
    assert counts == {"Galette 2027": 3, "Vide": 0}
    page = logged_in_client.get(url(workspace)).content.decode()
    assert "Galette 2027" in page and "Vide" in page
    assert '<td class="text-end" data-testid="campaign-post-count">3</td>' in page
    assert "from March 1, 2027" in page  # no end date


def test_the_campaign_page_lists_its_posts_with_status_and_link(logged_in_client, workspace):
    campaign = make_campaign(workspace)
    post = Post.objects.create(
        workspace=workspace, text="Fève d'or", campaign=campaign, status=PostStatus.SCHEDULED
    )
    Post.objects.create(workspace=workspace, text="Hors campagne")
    page = logged_in_client.get(url(workspace, "campaign", campaign_id=campaign.pk))
    text = page.content.decode()
    assert "Fève d&#x27;or" in text and "Hors campagne" not in text
    assert post.get_absolute_url() in text and "Scheduled" in text


def test_the_form_refuses_an_end_before_the_start_and_keeps_what_was_typed(
    logged_in_client, workspace
):
    response = logged_in_client.post(
        url(workspace, "campaign_new"),
        {
            "name": "Soldes d'été",
            "description": "Tout à -30 %",
            "colour": "#ff8800",
            "starts_on": "2027-07-31",
            "ends_on": "2027-07-01",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "The campaign cannot end before it starts." in page
    assert "Tout à -30 %" in page and 'value="#ff8800"' in page
    assert not Campaign.objects.exists()


def test_the_form_refuses_a_duplicate_name_on_its_field(logged_in_client, workspace):
    make_campaign(workspace, "Noël")
    response = logged_in_client.post(
        url(workspace, "campaign_new"),
        {"name": "NOËL", "colour": "#ff8800", "starts_on": "2027-12-01"},
    )
    assert response.status_code == 400
    assert "A campaign called “NOËL” already exists" in response.content.decode()
    assert Campaign.objects.count() == 1


def test_the_form_creates_then_edits(logged_in_client, workspace):
    response = logged_in_client.post(
        url(workspace, "campaign_new"),
        {"name": "Noël", "colour": "#aa0000", "starts_on": "2027-12-01", "ends_on": ""},
    )
    campaign = Campaign.objects.get()
    assert response.status_code == 302 and response.url == campaign.get_absolute_url()
    edit = url(workspace, "campaign_edit", campaign_id=campaign.pk)
    assert 'value="Noël"' in logged_in_client.get(edit).content.decode()
    logged_in_client.post(
        edit,
        {"name": "Noël 2027", "colour": "#00aa00", "starts_on": "2027-12-01", "ends_on": ""},
    )
    campaign.refresh_from_db()
    assert (campaign.name, campaign.colour) == ("Noël 2027", "#00aa00")


def test_a_bad_colour_is_explained(logged_in_client, workspace):
    response = logged_in_client.post(
        url(workspace, "campaign_new"),
        {"name": "Noël", "colour": "red", "starts_on": "2027-12-01"},
    )
    assert response.status_code == 400
    assert "Choose a colour such as #6f42c1." in response.content.decode()


@pytest.mark.parametrize(
    ("role", "manages"),
    [
        (Role.OWNER, True),
        (Role.ADMIN, True),
        (Role.EDITOR, True),
        (Role.CONTRIBUTOR, False),
        (Role.VIEWER, False),
    ],
)
def test_editors_and_above_manage_campaigns_everyone_reads(client, workspace, role, manages):
    assert role_can(role, "campaign.manage") is manages
    campaign = make_campaign(workspace)
    member = factories.make_member(workspace, role).user
    client.force_login(member)
    assert client.get(url(workspace)).status_code == 200
    assert client.get(url(workspace, "campaign", campaign_id=campaign.pk)).status_code == 200
    assert client.get(url(workspace, "campaign_new")).status_code == (200 if manages else 403)
    archive = client.post(url(workspace, "campaign_archive", campaign_id=campaign.pk))
    assert archive.status_code == (302 if manages else 403)
    campaign.refresh_from_db()
    assert campaign.archived is manages


@pytest.mark.django_db(transaction=True)
def test_two_people_saving_the_same_name_at_once_get_a_message_not_an_error(workspace, monkeypatch):
    """Each save checks the name, then (slowed down here) writes it: the second waits
    for the first and is told the name is taken, on SQLite and on PostgreSQL."""
    from parvis.strategy import actions

    monkeypatch.setattr(actions, "_check", slowed(actions._check))
    outcomes = twice_at_once(
        lambda: campaign_create(
            workspace=workspace, name="Noël", starts_on=date(2026, 12, 1), acting_user=None
        ),
        CampaignError,
    )
    assert outcomes == ["A campaign called “Noël” already exists in this workspace.", "done"]
    assert Campaign.objects.filter(workspace=workspace).count() == 1
