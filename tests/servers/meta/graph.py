"""What every Graph API call goes through on the test server: the version prefix, the
token (query, form or Bearer), ``appsecret_proof``, queued faults and usage headers."""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from email.parser import BytesParser
from email.policy import default as email_policy
from typing import Any
from urllib.parse import parse_qsl

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from tests.servers.meta.state import CANNED, State, Token, graph_error

VERSION = re.compile(r"^v\d+\.\d+$")
Handler = Callable[[Request, Token, State, dict[str, Any]], Awaitable[Response]]


def error_response(
    code: int,
    message: str = "",
    *,
    subcode: int | None = None,
    status: int | None = None,
    headers: dict[str, str] | None = None,
    user_message: str = "",
) -> JSONResponse:
    kind, canned, canned_status = CANNED.get(code, ("OAuthException", f"(#{code}) Error", 400))
    body = graph_error(
        code,
        message or canned,
        kind=kind,
        subcode=subcode,
        user_message=user_message,
        transient=True if code in (1, 2) else None,
    )
    return JSONResponse(body, status or canned_status, headers=headers)


def invalid(message: str, *, subcode: int | None = None) -> JSONResponse:
    """Code 100, Meta's answer to a missing or wrong parameter."""
    return error_response(100, f"(#100) {message}", subcode=subcode)


def not_found(object_id: str) -> JSONResponse:
    return error_response(
        100,
        f"Unsupported get request. Object with ID '{object_id}' does not exist, cannot be "
        "loaded due to missing permissions, or does not support this operation.",
        subcode=33,
    )


@dataclass(frozen=True)
class Upload:
    """A file sent in a multipart form (Graph ``source``)."""

    filename: str
    content_type: str
    data: bytes


def _multipart(content_type: str, body: bytes) -> dict[str, Any]:
    """A multipart/form-data body, read with the standard library's email parser."""
    message = BytesParser(policy=email_policy).parsebytes(
        f"Content-Type: {content_type}\r\n\r\n".encode() + body
    )
    values: dict[str, Any] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if not name:
            continue
        data = part.get_payload(decode=True) or b""
        filename = part.get_filename()
        if filename is not None:
            values[name] = Upload(filename, part.get_content_type(), data)
        else:
            values[name] = data.decode(part.get_content_charset() or "utf-8")
    return values


async def parameters(request: Request) -> dict[str, Any]:
    """The call's parameters: query string and form fields (files as ``Upload``)."""
    values: dict[str, Any] = dict(request.query_params)
    if request.method in ("POST", "DELETE"):
        content_type = request.headers.get("content-type", "")
        body = await request.body()
        if content_type.startswith("multipart/form-data"):
            values.update(_multipart(content_type, body))
        elif content_type.startswith("application/x-www-form-urlencoded"):
            values.update(parse_qsl(body.decode(), keep_blank_values=True))
        elif "json" in content_type and body:
            parsed = json.loads(body)
            if isinstance(parsed, dict):
                values.update(parsed)
    return values


def _token(request: Request, params: dict[str, Any]) -> str:
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() in ("bearer", "oauth") and value:
        return value
    return str(params.get("access_token", ""))


def _drop(request: Request) -> Response:
    request.scope["x_test.drop"] = True  # tests.servers.x.app.DroppingApp closes it
    return Response(status_code=204)


def graph(
    handler: Handler, *, page_scoped: bool = True
) -> Callable[[Request], Awaitable[Response]]:
    async def view(request: Request) -> Response:
        state: State = request.app.state.meta
        version = request.path_params.pop("version", "")
        if not VERSION.match(version):
            return error_response(2500, f"Unknown path components: /{version}", status=400)
        path = request.url.path.removeprefix(f"/{version}")
        params = await parameters(request)
        state.counters["requests"] += 1
        state.requests.append({"method": request.method, "path": path, "params": _loggable(params)})
        fault = state.take_fault(path)
        if fault and fault.action == "drop":
            return _drop(request)
        value = _token(request, params)
        if not value:
            return error_response(
                2500,
                "An active access token must be used to query information about the current user.",
                status=400,
            )
        problem = state.token_problem(value)
        if problem is not None:
            subcode, message = problem
            return error_response(190, message, subcode=subcode, status=400)
        proof = str(params.get("appsecret_proof", ""))
        expected = hmac.new(state.app_secret.encode(), value.encode(), hashlib.sha256).hexdigest()
        if (proof or state.require_proof) and not hmac.compare_digest(proof, expected):
            return error_response(100, "Invalid appsecret_proof provided in the API argument")
        token = state.tokens[value]
        usage = state.usage_headers(token.page_id if page_scoped else "")
        if fault and fault.code is not None:
            state.counters[f"fault_{fault.code}"] += 1
            return error_response(
                fault.code,
                fault.message,
                subcode=fault.subcode,
                status=fault.status,
                headers={**usage, **fault.headers},
            )
        response = await handler(request, token, state, params)
        if fault and fault.action == "lost":  # applied, then the answer is lost
            return _drop(request)
        response.headers.update(usage)
        return response

    return view


def _loggable(params: dict[str, Any]) -> dict[str, str]:
    return {
        key: ("<file>" if isinstance(value, Upload) else str(value))
        for key, value in params.items()
        if key not in ("access_token", "client_secret", "appsecret_proof")
    }
