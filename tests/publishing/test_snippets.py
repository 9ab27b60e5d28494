"""Snippets and hashtag groups: the rules, the actions, the settings page, the composer."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from parvis.accounts.roles import Role
from parvis.core.audit import AuditEvent
from parvis.publishing import snippets
from parvis.publishing.models import Snippet, SnippetKind
from tests import factories
from tests.concurrency import slowed, twice_at_once

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """The actions' messages follow the active language: English here, whatever ran before."""
    with translation.override("en"):
        yield


def url(workspace, name="snippet_settings", **kwargs):
    return reverse(f"publishing:{name}", kwargs={"workspace": workspace.slug, **kwargs})


def group(workspace, text="#pain #boulangerie", name="Boulangerie", user=None):
    return snippets.snippet_create(
        workspace=workspace, kind=SnippetKind.HASHTAGS, name=name, text=text, acting_user=user
    )


# --- rules and actions -------------------------------------------------------------


def test_a_hashtag_group_is_saved_one_space_apart_and_audited(workspace, user):
    snippet = group(workspace, "  #pain\n#boulangerie   #Lyon ", user=user)
    assert snippet.text == "#pain #boulangerie #Lyon"
    assert snippet.hashtags == ["#pain", "#boulangerie", "#Lyon"]
    event = AuditEvent.objects.get(verb="snippet.created")
    assert (event.workspace, event.actor, event.data["kind"]) == (workspace, user, "hashtags")


@pytest.mark.parametrize(
    ("text", "culprit"),
    [
        ("#pain boulangerie", "“boulangerie”"),
        ("#pain #2024", "“#2024”"),
        ("#pain #pain-complet", "“#pain-complet”"),
        ("#pain, #lyon", "“#pain,”"),
    ],
)
def test_a_bad_hashtag_group_names_the_wrong_token(workspace, text, culprit):
    with pytest.raises(snippets.SnippetError) as refused:
        group(workspace, text)
    assert culprit in str(refused.value)
    assert refused.value.field == "text"
    assert not Snippet.objects.exists()


def test_a_hashtag_twice_in_a_group_is_refused_whatever_its_case(workspace):
    with pytest.raises(snippets.SnippetError, match="#Pain is in the group twice"):
        group(workspace, "#pain #lyon #Pain")


def test_names_are_unique_per_workspace_and_kind(workspace):
    group(workspace, name="Été")
    with pytest.raises(snippets.SnippetError, match="already taken") as refused:
        group(workspace, name=" été ")
    assert refused.value.field == "name"
    # The same name is free for a text snippet, and in another workspace.
    snippets.snippet_create(
        workspace=workspace, kind=SnippetKind.TEXT, name="Été", text="À bientôt !", acting_user=None
    )
    group(factories.make_workspace(), name="Été")
    assert Snippet.objects.filter(name="Été").count() == 3


@pytest.mark.parametrize(
    ("kind", "name", "text", "field"),
    [
        (SnippetKind.TEXT, "Signature", "   ", "text"),
        (SnippetKind.HASHTAGS, "Vide", "  ", "text"),
        (SnippetKind.TEXT, "  ", "Bonjour", "name"),
        ("poem", "Poème", "Bonjour", "kind"),
        (SnippetKind.TEXT, "Long", "a" * 5_001, "text"),
    ],
)
def test_empty_or_unknown_input_is_refused_with_its_field(workspace, kind, name, text, field):
    with pytest.raises(snippets.SnippetError) as refused:
        snippets.snippet_create(
            workspace=workspace, kind=kind, name=name, text=text, acting_user=None
        )
    assert refused.value.field == field


def test_update_and_delete_are_audited(workspace, user):
    snippet = group(workspace)
    snippets.snippet_update(snippet=snippet, name="Pains", text="#pain #levain", acting_user=user)
    snippet.refresh_from_db()
    assert (snippet.name, snippet.text) == ("Pains", "#pain #levain")
    with pytest.raises(snippets.SnippetError):  # the group's rules hold on update too
        snippets.snippet_update(snippet=snippet, name="Pains", text="levain", acting_user=user)
    snippets.snippet_delete(snippet=snippet, acting_user=user)
    assert not Snippet.objects.exists()
    events = AuditEvent.objects.filter(verb__startswith="snippet.").order_by("id")
    verbs = list(events.values_list("verb", flat=True))
    assert verbs == ["snippet.created", "snippet.updated", "snippet.deleted"]


def test_a_group_over_instagram_s_30_hashtags_is_flagged(workspace):
    thirty = group(workspace, " ".join(f"#tag{i}" for i in range(30)), name="Trente")
    thirty_one = group(workspace, " ".join(f"#tag{i}" for i in range(31)), name="Trente et un")
    assert snippets.limits_exceeded(snippet=thirty) == []
    assert snippets.limits_exceeded(snippet=thirty_one) == [snippets.HashtagLimit("Instagram", 30)]


# --- the settings page ---------------------------------------------------------------


def test_the_settings_page_lists_counts_and_warns(logged_in_client, workspace):
    group(workspace, "#pain #boulangerie #lyon")
    group(workspace, " ".join(f"#tag{i}" for i in range(31)), name="Trop")
    page = logged_in_client.get(url(workspace)).content.decode()
    assert "3 hashtags" in page and "31 hashtags" in page
    assert page.count('data-testid="hashtag-warning"') == 1
    assert "More than Instagram allows in one post (30)" in page
    settings_index = logged_in_client.get(reverse("web:settings", args=[workspace.slug]))
    assert url(workspace) in settings_index.content.decode()


def test_an_editor_adds_edits_and_deletes(client, workspace):
    editor = factories.make_member(workspace, Role.EDITOR).user
    client.force_login(editor)
    response = client.post(
        url(workspace), {"kind": "text", "name": "Horaires", "text": "Ouvert 7h-19h."}
    )
    assert response.status_code == 302
    snippet = Snippet.objects.get()
    assert (snippet.kind, snippet.created_by) == ("text", editor)
    response = client.post(
        url(workspace, "snippet_edit", snippet_id=snippet.pk),
        {"name": "Horaires d'été", "text": "Ouvert 7h-20h.", "kind": "hashtags"},
    )
    assert response.status_code == 302
    snippet.refresh_from_db()
    # The kind cannot be changed by posting another one.
    assert (snippet.kind, snippet.name) == ("text", "Horaires d'été")
    assert snippet.text == "Ouvert 7h-20h."
    response = client.post(url(workspace, "snippet_delete", snippet_id=snippet.pk))
    assert response.status_code == 302 and not Snippet.objects.exists()


def test_bad_input_says_what_is_wrong_and_keeps_what_was_typed(logged_in_client, workspace):
    response = logged_in_client.post(
        url(workspace), {"kind": "hashtags", "name": "Lyon", "text": "#lyon croixrousse"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "“croixrousse” is not a hashtag" in page
    assert "#lyon croixrousse</textarea>" in page and 'value="Lyon"' in page
    assert not Snippet.objects.exists()


def test_bad_input_on_the_edit_page_keeps_what_was_typed(logged_in_client, workspace):
    snippet = group(workspace)
    response = logged_in_client.post(
        url(workspace, "snippet_edit", snippet_id=snippet.pk), {"name": "", "text": "#a #b"}
    )
    assert response.status_code == 400
    assert "#a #b</textarea>" in response.content.decode()


def test_the_french_message_names_the_token(client, workspace):
    workspace.language = "fr"
    workspace.save(update_fields=["language"])
    owner = workspace.memberships.get().user
    owner.language = "fr"
    owner.save(update_fields=["language"])
    client.force_login(owner)
    response = client.post(
        url(workspace),
        {"kind": "hashtags", "name": "Lyon", "text": "#lyon croixrousse"},
        headers={"Accept-Language": "fr"},
    )
    assert "« croixrousse » n’est pas un hashtag" in response.content.decode()  # noqa: RUF001


@pytest.mark.parametrize("role", [Role.VIEWER, Role.CONTRIBUTOR])
def test_viewers_and_contributors_read_but_do_not_write(client, workspace, role):
    snippet = group(workspace)
    client.force_login(factories.make_member(workspace, role).user)
    page = client.get(url(workspace))
    assert page.status_code == 200 and "#pain #boulangerie" in page.content.decode()
    assert 'data-testid="snippet-form"' not in page.content.decode()
    refused = client.post(url(workspace), {"kind": "text", "name": "a", "text": "b"})
    assert refused.status_code == 403
    edit = url(workspace, "snippet_edit", snippet_id=snippet.pk)
    assert client.get(edit).status_code == 403
    assert client.post(url(workspace, "snippet_delete", snippet_id=snippet.pk)).status_code == 403
    assert Snippet.objects.count() == 1


def test_another_workspace_s_snippet_is_not_found(logged_in_client, workspace):
    theirs = group(factories.make_workspace())
    for name in ("snippet_edit", "snippet_delete"):
        response = logged_in_client.post(url(workspace, name, snippet_id=theirs.pk))
        assert response.status_code == 404
    assert Snippet.objects.get() == theirs


# --- in the composer -------------------------------------------------------------------


def test_the_composer_offers_the_snippets_and_hashtag_groups(logged_in_client, workspace):
    group(workspace, "#pain #boulangerie", name="Boulangerie")
    snippets.snippet_create(
        workspace=workspace,
        kind=SnippetKind.TEXT,
        name="Signature",
        text="— L'équipe <3",
        acting_user=None,
    )
    group(factories.make_workspace(), "#secret", name="Pas à nous")
    page = logged_in_client.get(url(workspace, "compose")).content.decode()
    assert 'data-testid="snippets-menu"' in page and 'data-testid="hashtags-menu"' in page
    assert 'data-snippet="#pain #boulangerie"' in page
    assert 'data-snippet="— L&#x27;équipe &lt;3"' in page  # escaped in its attribute
    assert 'x-on:click="insert"' in page and 'x-data="composerSnippets"' in page
    assert "parvis/composer.js" in page
    assert "#secret" not in page
    # Without JavaScript, the menus stay hidden and a list to copy shows instead.
    assert 'hidden x-bind:hidden="hidden" data-testid="snippet-menus"' in page
    assert '<noscript><details class="small mb-2" data-testid="snippets-to-copy">' in page


def test_a_contributor_uses_the_snippets_in_the_composer(client, workspace):
    group(workspace, "#pain #boulangerie", name="Boulangerie")
    client.force_login(factories.make_member(workspace, Role.CONTRIBUTOR).user)
    page = client.get(url(workspace, "compose")).content.decode()
    assert 'data-snippet="#pain #boulangerie"' in page


@pytest.mark.django_db(transaction=True)
def test_two_people_saving_the_same_name_at_once_get_a_message_not_an_error(workspace, monkeypatch):
    monkeypatch.setattr(snippets, "_clean", slowed(snippets._clean))
    with translation.override("en"):
        outcomes = twice_at_once(
            lambda: snippets.snippet_create(
                workspace=workspace,
                kind=SnippetKind.HASHTAGS,
                name="Boulangerie",
                text="#pain #levain",
                acting_user=None,
            ),
            snippets.SnippetError,
        )
    assert outcomes == ["done", "“Boulangerie” is already taken: choose another name."]
    assert Snippet.objects.filter(workspace=workspace).count() == 1
