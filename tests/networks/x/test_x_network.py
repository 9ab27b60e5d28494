"""The X connector against the X test server, run as a separate process."""

from __future__ import annotations

import socket
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from asgiref.sync import async_to_sync
from django.utils import timezone

from parvis.networks.base import (
    AuthExpired,
    ChannelRef,
    MediaItem,
    PermanentError,
    PublishRequest,
    RateLimited,
    TransientError,
    UnknownOutcome,
)
from parvis.networks.sandbox.network import SandboxX
from parvis.networks.x.errors import from_transport
from parvis.networks.x.network import X, normalise
from tests.networks.x.conftest import XServer


@pytest.fixture
def x(x_server: XServer) -> X:
    return X(base_url=x_server.base_url)


def publish(network: X, channel: ChannelRef, text: str, reply_to: str = ""):
    request = PublishRequest(text=text, idempotency_key="k", reply_to_id=reply_to)
    return async_to_sync(network.publish)(channel, request)


def find(network: X, channel: ChannelRef, text: str, since: datetime):
    request = PublishRequest(text=text, idempotency_key="k")
    return async_to_sync(network.find_published)(channel, request, since=since)


# --- Publishing -----------------------------------------------------------------------


def test_publish_makes_one_post_and_returns_its_id_and_url(x, x_server):
    channel = x_server.new_channel(username="lamiedoree")
    before = timezone.now()
    result = publish(x, channel, "Le pain du jour est sorti du four.")
    (tweet,) = x_server.tweets(channel.external_id)
    assert result.remote_id == tweet["id"]
    assert tweet["text"] == "Le pain du jour est sorti du four."
    assert result.url == f"https://x.com/lamiedoree/status/{tweet['id']}"
    assert before <= result.published_at <= timezone.now()


def test_without_a_username_the_url_uses_x_generic_path(x, x_server):
    channel = x_server.new_channel()
    result = publish(x, channel, "Sans nom")
    assert result.url == f"https://x.com/i/status/{result.remote_id}"


def test_a_thread_part_replies_to_the_previous_post(x, x_server):
    channel = x_server.new_channel()
    first = publish(x, channel, "1/2 Notre nouvelle boutique ouvre lundi.")
    second = publish(x, channel, "2/2 Rue de la République, à Lyon.", reply_to=first.remote_id)
    rows = {t["id"]: t for t in x_server.tweets(channel.external_id)}
    assert rows[second.remote_id]["in_reply_to_id"] == first.remote_id
    assert rows[first.remote_id]["in_reply_to_id"] == ""


def test_the_remaining_rate_limit_is_kept_from_each_answer(x, x_server):
    channel = x_server.new_channel()
    publish(x, channel, "un")
    first = x.rate_limits[channel.external_id]
    publish(x, channel, "deux")
    second = x.rate_limits[channel.external_id]
    assert first.limit == second.limit == 1_000_000
    assert second.remaining == first.remaining - 1
    assert second.reset_at is not None and second.reset_at > datetime.now(UTC)


def test_the_base_url_comes_from_the_setting(x_server, settings):
    settings.PARVIS_X_API_BASE_URL = x_server.base_url
    channel = x_server.new_channel()
    result = publish(X(), channel, "Par le réglage")
    assert x_server.tweets(channel.external_id)[0]["id"] == result.remote_id


def test_too_long_a_text_is_refused_before_any_call(x, x_server):
    channel = x_server.new_channel()
    with pytest.raises(PermanentError) as caught:
        publish(x, channel, "a" * 281)
    assert "too long" in str(caught.value.user_message)
    assert x_server.tweets(channel.external_id) == []


def test_a_missing_media_file_is_refused_and_nothing_is_posted(x, x_server, tmp_path):
    channel = x_server.new_channel()
    request = PublishRequest(
        text="Photo", idempotency_key="k", media=(MediaItem(str(tmp_path / "a.jpg"), "image/jpeg"),)
    )
    with pytest.raises(PermanentError, match="missing from Parvis's storage"):
        async_to_sync(x.publish)(channel, request)
    assert x_server.tweets(channel.external_id) == []


# --- Verifying after a lost answer ------------------------------------------------------


def test_a_lost_answer_is_an_unknown_outcome_and_find_published_finds_the_post(x, x_server):
    channel = x_server.new_channel()
    since = timezone.now()
    x_server.queue("lost", path="/2/tweets")
    with pytest.raises(UnknownOutcome):
        publish(x, channel, "Soirée dégustation jeudi")
    (made,) = x_server.tweets(channel.external_id, "Soirée dégustation jeudi")
    found = find(x, channel, "Soirée dégustation jeudi", since - timedelta(seconds=5))
    assert found is not None
    assert found.remote_id == made["id"]
    made_at = datetime.fromisoformat(made["created_at"])
    assert abs(found.published_at - made_at) < timedelta(milliseconds=1)  # X gives ms


def test_find_published_sees_through_t_co_links_and_html_entities(x, x_server):
    channel = x_server.new_channel()
    text = "Fish & chips <vendredi> : https://example.com/menu?jour=vendredi et boulangerie.fr"
    since = timezone.now() - timedelta(seconds=5)
    made = publish(x, channel, text)
    shown = x_server.tweets(channel.external_id)[0]["shown"]
    assert "https://t.co/" in shown and "&amp;" in shown and "example.com" not in shown
    assert find(x, channel, text, since).remote_id == made.remote_id


def test_find_published_answers_none_when_nothing_was_posted(x, x_server):
    channel = x_server.new_channel()
    publish(x, channel, "Autre chose")
    assert find(x, channel, "Jamais publié", timezone.now() - timedelta(minutes=1)) is None


def test_find_published_ignores_posts_older_than_the_attempt(x, x_server):
    channel = x_server.new_channel()
    publish(x, channel, "Déjà vu")
    later = timezone.now() + timedelta(seconds=2)
    assert find(x, channel, "Déjà vu", later) is None


def test_find_published_follows_the_pages(x, x_server):
    channel = x_server.new_channel()
    since = timezone.now() - timedelta(seconds=5)
    target = publish(x, channel, "Le tout premier")
    for number in range(105):  # pushes the target to the second page of 100
        publish(x, channel, f"Message {number}")
    assert find(x, channel, "Le tout premier", since).remote_id == target.remote_id


# --- Errors, one per mapping -------------------------------------------------------------


def test_a_revoked_token_is_auth_expired(x, x_server):
    channel = x_server.new_channel()
    x_server.revoke(channel.access_token)
    with pytest.raises(AuthExpired):
        publish(x, channel, "Refusé")
    with pytest.raises(AuthExpired):
        async_to_sync(x.check_health)(channel)


def test_the_account_limit_is_rate_limited_until_x_reset_for_the_channel(x, x_limits):
    x_limits.configure(rate_limit=2)
    channel = x_limits.new_channel()
    publish(x, channel, "un")
    publish(x, channel, "deux")
    reset_at = x.rate_limits[channel.external_id].reset_at
    with pytest.raises(RateLimited) as caught:
        publish(x, channel, "trois")
    assert caught.value.scope == "channel"
    assert caught.value.retry_at == reset_at
    assert timedelta(minutes=14) < caught.value.retry_at - timezone.now() <= timedelta(minutes=15)
    assert len(x_limits.tweets(channel.external_id)) == 2


def test_the_app_wide_daily_cap_is_rate_limited_for_the_app(x, x_limits):
    x_limits.configure(app_limit=1)
    publish(x, x_limits.new_channel(), "La seule de la journée")
    with pytest.raises(RateLimited) as caught:
        publish(x, x_limits.new_channel(), "Une de trop")
    assert caught.value.scope == "app"
    assert timedelta(hours=23) < caught.value.retry_at - timezone.now() <= timedelta(hours=24)


def test_a_503_is_transient(x, x_server):
    channel = x_server.new_channel()
    x_server.queue("503", path="/2/tweets")
    with pytest.raises(TransientError) as caught:
        publish(x, channel, "Plus tard")
    assert not isinstance(caught.value, RateLimited)
    assert caught.value.detail.startswith("503")
    assert x_server.tweets(channel.external_id) == []


def test_a_500_is_transient_but_a_504_on_a_post_is_an_unknown_outcome(x, x_server):
    channel = x_server.new_channel()
    x_server.queue("500", "504", path="/2/tweets")
    with pytest.raises(TransientError):
        publish(x, channel, "Erreur interne")
    with pytest.raises(UnknownOutcome):
        publish(x, channel, "Passerelle")


def test_duplicate_content_is_permanent(x, x_server):
    channel = x_server.new_channel()
    publish(x, channel, "Deux fois la même chose")
    with pytest.raises(PermanentError) as caught:
        publish(x, channel, "Deux fois la même chose")
    assert str(caught.value.user_message).startswith("X refuses duplicate content")
    assert len(x_server.tweets(channel.external_id, "Deux fois la même chose")) == 1


def test_the_test_server_can_accept_duplicates_so_tests_can_count_them(x, x_limits):
    x_limits.configure(refuse_duplicates=False)
    channel = x_limits.new_channel()
    first = publish(x, channel, "Trois fois rien")
    second = publish(x, channel, "Trois fois rien")
    assert first.remote_id != second.remote_id
    assert len(x_limits.tweets(channel.external_id, "Trois fois rien")) == 2
    duplicates = x_limits.stats()["duplicates"]
    (duplicate,) = [d for d in duplicates if d["user"] == channel.external_id]
    assert duplicate == {"user": channel.external_id, "text": "Trois fois rien", "count": 2}


def test_a_400_is_permanent_with_x_detail(x, x_server):
    channel = x_server.new_channel()
    with pytest.raises(PermanentError) as caught:
        publish(x, channel, "Réponse", reply_to="pas-un-numero")
    assert "in_reply_to_tweet_id" in str(caught.value.user_message)
    assert caught.value.detail.startswith("400")


def test_another_403_is_permanent_with_x_detail(x, x_server):
    channel = x_server.new_channel()
    with pytest.raises(PermanentError) as caught:
        publish(x, channel, "Réponse à un fantôme", reply_to="1")
    assert "deleted or not visible" in str(caught.value.user_message)
    assert caught.value.detail.startswith("403")


def test_a_dropped_connection_after_sending_is_an_unknown_outcome_on_a_post(x, x_server):
    channel = x_server.new_channel()
    x_server.queue("drop", path="/2/tweets")
    with pytest.raises(UnknownOutcome):
        publish(x, channel, "Coupé")


def test_a_dropped_connection_on_a_read_is_transient(x, x_server):
    channel = x_server.new_channel()
    x_server.queue("drop", path=f"/2/users/{channel.external_id}")
    with pytest.raises(TransientError):
        find(x, channel, "Rien", timezone.now())


def test_an_unreachable_server_is_transient(x_server):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again at once: nothing listens there
    channel = x_server.new_channel()
    with pytest.raises(TransientError) as caught:
        publish(X(base_url=f"http://127.0.0.1:{port}"), channel, "Personne")
    assert not isinstance(caught.value, UnknownOutcome)
    assert "ConnectError" in caught.value.detail


@pytest.mark.parametrize(
    ("error", "write", "expected"),
    [
        (httpx.ConnectTimeout("connect"), True, TransientError),
        (httpx.ConnectError("refused"), True, TransientError),
        (httpx.PoolTimeout("pool"), True, TransientError),
        (httpx.ReadTimeout("read"), True, UnknownOutcome),
        (httpx.RemoteProtocolError("dropped"), True, UnknownOutcome),
        (httpx.WriteTimeout("write"), True, UnknownOutcome),
        (httpx.ReadTimeout("read"), False, TransientError),
    ],
)
def test_transport_errors_map_by_whether_the_request_left(error, write, expected):
    mapped = from_transport(error, write=write)
    assert type(mapped) is expected


# --- Delete and health -------------------------------------------------------------------


def test_delete_removes_the_post_and_a_second_delete_is_permanent(x, x_server):
    channel = x_server.new_channel()
    result = publish(x, channel, "À effacer")
    async_to_sync(x.delete)(channel, result.remote_id)
    assert x_server.tweets(channel.external_id)[0]["deleted"] is True
    with pytest.raises(PermanentError):
        async_to_sync(x.delete)(channel, result.remote_id)


def test_health_passes_for_the_token_owner_and_fails_for_another_account(x, x_server):
    channel = x_server.new_channel()
    async_to_sync(x.check_health)(channel)
    other = ChannelRef(external_id="1", access_token=channel.access_token)
    with pytest.raises(AuthExpired):
        async_to_sync(x.check_health)(other)


def test_health_of_a_channel_without_token_is_auth_expired(x):
    with pytest.raises(AuthExpired):
        async_to_sync(x.check_health)(ChannelRef(external_id="1"))


# --- What the network says of itself ---------------------------------------------------


def test_description_and_text_rules():
    network = X(base_url="http://unused")
    assert (network.key, str(network.name)) == ("x", "X")
    caps = network.capabilities
    assert caps.threads and not caps.first_comment and not caps.idempotency
    assert caps.images and caps.videos and caps.reply and caps.hide_comments and caps.metrics
    assert network.text_rules == SandboxX.text_rules  # the Sandbox imitates the same rules
    assert network.measure_text("a" * 280).valid
    assert not network.measure_text("a" * 281).valid
    assert network.measure_text("https://example.com/" + "a" * 100).length == 23
    assert network.measure_text("é" * 280).valid and not network.measure_text("日" * 141).valid


def test_normalise_matches_what_x_gives_back():
    sent = "Pain & beurre  <3\nhttps://example.com/a?b=1"
    assert normalise(sent) == normalise("Pain &amp; beurre &lt;3 https://t.co/AbCdEf1234")
    assert normalise("Pain & confiture") != normalise("Pain & beurre")
