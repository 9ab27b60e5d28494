"""Publishing on a Page against the Meta test server: each kind of post, verifying,
deleting, and the errors people read."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from parvis.networks import base
from parvis.networks.base import MediaItem, PermanentError, PublishRequest


def request(text: str, **extra) -> PublishRequest:
    return PublishRequest(text=text, idempotency_key="k1", **extra)


def photo(tmp_path, name: str = "bread.jpg", alt: str = "") -> MediaItem:
    path = tmp_path / name
    path.write_bytes(b"\xff\xd8\xff" + b"0" * 500)
    return MediaItem(str(path), "image/jpeg", alt_text=alt, width=1080, height=1080)


def posts(page) -> list[dict]:
    return page.server.get("/_test/fb/posts", page_id=page.channel.external_id)["posts"]


def test_text_and_a_link_card(page):
    result = page.call(
        "publish", page.channel, request("Fresh bread at 7", link="https://example.org/menu")
    )
    (post,) = posts(page)
    assert (post["id"], post["message"], post["link"]) == (
        result.remote_id,
        "Fresh bread at 7",
        "https://example.org/menu",
    )
    assert result.url == f"https://www.facebook.com/{result.remote_id}"
    assert result.hold_until is None


def test_one_photo_uploaded_with_its_caption(page, tmp_path):
    result = page.call(
        "publish", page.channel, request("Croissants", media=(photo(tmp_path, alt="Six"),))
    )
    (post,) = posts(page)
    assert post["id"] == result.remote_id and post["message"] == "Croissants"
    (sent,) = post["photos"]
    assert sent["source"] == "upload:503" and sent["alt_text"] == "Six" and sent["published"]


def test_several_photos_are_attached_to_one_post(page, tmp_path):
    media = tuple(photo(tmp_path, f"p{i}.jpg") for i in range(3))
    result = page.call("publish", page.channel, request("Our week", media=media))
    (post,) = posts(page)
    assert post["id"] == result.remote_id and len(post["photos"]) == 3
    assert all(p["post_id"] == result.remote_id for p in post["photos"])
    sent = [r for r in page.server.requests() if r["path"].endswith(("/photos", "/feed"))]
    assert [r["params"].get("published") for r in sent[:3]] == ["false"] * 3
    assert sent[3]["path"].endswith("/feed") and "attached_media[2]" in sent[3]["params"]


def test_a_video_by_url_and_by_upload(page, tmp_path):
    online = MediaItem("https://cdn.example.org/v.mp4", "video/mp4", duration_s=12)
    made = page.call("publish", page.channel, request("Video one", media=(online,)))
    assert made.remote_id == posts(page)[0]["id"]  # the post, not the video
    path = tmp_path / "v.mp4"
    path.write_bytes(b"\x00" * 2048)
    local = MediaItem(str(path), "video/mp4", duration_s=12)
    page.call("publish", page.channel, request("Video two", media=(local,)))
    videos = {p["message"]: p["video"]["source"] for p in posts(page)}
    assert videos == {"Video one": "https://cdn.example.org/v.mp4", "Video two": "upload:2048"}


def test_first_comment_under_the_post(page):
    post = page.call("publish", page.channel, request("Open today"))
    comment = page.call(
        "publish",
        page.channel,
        request("Menu in the comments", part="comment", reply_to_id=post.remote_id),
    )
    (row,) = posts(page)
    (made,) = row["comments"]
    assert made["id"] == comment.remote_id
    assert made["author_id"] == page.channel.external_id


def test_a_duplicate_post_is_refused_with_a_sentence(page):
    page.call("publish", page.channel, request("Same words"))
    with pytest.raises(PermanentError) as refused:
        page.call("publish", page.channel, request("Same words"))
    assert str(refused.value.user_message) == (
        "Facebook refuses a duplicate post: change the text, then publish again."
    )


def test_a_lost_answer_is_verified_in_published_posts(page):
    since = timezone.now() - timedelta(seconds=1)
    page.server.queue({"action": "lost"}, path=f"/{page.channel.external_id}/feed")
    with pytest.raises(base.UnknownOutcome):
        page.call("publish", page.channel, request("Did it go?"))
    found = page.call("find_published", page.channel, request("Did  it go?"), since=since)
    assert found is not None and found.remote_id == posts(page)[0]["id"]
    assert page.call("find_published", page.channel, request("Never sent"), since=since) is None
    later = timezone.now() + timedelta(minutes=5)
    assert page.call("find_published", page.channel, request("Did it go?"), since=later) is None


def test_delete(page):
    post = page.call("publish", page.channel, request("Soon gone"))
    page.call("delete", page.channel, post.remote_id)
    assert posts(page)[0]["deleted"] is True
    with pytest.raises(PermanentError, match="does not exist"):
        page.call("delete", page.channel, post.remote_id)


def test_rate_limits_and_trouble_reach_the_contract(page):
    feed = f"/{page.channel.external_id}/feed"
    usage = {
        page.channel.external_id: [
            {"type": "pages", "call_count": 100, "estimated_time_to_regain_access": 9}
        ]
    }
    header = {"X-Business-Use-Case-Usage": json.dumps(usage)}
    page.server.queue({"code": 32, "headers": header}, path=feed)
    with pytest.raises(base.RateLimited, match="about 9 minutes"):
        page.call("publish", page.channel, request("Slow down"))
    page.server.queue({"code": 2}, path=feed)
    with pytest.raises(base.TransientError, match="temporary trouble"):
        page.call("publish", page.channel, request("Trouble"))


def test_usage_near_the_limit_holds_the_page(page):
    page.server.usage(page_id=page.channel.external_id, page={"call_count": 96})
    result = page.call("publish", page.channel, request("Near the limit"))
    assert result.hold_until is not None
    assert result.hold_until > timezone.now() + timedelta(minutes=10)
    calls = len(page.server.requests())
    with pytest.raises(base.RateLimited, match="is near its limit") as held:
        page.call("check_health", page.channel)
    assert held.value.scope == "channel"
    assert abs((held.value.retry_at - result.hold_until).total_seconds()) < 1
    assert len(page.server.requests()) == calls  # held here, Meta never asked


def test_the_app_s_usage_near_its_limit_holds_every_page(page, facebook):
    page.server.usage(app={"call_count": 99, "total_time": 5, "total_cputime": 5})
    page.call("check_health", page.channel)
    with pytest.raises(base.RateLimited) as held:
        page.call("fetch_interactions", page.channel)
    assert held.value.scope == "app"
    facebook.graph.holds.clear()
    page.server.usage(app={"call_count": 10})
    page.call("check_health", page.channel)
    page.call("check_health", page.channel)  # usage back to normal: no hold


def test_a_missing_file_is_explained(page, tmp_path):
    gone = MediaItem(str(tmp_path / "gone.jpg"), "image/jpeg")
    with pytest.raises(PermanentError, match="media file of this post is missing"):
        page.call("publish", page.channel, request("Lost photo", media=(gone,)))


def test_a_link_with_photos_goes_in_the_text(page, tmp_path):
    media = (photo(tmp_path, "a.jpg"), photo(tmp_path, "b.jpg"))
    page.call("publish", page.channel, request("Menu", media=media, link="https://ex.org/m"))
    (post,) = posts(page)
    assert (post["message"], post["link"]) == ("Menu\n\nhttps://ex.org/m", "")


def test_a_video_too_heavy_to_upload_at_once_is_refused_before_sending(page, facebook):
    heavy = MediaItem("/nowhere/big.mp4", "video/mp4", size_bytes=2 * 1024**3, duration_s=60)
    (problem,) = facebook.check_media((heavy,))
    assert problem.code == "media_too_heavy"
    with pytest.raises(PermanentError) as refused:
        page.call("publish", page.channel, request("Too big", media=(heavy,)))
    assert str(refused.value.user_message) == str(problem.message)
    assert posts(page) == []
