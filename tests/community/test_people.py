"""People from the inbox's authors: met lazily, summarised, scored, merged and separated."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from parvis.community import people
from parvis.community.models import Handle, Person, PersonNote
from parvis.community.scoring import engagement_score
from parvis.community.selectors import PeopleFilters, people_of
from parvis.core.audit import AuditEvent
from parvis.inbox.threads import Author, Message

pytestmark = pytest.mark.django_db


def person_of(workspace, external_id: str) -> Person:
    return Handle.objects.get(workspace=workspace, author__external_id=external_id).person


def test_every_author_becomes_one_person_once(workspace, stored):
    assert not Person.objects.exists()  # ingestion is left alone: people are met lazily
    assert people.people_sync(workspace=workspace) == 3
    assert people.people_sync(workspace=workspace) == 0
    lea = person_of(workspace, "sbx-lea")
    assert lea.name == "Léa Fontaine"
    assert lea.message_count == 2 and lea.handles.count() == 1
    assert lea.first_seen_at < lea.last_seen_at


def test_the_score_follows_the_documented_formula():
    now = timezone.now()
    assert engagement_score(last_seen_at=None, recent_messages=0, answered=0, now=now) == 0
    top = engagement_score(last_seen_at=now, recent_messages=10, answered=5, now=now)
    assert top == 100
    half = engagement_score(
        last_seen_at=now - timedelta(days=45), recent_messages=5, answered=0, now=now
    )
    assert half == 40  # 40 x 0.5 + 40 x 0.5
    gone = engagement_score(
        last_seen_at=now - timedelta(days=200), recent_messages=0, answered=0, now=now
    )
    assert gone == 0


def test_an_answer_from_the_brand_raises_the_score(workspace, stored, facebook):
    people.people_sync(workspace=workspace)
    before = person_of(workspace, "sbx-lea").score
    theirs = Message.objects.get(remote_id="c1")
    Message.objects.create(
        workspace=workspace,
        conversation=theirs.conversation,
        channel=facebook,
        remote_id="out1",
        kind="comment",
        direction="out",
        text="Merci !",
        created_at=timezone.now(),
        parent=theirs,
    )
    people.people_refresh(workspace=workspace)
    lea = person_of(workspace, "sbx-lea")
    assert lea.answered_count == 1 and lea.score == before + 4  # 20 x 1/5


def test_top_fans_come_first_and_filters_narrow(workspace, stored):
    people.people_sync(workspace=workspace)
    everyone = list(people_of(workspace=workspace, filters=PeopleFilters()))
    assert everyone[-1].name == "Marc Petit"  # seen a month ago, once
    found = people_of(workspace=workspace, filters=PeopleFilters(q="lea_fx"))
    assert [p.name for p in found] == ["Léa F."]
    on_x = people_of(workspace=workspace, filters=PeopleFilters(network="sandbox_x"))
    assert [p.name for p in on_x] == ["Léa F."]
    recent = people_of(workspace=workspace, filters=PeopleFilters(seen_days=7))
    assert "Marc Petit" not in [p.name for p in recent]


def test_merging_makes_one_person_and_separating_undoes_it(workspace, stored, user):
    people.people_sync(workspace=workspace)
    facebook_lea, x_lea = person_of(workspace, "sbx-lea"), person_of(workspace, "x-lea")
    people.person_set_tags(person=x_lea, raw="ambassador", acting_user=user)
    people.person_note_add(person=x_lea, text="Vue au salon", acting_user=user)
    kept = people.people_merge(workspace=workspace, people=[facebook_lea, x_lea], acting_user=user)
    assert kept.pk == facebook_lea.pk and not Person.objects.filter(pk=x_lea.pk).exists()
    assert kept.handles.count() == 2 and kept.message_count == 3
    assert [t.name for t in kept.tags.all()] == ["ambassador"]
    assert PersonNote.objects.get().person == kept
    assert AuditEvent.objects.filter(verb="community.merged").exists()

    handle = kept.handles.get(author__external_id="x-lea")
    alone = people.handle_separate(handle=handle, acting_user=user)
    assert alone.name == "Léa F." and alone.message_count == 1
    kept.refresh_from_db()
    assert kept.message_count == 2
    with pytest.raises(people.CommunityError, match="only handle"):
        people.handle_separate(handle=alone.handles.get(), acting_user=user)


def test_merging_needs_two_people_of_the_workspace(workspace, stored, user):
    people.people_sync(workspace=workspace)
    lea = person_of(workspace, "sbx-lea")
    with pytest.raises(people.CommunityError, match="at least two"):
        people.people_merge(workspace=workspace, people=[lea, lea], acting_user=user)


def test_tags_are_free_and_lowercase(workspace, stored, user):
    people.people_sync(workspace=workspace)
    lea = person_of(workspace, "sbx-lea")
    tags = people.person_set_tags(person=lea, raw="Customer, fan du pain, ,", acting_user=user)
    assert [t.name for t in tags] == ["customer", "fan du pain"]


def test_a_new_message_makes_the_summary_stale(workspace, stored, facebook):
    from parvis.inbox.ingesting import messages_store
    from tests.community.conftest import said

    people.community_freshen(workspace=workspace)
    messages_store(channel=facebook, interactions=[said("c9", hours_ago=0.1)])
    people.community_freshen(workspace=workspace)
    assert person_of(workspace, "sbx-lea").message_count == 3
    assert Author.objects.count() == Person.objects.count() == 3
