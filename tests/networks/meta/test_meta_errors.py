"""Every Graph error code the issue names becomes the contract's error, with a sentence."""

from __future__ import annotations

import json
from datetime import timedelta

import httpx
import pytest
from django.utils import timezone, translation

from parvis.networks.base import (
    AuthExpired,
    PermanentError,
    RateLimited,
    TransientError,
    UnknownOutcome,
)
from parvis.networks.meta.errors import from_response, from_transport
from parvis.networks.meta.usage import HOLD_PERCENT, read_usage


def answer(code: int | None, subcode: int | None = None, status: int = 400, **headers: str):
    error = {"message": f"(#{code}) Meta's words", "type": "OAuthException", "fbtrace_id": "Ab"}
    if code is not None:
        error["code"] = code
    if subcode is not None:
        error["error_subcode"] = subcode
    request = httpx.Request("POST", "https://graph.facebook.com/v24.0/1/feed")
    return httpx.Response(status, json={"error": error}, headers=headers, request=request)


def error_for(code: int | None, subcode: int | None = None, status: int = 400, **headers: str):
    return from_response(answer(code, subcode, status, **headers), network="Facebook", write=True)


@pytest.mark.parametrize(
    ("subcode", "reason"),
    [
        (458, "app was removed"),
        (459, "log in on facebook.com"),
        (460, "password"),
        (461, "ended the session"),
        (462, "ended the session"),
        (463, "expired"),
        (464, "not confirmed"),
        (465, "ended the session"),
        (466, "ended the session"),
        (467, "no longer valid"),
    ],
)
def test_code_190_is_an_expired_access_with_the_subcode_reason(subcode, reason):
    error = error_for(190, subcode)
    assert isinstance(error, AuthExpired)
    message = str(error.user_message)
    assert reason in message
    assert message.startswith("Facebook no longer accepts this channel's access")
    assert message.endswith("reconnect the channel.")
    assert f"code 190/{subcode}" in error.detail


def test_code_190_without_subcode_still_asks_to_reconnect():
    error = error_for(190)
    assert isinstance(error, AuthExpired)
    assert str(error.user_message) == (
        "Facebook no longer accepts this channel's access: reconnect the channel."
    )


@pytest.mark.parametrize(
    ("code", "scope", "minutes"),
    [
        (4, "app", 15),
        (17, "channel", 15),
        (32, "channel", 15),
        (613, "channel", 60),
        (80001, "channel", 15),
    ],
)
def test_rate_limit_codes_wait_the_default_when_no_header_says(code, scope, minutes):
    before = timezone.now()
    error = error_for(code, status=403)
    assert isinstance(error, RateLimited)
    assert error.scope == scope
    expected = before + timedelta(minutes=minutes)
    assert abs((error.retry_at - expected).total_seconds()) < 5
    assert f"about {minutes} minutes" in str(error.user_message)


def test_rate_limit_reads_the_wait_from_the_business_use_case_header():
    usage = {
        "1234": [
            {
                "type": "pages",
                "call_count": 100,
                "total_cputime": 12,
                "total_time": 30,
                "estimated_time_to_regain_access": 7,
            }
        ]
    }
    before = timezone.now()
    error = error_for(80001, **{"X-Business-Use-Case-Usage": json.dumps(usage)})
    assert isinstance(error, RateLimited)
    assert abs((error.retry_at - (before + timedelta(minutes=7))).total_seconds()) < 5
    assert "about 7 minutes" in str(error.user_message)


def test_the_app_limit_says_every_account_waits():
    error = error_for(4, **{"X-App-Usage": '{"call_count":100,"total_time":20,"total_cputime":5}'})
    assert error.scope == "app"
    assert str(error.user_message).startswith("Parvis has reached Facebook's limit for all")


def test_368_is_a_policy_block_with_what_to_do():
    error = error_for(368)
    assert isinstance(error, PermanentError) and not isinstance(error, TransientError)
    assert "temporarily blocked this account from posting for a policy reason" in str(
        error.user_message
    )


def test_506_is_a_duplicate_post():
    error = error_for(506)
    assert isinstance(error, PermanentError)
    assert str(error.user_message) == (
        "Facebook refuses a duplicate post: change the text, then publish again."
    )


@pytest.mark.parametrize("code", [1, 2])
def test_codes_1_and_2_are_temporary(code):
    error = error_for(code, status=500)
    assert type(error) is TransientError
    assert str(error.user_message) == "Facebook is having temporary trouble: Parvis will try again."


@pytest.mark.parametrize("code", [10, 200, 299])
def test_a_missing_permission_asks_to_reconnect_granting_it(code):
    error = error_for(code, status=403)
    assert isinstance(error, AuthExpired)
    assert "grant every permission" in str(error.user_message)


def test_an_unknown_code_is_refused_with_meta_s_words():
    error = error_for(100)
    assert type(error) is PermanentError
    assert str(error.user_message) == "Facebook refused the request: (#100) Meta's words"


def test_a_gateway_timeout_on_a_write_is_an_unknown_outcome():
    request = httpx.Request("POST", "https://graph.facebook.com/v24.0/1/feed")
    response = httpx.Response(504, text="Gateway Timeout", request=request)
    assert isinstance(from_response(response, network="Facebook", write=True), UnknownOutcome)
    assert type(from_response(response, network="Facebook", write=False)) is TransientError


def test_transport_errors_depend_on_whether_the_request_left():
    request = httpx.Request("POST", "https://graph.facebook.com/v24.0/1/feed")
    refused = httpx.ConnectError("refused", request=request)
    timed_out = httpx.ReadTimeout("slow", request=request)
    assert type(from_transport(refused, network="Facebook", write=True)) is TransientError
    assert isinstance(from_transport(timed_out, network="Facebook", write=True), UnknownOutcome)
    assert type(from_transport(timed_out, network="Facebook", write=False)) is TransientError


def test_usage_headers_hold_calls_from_95_percent():
    now = timezone.now()
    low = read_usage({"X-App-Usage": '{"call_count":40,"total_time":10,"total_cputime":3}'})
    assert low.app_percent == 40 and low.hold_until(now) is None
    high = read_usage({"x-app-usage": f'{{"call_count":{HOLD_PERCENT},"total_time":1}}'})
    assert high.scope == "app" and high.hold_until(now) == now + timedelta(minutes=15)
    page = read_usage(
        {
            "X-App-Usage": '{"call_count":3}',
            "X-Business-Use-Case-Usage": json.dumps(
                {"9": [{"type": "pages", "total_time": 97, "estimated_time_to_regain_access": 3}]}
            ),
        }
    )
    assert page.scope == "channel" and page.hold_until(now) == now + timedelta(minutes=3)
    assert read_usage({"X-App-Usage": "not json"}).highest == 0


def test_a_french_team_reads_facebooks_reasons_in_french():
    """Reasons are stored in the workspace's language: the Graph errors have their French."""
    with translation.override("fr"):
        blocked = str(error_for(368).user_message)
        expired = str(error_for(190, 463).user_message)
    assert blocked.startswith("Facebook empêche temporairement ce compte de publier")
    assert "Meta's words" in blocked  # what Meta said stays, in its words
    assert expired.startswith("Facebook n\u2019accepte plus")
    assert expired.endswith("a expiré) : reconnectez le canal.")


def test_the_page_usage_header_counts_as_the_page_s():
    usage = read_usage(
        {
            "X-Page-Usage": '{"call_count":96,"total_cputime":2,"total_time":4,'
            '"estimated_time_to_regain_access":0}'
        }
    )
    assert (usage.object_percent, usage.scope) == (96, "channel")
    assert usage.hold_until(timezone.now()) is not None


def test_the_reason_reads_in_french_for_a_french_team():
    error = error_for(190, 460)
    with translation.override("fr"):
        text = str(error.user_message)
    apostrophe = "\u2019"
    assert text == (
        f"Facebook n{apostrophe}accepte plus l{apostrophe}accès de ce canal (le mot de passe "
        f"du compte Facebook qui l{apostrophe}a connecté a changé) : reconnectez le canal."
    )
