"""The Responsiveness page, the overdue marks and filter in the inbox, the target setting."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from parvis.inbox.responsiveness_views import duration_text, rate_text
from tests import factories
from tests.inbox.test_responsiveness import build_team, conversation

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(workspace):
    return build_team(workspace)


def page(client, workspace, name="responsiveness", **query) -> str:
    response = client.get(reverse(f"inbox:{name}", kwargs={"workspace": workspace.slug}), query)
    assert response.status_code == 200
    return response.content.decode()


def test_durations_and_rates_are_written_in_the_users_language():
    assert [duration_text(s) for s in (None, 42, 1200, 6120, 3 * 86400 + 4 * 3600)] == [
        "\u2013",
        "42 s",
        "20 min",
        "1 h 42",
        "3 d 4 h",
    ]
    assert rate_text(0.8) == "80.0%"
    with translation.override("fr"):
        assert rate_text(0.8) == "80,0\u00a0%"
        assert duration_text(3 * 86400 + 4 * 3600) == "3\xa0j 4\xa0h"


def test_the_page_shows_figures_per_member_and_channel_with_the_previous_period(
    logged_in_client, workspace, team
):
    html = page(logged_in_client, workspace, since="2026-11-01", until="2026-11-30")
    assert 'data-testid="total-rate">80.0%<' in html
    assert 'data-testid="total-median">45 min<' in html  # 2,700 s
    assert 'data-testid="total-p90">1 h 42<' in html  # 6,120 s
    assert "Previous period: 100.0%" in html and "Previous period: 1 h 30" in html
    assert team["bob"].display_name in html and "left the workspace" in html
    assert "Mie X" in html and "50.0%" in html
    assert "How these figures are counted" in html


def test_the_page_defaults_to_the_last_thirty_days(logged_in_client, workspace):
    html = page(logged_in_client, workspace)
    today = timezone.localdate()
    assert f'value="{today:%Y-%m-%d}"' in html
    assert f'value="{today - timedelta(days=29):%Y-%m-%d}"' in html


def test_the_inbox_marks_overdue_conversations_and_filters_them(logged_in_client, workspace):
    channel = factories.make_sandbox_channel(workspace, "sandbox_x", "Mie X")
    now = timezone.now()
    conversation(channel, [(now - timedelta(minutes=150), "in")])
    conversation(channel, [(now - timedelta(minutes=5), "in")])
    html = page(logged_in_client, workspace, "list")
    assert html.count('data-testid="conversation-row"') == 2
    assert html.count('data-testid="overdue"') == 1 and "waiting 2\xa0hours, 30\xa0minutes" in html
    assert 'data-testid="responsiveness-link"' in html
    overdue = page(logged_in_client, workspace, "list", overdue="1")
    assert overdue.count('data-testid="conversation-row"') == 1
    workspace.response_target_minutes = 3
    workspace.save(update_fields=["response_target_minutes"])
    assert page(logged_in_client, workspace, "list", overdue="1").count("conversation-row") == 2


def test_admins_set_the_response_target_in_the_workspace_settings(logged_in_client, workspace):
    address = reverse("accounts:workspace_settings", kwargs={"workspace": workspace.slug})
    form = {
        "name": workspace.name,
        "language": "en",
        "time_zone": "Europe/Paris",
        "color": "#4f46e5",
        "response_target_minutes": "0",
    }
    assert logged_in_client.post(address, form).status_code == 400
    assert (
        logged_in_client.post(address, {**form, "response_target_minutes": "30"}).status_code == 302
    )
    workspace.refresh_from_db()
    assert workspace.response_target_minutes == 30


def test_an_editor_cannot_change_the_target(client, workspace):
    editor = factories.make_member(workspace, "editor").user
    client.force_login(editor)
    address = reverse("accounts:workspace_settings", kwargs={"workspace": workspace.slug})
    assert client.get(address).status_code == 403
    assert "Change the target" not in page(client, workspace)
