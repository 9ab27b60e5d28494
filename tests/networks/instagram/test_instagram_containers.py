"""The container states, one by one, without a server."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest
from asgiref.sync import async_to_sync
from django.utils import timezone

from parvis.networks.base import AuthExpired, PermanentError, RateLimited, TransientError
from parvis.networks.instagram.accounts import InstagramFacebookLogin, InstagramLogin
from parvis.networks.instagram.containers import (
    ContainerStatus,
    failure,
    subcode_of,
    wait_until_finished,
)
from parvis.networks.instagram.graph import InstagramGraph
from tests.networks.instagram.conftest import Sleeps


def reads(*codes: str, status: str = ""):
    answers = iter(codes)

    async def read() -> dict:
        return {"id": "42", "status_code": next(answers), "status": status}

    return read


def wait(read, delays=(1, 2, 4)):
    sleeps = Sleeps()
    result = async_to_sync(wait_until_finished)(read, delays=delays, sleep=sleeps)
    return result, sleeps.waits


def test_finished_at_once_needs_no_wait():
    assert wait(reads("FINISHED")) == (ContainerStatus.FINISHED, [])


def test_in_progress_is_read_again_after_growing_waits():
    result, waits = wait(reads("IN_PROGRESS", "IN_PROGRESS", "FINISHED"))
    assert result == ContainerStatus.FINISHED and waits == [1, 2]


def test_published_counts_as_done():
    assert wait(reads("IN_PROGRESS", "PUBLISHED"))[0] == ContainerStatus.PUBLISHED


def test_still_in_progress_after_every_wait_is_transient():
    with pytest.raises(TransientError, match="still processing") as caught:
        wait(reads(*["IN_PROGRESS"] * 4))
    assert "after 4 reads" in caught.value.detail


def test_error_is_permanent_with_the_documented_reason():
    with pytest.raises(PermanentError, match="use a JPEG"):
        wait(reads("ERROR", status="Error: 2207005"))


def test_an_unknown_error_says_what_instagram_said():
    with pytest.raises(PermanentError) as caught:
        wait(reads("IN_PROGRESS", "ERROR", status="Error: 2207999 Something else"))
    assert "Error: 2207999 Something else" in str(caught.value.user_message)


def test_expired_is_permanent():
    error = failure({"id": "1", "status_code": "EXPIRED", "status": "Expired"})
    assert isinstance(error, PermanentError)
    assert "within 24 hours" in str(error.user_message)


@pytest.mark.parametrize("code", ["IN_PROGRESS", "FINISHED", "PUBLISHED", ""])
def test_other_codes_are_not_failures(code):
    assert failure({"status_code": code}) is None


def test_the_subcode_is_read_from_the_status_text():
    assert subcode_of("Error: 2207052") == 2207052
    assert subcode_of("Finished") is None


# --- Instagram's own error codes -------------------------------------------------------


def graph_answer(code: int, subcode: int) -> httpx.Response:
    body = {"error": {"message": "m", "type": "OAuthException", "code": code}}
    body["error"]["error_subcode"] = subcode
    request = httpx.Request("POST", "https://graph.facebook.com/v24.0/1/media_publish")
    return httpx.Response(400, json=body, request=request)


def test_the_publishing_quota_refusal_is_a_rate_limit_for_the_channel():
    error = InstagramGraph(network="Instagram").error_for(graph_answer(9, 2207042), write=True)
    assert isinstance(error, RateLimited) and error.scope == "channel"
    assert error.retry_at > timezone.now() + timedelta(minutes=50)


def test_a_container_not_ready_is_tried_again():
    error = InstagramGraph(network="Instagram").error_for(graph_answer(9007, 2207027), write=True)
    assert type(error) is TransientError


def test_other_codes_fall_back_to_the_meta_core():
    error = InstagramGraph(network="Instagram").error_for(graph_answer(190, 463), write=True)
    assert isinstance(error, AuthExpired)


def test_a_network_not_set_up_says_which_settings_to_fill(settings):
    settings.PARVIS_INSTAGRAM_APP_ID = ""
    settings.PARVIS_META_APP_ID = ""
    assert "PARVIS_INSTAGRAM_APP_ID" in str(InstagramLogin().setup_problem())
    assert "PARVIS_META_APP_ID" in str(InstagramFacebookLogin().setup_problem())
    settings.PARVIS_INSTAGRAM_APP_ID = settings.PARVIS_INSTAGRAM_APP_SECRET = "x"
    assert InstagramLogin().setup_problem() == ""
