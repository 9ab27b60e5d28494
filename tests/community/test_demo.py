"""The demo's community: people met in the inbox, one merged across networks, tagged."""

from __future__ import annotations

import pytest
from django.db.models import Count

from parvis.accounts.models import Workspace
from parvis.community.models import Person, Segment
from parvis.inbox.threads import Author
from parvis.web.demo import demo_load


@pytest.mark.django_db
def test_the_demo_has_people_one_merged_tagged_and_a_segment(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    login = demo_load()
    workspace = Workspace.objects.get(slug=login.workspace_slug)
    people = Person.objects.in_workspace(workspace)
    merged = people.annotate(n=Count("handles")).filter(n__gt=1).get()  # met on 2 or 3 networks
    assert people.count() == Author.objects.in_workspace(workspace).count() - (merged.n - 1)
    assert len({h.author.network for h in merged.handles.all()}) == merged.n
    assert people.filter(tags__name="ambassador").count() == 2
    assert Segment.objects.get(workspace=workspace).query["tag"] == "ambassador"
    demo_load()  # again: nothing doubled
    assert Person.objects.in_workspace(workspace).count() == people.count()
