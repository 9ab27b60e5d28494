"""The inbox as a community manager uses it on the demo: filter, assign, answer, done."""

from __future__ import annotations

import re
import threading

from playwright.sync_api import expect

from parvis.engine.runner import run_once
from parvis.inbox.models import Conversation, Reply
from parvis.networks.sandbox.models import SandboxPost


def send_the_answers() -> None:
    """What `parvis worker` does each turn; in a thread, away from Playwright's event loop."""
    worker = threading.Thread(target=run_once, args=(Reply,))
    worker.start()
    worker.join()


def test_a_member_filters_assigns_answers_and_marks_a_comment_done(logged_in_page):
    page = logged_in_page
    page.get_by_test_id("switch-language-en").click()
    open_before = Conversation.objects.filter(status="open").count()
    expect(page.get_by_test_id("inbox-count")).to_contain_text(str(open_before))
    page.get_by_role("link", name=re.compile("^Inbox")).click()
    expect(page.get_by_test_id("shortcuts-help")).to_contain_text("j / k")

    # Only the comments on the Facebook Page.
    page.get_by_label("Kind").select_option("comments")
    page.get_by_label("Channel").select_option(label="La Mie Dorée · Sandbox · Facebook Page")
    page.get_by_test_id("apply-filters").click()
    rows = page.get_by_test_id("conversation-row")
    expect(rows.first).to_be_visible()
    facebook_comments = Conversation.objects.filter(
        status="open", kind="comments", channel__network="sandbox_facebook"
    ).count()
    expect(rows).to_have_count(facebook_comments)
    # The count comes in its own request once the list is shown, in the same place.
    expect(page.get_by_test_id("inbox-total")).to_have_text(
        f"{facebook_comments} conversation{'s' if facebook_comments != 1 else ''}"
    )

    # Open the first one with the keyboard.
    page.keyboard.press("j")
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("thread")).to_be_visible()
    expect(page.get_by_test_id("brand-post")).to_be_visible()
    conversation_id = int(page.url.rstrip("/").split("/")[-1])

    page.get_by_test_id("assignee").select_option(label="Julie Martin")
    page.get_by_test_id("assign").click()
    expect(page.get_by_test_id("assignee")).to_have_value(
        str(Conversation.objects.get(pk=conversation_id).assignee_id)
    )

    page.keyboard.press("r")
    expect(page.get_by_test_id("reply-text")).to_be_focused()
    page.keyboard.type("Bonjour ! ")
    page.get_by_test_id("saved-reply").select_option(label="Merci")
    expect(page.get_by_test_id("reply-text")).to_have_value(
        re.compile(r"^Bonjour ! Merci beaucoup \S+ ! À très vite chez La Mie Dorée 🥐 — Camille$")
    )
    page.get_by_test_id("send-reply").click()
    expect(page.get_by_test_id("reply-state").last).to_have_text("Sending…")
    send_the_answers()
    page.reload()
    expect(page.get_by_test_id("reply-state").last).to_have_text("Sent")
    reply = Reply.objects.filter(conversation_id=conversation_id).latest("created_at", "id")
    assert reply.text.startswith("Bonjour ! Merci beaucoup")
    on_network = SandboxPost.objects.filter(reply_to_id=reply.in_reply_to.remote_id)
    assert list(on_network.filter(text=reply.text).values_list("text", flat=True)) == [reply.text]

    with page.expect_navigation():
        page.keyboard.press("e")  # done, then the next conversation
    assert Conversation.objects.get(pk=conversation_id).status == "done"
    page.get_by_role("link", name=re.compile("^Inbox")).first.click()
    expect(page.get_by_test_id("inbox-count")).to_contain_text(str(open_before - 1))


def test_the_list_count_arrives_in_place_in_french(logged_in_page, monkeypatch):
    from parvis.inbox import views

    page = logged_in_page
    expect(page.locator("html")).to_have_attribute("lang", "fr")  # the demo's manager's choice
    page.get_by_role("link", name=re.compile("^Messagerie")).first.click()
    opened = Conversation.objects.filter(status="open").count()
    expect(page.get_by_test_id("inbox-total")).to_have_text(f"{opened} conversations")
    monkeypatch.setattr(views, "MOST_COUNTED", opened - 1)
    page.reload()
    expect(page.get_by_test_id("inbox-total")).to_have_text(f"Plus de {opened - 1} conversations")
