from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from parvis.accounts.models import User, Workspace
from parvis.inbox.threads import Conversation
from parvis.links.models import Click, ShortLink
from parvis.links.selectors import clicks_total
from parvis.publishing.models import Delivery, Post, PostStatus
from parvis.web.demo import DEMO_EMAIL, DEMO_THREAD, demo_load


@pytest.fixture
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    return tmp_path


@pytest.mark.django_db
def test_demo_creates_a_french_bakery_with_sandbox_channels_and_posts(data_dir, monkeypatch):
    monkeypatch.delenv("PARVIS_DEMO_PASSWORD", raising=False)
    login = demo_load()
    user = User.objects.get(email=DEMO_EMAIL)
    assert user.check_password(login.password)
    assert (data_dir / "demo-password").read_text() == login.password
    workspace = Workspace.objects.get(slug=login.workspace_slug)
    assert workspace.language == "fr" and workspace.time_zone == "Europe/Paris"
    assert sorted(workspace.channels.values_list("network", flat=True)) == [
        "sandbox_facebook",
        "sandbox_instagram",
        "sandbox_x",
    ]
    posts = Post.objects.in_workspace(workspace)
    assert posts.count() >= 15
    assert posts.filter(status=PostStatus.PUBLISHED).exists()
    assert posts.filter(status=PostStatus.SCHEDULED).exists()
    assert Workspace.objects.filter(memberships__user=user).count() == 2


@pytest.mark.django_db
def test_demo_is_idempotent_and_keeps_data(data_dir):
    first = demo_load()
    count = Post.objects.count()
    second = demo_load()
    assert second.password == first.password
    assert Post.objects.count() == count
    assert Workspace.objects.count() == 2


@pytest.mark.django_db
def test_demo_password_from_the_environment(data_dir, monkeypatch):
    monkeypatch.setenv("PARVIS_DEMO_PASSWORD", "une-boulangerie")
    login = demo_load()
    assert login.password == "une-boulangerie"
    assert User.objects.get(email=DEMO_EMAIL).check_password("une-boulangerie")


@pytest.mark.django_db
def test_demo_history_is_on_the_sandbox_and_the_future_is_scheduled(data_dir):
    from parvis.inbox.models import Reply
    from parvis.networks.sandbox.models import SandboxInteraction, SandboxPost
    from parvis.publishing.models import Delivery

    demo_load()
    published = Delivery.objects.filter(state="published")
    assert published.exists()
    comments = SandboxInteraction.objects.values_list("remote_id", flat=True)
    answers = SandboxPost.objects.filter(reply_to_id__in=list(comments))
    assert set(published.values_list("remote_id", flat=True)) == set(
        SandboxPost.objects.exclude(pk__in=answers).values_list("remote_id", flat=True)
    )
    # The team's answers in the demo went out through the Sandbox, as the inbox sends them.
    sent = Reply.objects.filter(state="sent")
    assert sent.count() == 3
    assert set(sent.values_list("message__remote_id", flat=True)) == set(
        answers.values_list("remote_id", flat=True)
    )
    waiting = Delivery.objects.filter(state="scheduled")
    assert waiting.exists()
    assert all(d.next_attempt_at == d.post.scheduled_at for d in waiting)
    assert not Delivery.objects.filter(post__status=PostStatus.DRAFT).exists()


@pytest.mark.django_db
def test_demo_shows_a_coming_post_with_a_link_a_thread_and_a_first_comment(data_dir):
    from parvis.publishing.models import Delivery

    demo_load()
    post = Post.objects.get(text=DEMO_THREAD[1])
    assert post.status == PostStatus.SCHEDULED and len(post.thread_parts) == 2
    parts = Delivery.objects.filter(post=post, position__gt=0)
    assert sorted(parts.values_list("channel__network", "part")) == [
        ("sandbox_facebook", "comment"),
        ("sandbox_x", "thread"),
        ("sandbox_x", "thread"),
    ]
    # Its link goes out as each channel's short link: a card on Facebook; in the text on X.
    on_facebook = Delivery.objects.get(post=post, position=0, channel__network="sandbox_facebook")
    short = ShortLink.objects.get(post=post, channel=on_facebook.channel, original_url=post.link)
    assert on_facebook.link == short.short_url
    on_x = Delivery.objects.get(post=post, position=0, channel__network="sandbox_x")
    short = ShortLink.objects.get(post=post, channel=on_x.channel, original_url=post.link)
    assert on_x.text.endswith(short.short_url) and on_x.link == ""
    assert short.destination.startswith(post.link + "?utm_source=x&utm_medium=social")


@pytest.mark.django_db
def test_demo_inbox_holds_the_sandbox_audiences_comments_mentions_and_messages(data_dir):
    demo_load()
    workspace = Workspace.objects.get(slug="la-mie-doree")
    conversations = Conversation.objects.in_workspace(workspace)
    assert conversations.filter(kind="comments").exists()
    assert conversations.filter(post__isnull=False).exists()  # linked to the brand's posts
    assert conversations.filter(assignee__isnull=False, tags__name="question").count() == 1
    count = conversations.count()
    demo_load()
    assert Conversation.objects.in_workspace(workspace).count() == count


@pytest.mark.django_db
def test_demo_posts_carry_short_links_with_clicks_and_a_bio_page(data_dir, client):
    demo_load()
    workspace = Workspace.objects.get(slug="la-mie-doree")
    today = timezone.localdate()
    total = clicks_total(workspace=workspace, start=today - timedelta(days=30), end=today)
    assert total > 50
    published = Post.objects.filter(workspace=workspace, status=PostStatus.PUBLISHED)
    linked = published.exclude(link="")
    assert linked.count() >= 3
    sent = Delivery.objects.filter(post__in=linked, channel__network="sandbox_x").first()
    assert "/l/" in sent.text
    assert Click.objects.filter(workspace=workspace, is_bot=True).exists()
    page = client.get(f"/bio/{workspace.slug}/").content.decode()
    assert "Commander en ligne" in page
    demo_load()  # loading again adds nothing
    assert clicks_total(workspace=workspace, start=today - timedelta(days=30), end=today) == total


@pytest.mark.django_db
def test_demo_dashboards_show_weeks_of_sandbox_figures(data_dir):
    from datetime import timedelta

    from django.utils import timezone

    from parvis.analytics.dashboards import Scope, dashboard
    from parvis.analytics.models import MetricSnapshot
    from parvis.inbox.responsiveness import Period

    demo_load()
    workspace = Workspace.objects.get(slug="la-mie-doree")
    written = MetricSnapshot.objects.in_workspace(workspace).count()
    today = timezone.localdate()
    board = dashboard(scope=Scope(workspace), period=Period(today - timedelta(days=27), today))
    assert board.measured
    assert board.current.followers and board.current.follower_growth > 0
    assert board.current.engagements > 0 and board.current.reach > 0
    assert board.previous.followers  # the weeks before are there to compare with
    assert len(board.top_posts) >= 3
    demo_load()  # loaded once: running the demo again adds no history
    assert MetricSnapshot.objects.in_workspace(workspace).count() == written
