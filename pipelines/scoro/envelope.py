"""Reading Scoro's answer envelope, `{"status": "OK", "statusCode": 200, "messages": ...,
"data": ...}`, and naming what went wrong when it is not one.

The API may report an error with HTTP 200 and `"status": "ERROR", "statusCode": 401` in the
body; such an answer is classified by its `statusCode`, exactly like the HTTP status. Error
texts carry the API's own message (`messages` as a string, a list or an object), never the key.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from requests import HTTPError, Response

MAX_MESSAGE_CHARS = 300


class ScoroAPIError(HTTPError):
    """The API answered with an error, or with something that is not its envelope."""

    def __init__(
        self, message: str, *, status: int | None = None, response: Response | None = None
    ) -> None:
        super().__init__(message, response=response)
        self.status = status


class AuthenticationError(ScoroAPIError):
    """401: the API refused the credentials. Nothing can be synced with them."""


class AccessDenied(ScoroAPIError):
    """403: the API refused this call (a module the key may not read, or the whole key)."""


class NotFound(ScoroAPIError):
    """404: the record (of a `view`) is gone."""


class DailyLimitExhausted(ScoroAPIError):
    """The daily request budget is spent: stop now, keep state, resume after the reset."""

    def __init__(self, message: str, reset_seconds: float | None, response: Response) -> None:
        super().__init__(message, status=429, response=response)
        self.reset_seconds = reset_seconds


class ResponseShapeError(ScoroAPIError):
    """An OK envelope whose `data` is not what the call returns (a string for a list...)."""


def parse_json(content: bytes) -> Any:
    """JSON with exact numbers: decimals as Decimal, integers as int (as Decimal past 18 digits,
    which Python's int parser would refuse over 4300 digits), and the non-JSON literals NaN and
    Infinity kept as their text, so that the field they sit in is flagged, not the whole page."""
    return json.loads(
        content,
        parse_float=Decimal,
        parse_int=lambda text: int(text) if len(text) <= 18 else Decimal(text),
        parse_constant=lambda text: text,
    )


@dataclass(frozen=True)
class Problem:
    status: int | None  # HTTP status, or the envelope's statusCode when HTTP says 200
    message: str


def classify(response: Response) -> Problem | None:
    """What is wrong with this answer, or None for an OK envelope (or a body still to check)."""
    payload = _payload(response)
    if payload is _INVALID:
        payload = None
    if response.status_code >= 400:
        return Problem(response.status_code, api_message(payload, response))
    if 300 <= response.status_code < 400:
        # never followed: a POST re-sent elsewhere would carry the key in its body
        target = response.headers.get("Location", "?")
        return Problem(
            response.status_code,
            f"the server redirects to {target}: use that address as --base-url",
        )
    if not isinstance(payload, dict):
        return None  # not JSON at all: retried as a cut-short body, then reported by parse
    status = str(payload.get("status", "")).strip().upper()
    if status == "OK" or (not status and "data" in payload and "statusCode" not in payload):
        return None
    code = _int(payload.get("statusCode"))
    return Problem(code if code is not None else 400, api_message(payload, response))


def parse_envelope(response: Response, where: str) -> Any:
    """The `data` of an OK envelope; ScoroAPIError for anything else."""
    payload = _payload(response)
    if payload is _INVALID:
        raise ScoroAPIError(
            f"{where}: the answer is not JSON ({len(response.content)} bytes: "
            f"{snippet(response.content)})",
            status=response.status_code,
            response=response,
        )
    if not isinstance(payload, dict):
        raise ResponseShapeError(
            f"{where}: the answer is not an API envelope (a JSON {type(payload).__name__})",
            status=response.status_code,
            response=response,
        )
    problem = classify(response)
    if problem is not None:
        raise ScoroAPIError(
            f"{where}: API error {problem.status}: {problem.message}",
            status=problem.status,
            response=response,
        )
    return payload.get("data")


def api_message(payload: Any, response: Response | None = None) -> str:
    """The API's own words: `messages` flattened ("error: Invalid apiKey"), else a snippet of
    the body."""
    if isinstance(payload, dict):
        messages = payload.get("messages")
        if messages is None:
            messages = payload.get("message") or payload.get("error")
        text = "; ".join(_flatten(messages))
        if text:
            return _cut(text)
        return _cut(f"no message (status {payload.get('status')!r})")
    if response is not None and response.content:
        return snippet(response.content)
    return "empty answer"


def _flatten(messages: Any, prefix: str = "") -> list[str]:
    if messages is None or messages == "":
        return []
    if isinstance(messages, str | int | float | Decimal | bool):
        return [f"{prefix}{messages}"]
    if isinstance(messages, list):
        return [text for item in messages for text in _flatten(item, prefix)]
    if isinstance(messages, dict):
        out: list[str] = []
        for key, value in messages.items():
            out.extend(_flatten(value, f"{key}: "))
        return out
    return [f"{prefix}{messages!r}"]


def snippet(content: bytes) -> str:
    """The start of a body, on one line."""
    text = content[:400].decode("utf-8", "replace")
    return _cut(" ".join(text.split())) or "empty body"


def _cut(text: str) -> str:
    return text if len(text) <= MAX_MESSAGE_CHARS else text[: MAX_MESSAGE_CHARS - 3] + "..."


_UNREAD = object()
_INVALID = object()


def _payload(response: Response) -> Any:
    """The parsed body, parsed once per response (classify and parse both need it)."""
    cached = getattr(response, "_scoro_payload", _UNREAD)
    if cached is not _UNREAD:
        return cached
    try:
        payload = parse_json(response.content)
    except (ValueError, RecursionError):
        payload = _INVALID
    response._scoro_payload = payload  # type: ignore[attr-defined]
    return payload


def _int(value: Any) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


def is_json(response: Response) -> bool:
    return _payload(response) is not _INVALID
