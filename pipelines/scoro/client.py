"""Transport to the Scoro API v2: POST with a JSON body, page-number pagination with no total,
rate limits from the `x-ratelimit-*` headers, retries of 429/5xx/timeouts/truncated bodies.

Built on dlt's REST client and its retrying `requests` session. The API key travels only in the
request body, added at send time by `ScoroBodyAuth`, so no request log ever contains it.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from dlt.sources.helpers.requests import Client
from dlt.sources.helpers.requests.retry import (
    DEFAULT_RETRY_EXCEPTIONS,
    retry_if_predicate,
    retry_if_status,
    wait_exponential_retry_after,
)
from dlt.sources.helpers.requests.session import Session
from dlt.sources.helpers.rest_client import RESTClient
from dlt.sources.helpers.rest_client.auth import AuthConfigBase
from dlt.sources.helpers.rest_client.paginators import PageNumberPaginator
from requests import HTTPError, PreparedRequest, Response
from tenacity import RetryCallState, Retrying, retry_any, retry_if_exception_type

logger = logging.getLogger("scoro_warehouse.client")

MAX_PER_PAGE = 100
# 429 is retried by `_should_retry` unless the daily budget is spent
RETRY_STATUSES = (408, 500, 502, 503, 504)


class ScoroAPIError(HTTPError):
    """The API answered with an error envelope (or no JSON at all)."""


class DailyLimitExhausted(ScoroAPIError):
    """The daily request budget is spent: stop now, keep state, resume after the reset."""

    def __init__(self, message: str, reset_seconds: float | None, response: Response) -> None:
        super().__init__(message, response=response)
        self.reset_seconds = reset_seconds


@dataclass(frozen=True)
class ScoroCredentials:
    base_url: str
    api_key: str
    company_account_id: str
    lang: str = "eng"

    def __repr__(self) -> str:  # never show the key, even in a traceback
        return (
            f"ScoroCredentials(base_url={self.base_url!r}, api_key='***', "
            f"company_account_id={self.company_account_id!r})"
        )


class ScoroBodyAuth(AuthConfigBase):
    """Adds apiKey, company_account_id and lang to the JSON body as the request is sent."""

    def __init__(self, credentials: ScoroCredentials) -> None:
        super().__init__()
        self._credentials = credentials

    def __call__(self, request: PreparedRequest) -> PreparedRequest:
        body = json.loads(request.body or b"{}")
        body["apiKey"] = self._credentials.api_key
        body["company_account_id"] = self._credentials.company_account_id
        body.setdefault("lang", self._credentials.lang)
        request.prepare_body(data=None, files=None, json=body)
        return request

    def __repr__(self) -> str:
        return "ScoroBodyAuth(api_key='***')"


class RateLimiter:
    """Spaces requests across threads to at most `max_per_second`, and waits out the window
    when the server says fewer requests remain than could be in flight."""

    def __init__(self, max_per_second: float, in_flight: int) -> None:
        self._interval = 1.0 / max_per_second if max_per_second > 0 else 0.0
        self._in_flight = in_flight
        self._lock = threading.Lock()
        self._next_slot = 0.0
        self._blocked_until = 0.0

    def acquire(self) -> None:
        with self._lock:
            now = time.monotonic()
            slot = max(now, self._next_slot, self._blocked_until)
            self._next_slot = slot + self._interval
        delay = slot - time.monotonic()
        if delay > 0:
            time.sleep(delay)

    def observe(self, response: Response) -> None:
        remaining = _header_number(response, "x-ratelimit-remaining")
        reset = _header_number(response, "x-ratelimit-reset")
        if remaining is not None and reset is not None and remaining <= self._in_flight:
            with self._lock:
                self._blocked_until = max(self._blocked_until, time.monotonic() + reset)


def _header_number(response: Response, name: str) -> float | None:
    value = response.headers.get(name)
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


class ShortPagePaginator(PageNumberPaginator):
    """Scoro sends no total: a page shorter than per_page is the last one."""

    def __init__(self, per_page: int) -> None:
        super().__init__(base_page=1, page=1, page_body_path="page", total_path=None)
        self.per_page = per_page

    def update_state(self, response: Response, data: list[Any] | None = None) -> None:
        super().update_state(response, data)
        if data is not None and len(data) < self.per_page:
            self._has_next_page = False


class _DecimalRESTClient(RESTClient):
    """Reads JSON numbers as Decimal so money never passes through a float."""

    def extract_response(self, response: Response, data_selector: Any) -> list[Any]:
        data = parse_envelope(response)
        if data is None:
            return []
        return data if isinstance(data, list) else [data]


def parse_envelope(response: Response) -> Any:
    """The `data` of an OK envelope; ScoroAPIError for anything else."""
    try:
        payload = json.loads(response.content, parse_float=Decimal)
    except ValueError as error:
        raise ScoroAPIError(
            f"{_where(response)}: answer is not JSON ({len(response.content)} bytes)",
            response=response,
        ) from error
    if not isinstance(payload, dict) or payload.get("status") != "OK":
        messages = payload.get("messages") if isinstance(payload, dict) else None
        raise ScoroAPIError(f"{_where(response)}: API error {messages!r}", response=response)
    return payload.get("data")


def _where(response: Response) -> str:
    request = response.request
    path = request.path_url if request is not None else "?"
    return f"POST {path} -> HTTP {response.status_code}"


def _should_retry(response: Response | None, exception: BaseException | None) -> bool:
    """Retry a rate-limited call (not a spent daily budget), and a 200 whose body is cut
    short or is not JSON."""
    if response is None:
        return False
    if response.status_code == 429:
        return not isinstance(exception, DailyLimitExhausted)
    if response.status_code != 200:
        return False
    try:
        json.loads(response.content)
    except ValueError:
        return True
    return False


class _PatientClient(Client):
    """dlt's retrying client, with one change: a 429 names its own wait, so it may be retried
    many more times than a 5xx or a timeout before the call gives up."""

    def __init__(self, *, rate_limited_attempts: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._rate_limited_attempts = rate_limited_attempts

    @staticmethod
    def _failures(state: RetryCallState) -> dict[str, int]:
        """Rate-limited attempts and other failures of this call, counted apart so that a long
        429 storm neither uses up nor lengthens the backoff of a 5xx or timeout after it."""
        counts = state.__dict__.setdefault("scoro_failures", {"limited": 0, "other": 0})
        attempt = state.attempt_number
        if state.__dict__.get("scoro_counted") != attempt:
            state.__dict__["scoro_counted"] = attempt
            outcome = state.outcome
            error = outcome.exception() if outcome is not None else None
            response = getattr(error, "response", None) if error else outcome.result()
            limited = isinstance(response, Response) and response.status_code == 429
            counts["limited" if limited else "other"] += 1
        return counts

    def _stop(self, state: RetryCallState) -> bool:
        counts = self._failures(state)
        return (
            counts["limited"] >= self._rate_limited_attempts
            or counts["other"] >= self._retry_kwargs["max_attempts"]
        )

    def _wait(self, state: RetryCallState) -> float:
        """The server's own wait when it names one (Retry-After, set from x-ratelimit-reset),
        else exponential backoff over the non-429 failures only."""
        named = self._named_wait(state)
        if named is not None:
            return named
        other = max(1, self._failures(state)["other"])
        factor = self._retry_kwargs["backoff_factor"]
        return float(min(self._retry_kwargs["max_delay"], factor * 2 ** (other - 1)))

    def _make_session(self) -> Session:
        session = Session(**self._session_kwargs)  # type: ignore[arg-type]
        session.mount("http://", self._adapter)
        session.mount("https://", self._adapter)
        kwargs = self._retry_kwargs
        self._named_wait = wait_exponential_retry_after(max=kwargs["max_delay"])._get_retry_after
        retrying = Retrying(
            wait=self._wait,
            retry=retry_any(
                retry_if_status(kwargs["status_codes"]),
                retry_if_exception_type(tuple(kwargs["exceptions"])),
                retry_if_predicate(kwargs["condition"]),
            ),
            stop=self._stop,
            reraise=True,
            retry_error_callback=lambda state: state.outcome.result(),
        )
        session.send = retrying.wraps(session.send)  # type: ignore[method-assign]
        return session


class ScoroClient:
    """List and view calls for one Scoro account."""

    def __init__(
        self,
        credentials: ScoroCredentials,
        *,
        max_requests_per_second: float = 10.0,
        max_workers: int = 4,
        request_timeout: float = 30.0,
        max_attempts: int = 8,
        rate_limited_attempts: int = 100,
        backoff_factor: float = 0.5,
        max_retry_delay: float = 60.0,
    ) -> None:
        self.credentials = credentials
        self.max_workers = max_workers
        self.limiter = RateLimiter(max_requests_per_second, max_workers)
        self._auth = ScoroBodyAuth(credentials)
        self._http = _PatientClient(
            rate_limited_attempts=rate_limited_attempts,
            request_timeout=request_timeout,
            raise_for_status=False,
            status_codes=RETRY_STATUSES,
            exceptions=DEFAULT_RETRY_EXCEPTIONS,
            request_max_attempts=max_attempts,
            request_backoff_factor=backoff_factor,
            request_max_retry_delay=max_retry_delay,
            retry_condition=_should_retry,
            respect_retry_after_header=True,
        )
        self._local = threading.local()
        # every HTTP answer, retries included, by action ("list" / "view")
        self.request_counts: dict[str, int] = {"list": 0, "view": 0}
        self._count_lock = threading.Lock()

    # one REST client per thread: each gets its own retrying requests session
    def _rest(self) -> RESTClient:
        rest = getattr(self._local, "rest", None)
        if rest is None:
            rest = _DecimalRESTClient(
                base_url=f"{self.credentials.base_url.rstrip('/')}/api/v2",
                session=self._http.session,
                auth=self._auth,
            )
            self._local.rest = rest
        return rest

    def _hooks(self) -> dict[str, list[Any]]:
        def before_retry(response: Response, *args: Any, **kwargs: Any) -> None:
            action = "view" if "/view/" in (response.request.path_url or "") else "list"
            with self._count_lock:
                self.request_counts[action] += 1
            self.limiter.observe(response)
            reset = response.headers.get("x-ratelimit-reset")
            if response.status_code == 429 and reset and "Retry-After" not in response.headers:
                # dlt's retry honours Retry-After; Scoro names its wait x-ratelimit-reset
                response.headers["Retry-After"] = str(max(1, int(float(reset))))

        def raise_on_error(response: Response, *args: Any, **kwargs: Any) -> None:
            if (
                response.status_code == 429
                and _header_number(response, "x-daily-requests-remaining") == 0
            ):
                raise DailyLimitExhausted(
                    f"{_where(response)}: daily request limit reached",
                    _header_number(response, "x-daily-requests-reset"),
                    response,
                )
            if response.status_code >= 400:
                raise ScoroAPIError(f"{_where(response)}: request failed", response=response)

        return {"response": [before_retry, raise_on_error]}

    def list_pages(
        self,
        module: str,
        *,
        from_date: str | None = None,
        include_deleted: bool = True,
        start_page: int = 1,
        per_page: int = MAX_PER_PAGE,
    ) -> Iterator[tuple[int, list[dict[str, Any]]]]:
        """(page number, records) for every page of `module`, from `start_page` on."""
        # detailed_response: every field of each record, as Scoro's own SDK asks for
        body: dict[str, Any] = {"request": {}, "per_page": per_page, "detailed_response": True}
        if include_deleted:
            body["include_deleted"] = 1
            body["request"] = {"include_deleted": 1}
        if from_date:
            body["filter"] = {"modified_date": {"from_date": from_date}}
        paginator = ShortPagePaginator(per_page)
        paginator.initial_value = start_page
        page_number = start_page
        self.limiter.acquire()
        for page in self._rest().paginate(
            f"{module}/list",
            method="POST",
            json=body,
            paginator=paginator,
            hooks=self._hooks(),
        ):
            yield page_number, list(page)
            page_number += 1
            if paginator.has_next_page:
                self.limiter.acquire()

    def view(self, module: str, record_id: Any) -> dict[str, Any] | None:
        """The full record (lines and custom fields filled), or None if it is gone (404)."""
        self.limiter.acquire()
        try:
            response = self._rest().post(
                f"{module}/view/{record_id}", json={"request": {}}, hooks=self._hooks()
            )
        except ScoroAPIError as error:
            if error.response is not None and error.response.status_code == 404:
                return None
            raise
        data = parse_envelope(response)
        return data if isinstance(data, dict) else None
