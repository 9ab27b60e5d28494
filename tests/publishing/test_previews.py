"""The composer's previews: each chosen channel's feed showing its text."""

from __future__ import annotations

import pytest
from django.urls import reverse

from parvis.channels.models import Channel
from parvis.networks import feeds, registry
from parvis.networks.base import FeedDisplay, TextRules
from parvis.networks.sandbox.network import SandboxNetwork
from parvis.publishing import actions
from parvis.publishing.previews import Piece, preview_of
from tests.publishing.test_delivery import sandbox_channel

pytestmark = pytest.mark.django_db


def url(workspace, name="compose_check", **kwargs):
    return reverse(f"publishing:{name}", kwargs={"workspace": workspace.slug, **kwargs})


def channel_for(workspace, display: FeedDisplay, max_length: int, monkeypatch) -> Channel:
    """A channel of a network displayed as ``display`` (the real network is not built yet)."""
    network = type(
        f"Test{display.label}",
        (SandboxNetwork,),
        {
            "key": f"test_{display.family}",
            "name": f"Test · {display.label}",
            "text_rules": TextRules(max_length=max_length),
            "display": display,
        },
    )()
    registry.get("sandbox_x")  # the built-in networks are loaded first
    monkeypatch.setitem(registry._networks, network.key, network)
    return Channel.objects.create(
        workspace=workspace, network=network.key, external_id=display.family, name="La Mie"
    )


def text_of(pieces) -> str:
    return "".join(p.text for p in pieces)


# --- folds: what each feed shows before "… more" ------------------------------------------


@pytest.mark.parametrize(("key", "fold"), [("sandbox_instagram", 125), ("sandbox_facebook", 480)])
def test_the_feed_folds_at_the_network_s_length(workspace, key, fold):
    channel = sandbox_channel(workspace, key)
    exactly = preview_of(channel=channel, text="a" * fold)
    assert text_of(exactly.shown) == "a" * fold and exactly.folded == ()
    longer = preview_of(channel=channel, text="a" * fold + "b")
    assert text_of(longer.shown) == "a" * fold and text_of(longer.folded) == "b"


@pytest.mark.parametrize(("key", "lines"), [("sandbox_instagram", 3), ("sandbox_facebook", 5)])
def test_the_feed_folds_after_its_lines(workspace, key, lines):
    channel = sandbox_channel(workspace, key)
    text = "\n".join(f"ligne {i}" for i in range(1, lines + 2))
    preview = preview_of(channel=channel, text=text)
    assert text_of(preview.shown) == "\n".join(f"ligne {i}" for i in range(1, lines + 1))
    assert text_of(preview.folded) == f"\nligne {lines + 1}"
    assert preview_of(channel=channel, text=text + "\n\n  ").folded != ()
    # Blank lines after the last shown line fold nothing.
    assert preview_of(channel=channel, text=text.rsplit("\n", 1)[0] + "\n\n").folded == ()


def test_linkedin_folds_at_210_and_the_others_show_everything(workspace, monkeypatch):
    linkedin = channel_for(workspace, feeds.LINKEDIN, 3_000, monkeypatch)
    preview = preview_of(channel=linkedin, text="a" * 211)
    assert len(text_of(preview.shown)) == 210 and text_of(preview.folded) == "a"
    for display in (feeds.BLUESKY, feeds.MASTODON, feeds.THREADS):
        channel = channel_for(workspace, display, 500, monkeypatch)
        whole = preview_of(channel=channel, text="b" * 499 + "\n" * 8 + "c")
        assert whole.folded == () and whole.display.family == display.family


def test_the_fold_never_splits_a_hashtag(workspace):
    instagram = sandbox_channel(workspace, "sandbox_instagram")
    text = "a" * 120 + " #boulangerie"  # the tag starts at 121 and crosses 125
    preview = preview_of(channel=instagram, text=text)
    assert text_of(preview.shown) == "a" * 120 + " "
    assert preview.folded == (Piece("#boulangerie", "hashtag"),)


# --- links, tags, mentions -----------------------------------------------------------------


def test_links_tags_and_mentions_are_pieces_of_their_own(workspace):
    facebook = sandbox_channel(workspace, "sandbox_facebook")
    text = "Merci @mariel ! #pain sur https://example.com/pain?x=1.\nÀ demain"
    preview = preview_of(channel=facebook, text=text)
    assert [(p.kind, p.text) for p in preview.shown] == [
        ("text", "Merci "),
        ("mention", "@mariel"),
        ("text", " ! "),
        ("hashtag", "#pain"),
        ("text", " sur "),
        ("link", "https://example.com/pain?x=1"),  # Facebook shows a link as written
        ("text", ".\nÀ demain"),
    ]


def test_x_shows_links_shortened_as_it_counts_them(workspace):
    x = sandbox_channel(workspace)
    long_url = "https://www.example.com/une/tres/longue/adresse"
    preview = preview_of(channel=x, text=f"Voir {long_url} et example.org/a")
    links = [p for p in preview.shown if p.kind == "link"]
    assert links[0] == Piece("www.example.com/une/tr…", "link", long_url)
    assert len(links[0].text) == 23
    assert links[1] == Piece("example.org/a", "link", "example.org/a")


# --- over the limit ------------------------------------------------------------------------


def test_x_marks_what_passes_280_characters(workspace):
    x = sandbox_channel(workspace)
    preview = preview_of(channel=x, text="a" * 279 + " " + "b" * 5)
    assert [(p.text, p.over) for p in preview.shown] == [("a" * 279 + " ", False), ("b" * 5, True)]
    assert preview.over_limit and preview.measure.length == 285
    fits = preview_of(channel=x, text="a" * 280)
    assert not fits.over_limit and fits.shown == (Piece("a" * 280),)


def test_x_counts_links_and_emoji_as_it_does_when_marking(workspace):
    x = sandbox_channel(workspace)
    # 249 + 1 + a link counting 23 + 1 = 274; six emoji weigh 2 each: 276, 278, 280, then over.
    text = "a" * 249 + " https://example.com/" + "x" * 60 + " " + "🍞" * 6
    preview = preview_of(channel=x, text=text)
    over = [p for p in preview.shown if p.over]
    assert text_of(over) == "🍞" * 3
    assert next(p for p in preview.shown if p.kind == "link").over is False


def test_a_link_across_the_limit_is_marked_whole(workspace):
    x = sandbox_channel(workspace)
    preview = preview_of(channel=x, text="a" * 270 + " https://example.com/pain")
    link = next(p for p in preview.shown if p.kind == "link")
    assert link.over and link.text == "example.com/pain"


def test_over_the_limit_the_folded_text_is_opened(logged_in_client, workspace):
    instagram = sandbox_channel(workspace, "sandbox_instagram")
    response = logged_in_client.post(
        url(workspace), {"text": "a" * 2_205, "channels": [instagram.pk]}
    )
    page = response.content.decode()
    assert '<details class="small mt-2" open>' in page
    assert '<mark class="preview-over">aaaaa</mark>' in page
    assert 'data-testid="preview-over-note"' in page


# --- rendered in the composer ---------------------------------------------------------------


def test_the_check_answer_brings_each_channel_s_preview_out_of_band(logged_in_client, workspace):
    x = sandbox_channel(workspace)
    instagram = sandbox_channel(workspace, "sandbox_instagram", name="Mie Insta")
    response = logged_in_client.post(
        url(workspace),
        {
            "text": "Le pain du jour #levain",
            "channels": [x.pk, instagram.pk],
            f"variant_{x.pk}": "Sur X : le pain du jour @mariel",
        },
        headers={"HX-Request": "true"},
    )
    page = response.content.decode()
    assert 'data-testid="checks"' in page
    assert '<section id="previews" class="mt-3" data-testid="previews" hx-swap-oob="true">' in page
    cards = {c.split('"', 2)[1]: c for c in page.split("data-network=")[1:]}
    x_card, instagram_card = cards["x"], cards["instagram"]
    # Each channel's own text: X its variant, Instagram the shared text.
    assert "its own text" in x_card
    assert 'Sur X : le pain du jour <span class="preview-mention">@mariel</span>' in x_card
    assert "its own text" not in instagram_card
    assert 'Le pain du jour <span class="preview-hashtag">#levain</span>' in instagram_card
    # A Sandbox channel previews as the network it imitates, labelled as the Sandbox.
    assert "Instagram" in instagram_card and "sandbox-badge" in instagram_card
    assert "@mieinsta" in instagram_card


def test_the_text_is_shown_as_text_never_as_html(logged_in_client, workspace):
    facebook = sandbox_channel(workspace, "sandbox_facebook")
    evil = '<script>alert("x")</script> #pain <b onmouseover=alert(1)>gras</b> https://e.com/"><i>'
    response = logged_in_client.post(url(workspace), {"text": evil, "channels": [facebook.pk]})
    page = response.content.decode()
    assert "<script>" not in page and "<b " not in page and "<i>" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; " in page
    assert '<span class="preview-hashtag">#pain</span>' in page


def test_the_edit_page_previews_the_post_s_texts(logged_in_client, workspace, user):
    x, facebook = sandbox_channel(workspace), sandbox_channel(workspace, "sandbox_facebook")
    post = actions.post_draft(
        workspace=workspace,
        text="Texte commun",
        channels=[x, facebook],
        acting_user=user,
        variants={x.pk: "Texte pour X"},
    )
    page = logged_in_client.get(url(workspace, "post_edit", post_id=post.pk)).content.decode()
    assert page.count('data-testid="preview"') == 2
    previews = page.split('<section id="previews"')[1]
    assert "Texte pour X" in previews and "Texte commun" in previews


def test_the_composer_shows_no_preview_before_a_channel_is_chosen(logged_in_client, workspace):
    sandbox_channel(workspace)
    page = logged_in_client.get(url(workspace, "compose")).content.decode()
    assert 'id="previews"' in page and 'data-testid="preview"' not in page


def test_a_hashtag_inside_a_link_is_part_of_the_link(workspace):
    facebook = sandbox_channel(workspace, "sandbox_facebook")
    preview = preview_of(channel=facebook, text="Menu : https://example.com/carte#pain #midi")
    assert [(p.kind, p.text) for p in preview.shown] == [
        ("text", "Menu : "),
        ("link", "https://example.com/carte#pain"),
        ("text", " "),
        ("hashtag", "#midi"),
    ]
