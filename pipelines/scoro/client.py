"""List and view calls to the Scoro API v2: POST with a JSON body, page-number pagination with
no total, rate limits from the `x-ratelimit-*` headers.

Built on dlt's REST client and paginator (`transport.py` adds the deadline, tolerant decoding
and capped, logged retries). The API key travels only in the request body, added at send time
by `ScoroBodyAuth`, so no URL or request log ever contains it.
"""

from __future__ import annotations

import json
import logging
import math
import re
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from dlt.common import logger as dlt_logger
from dlt.sources.helpers.requests.retry import DEFAULT_RETRY_EXCEPTIONS
from dlt.sources.helpers.rest_client import RESTClient
from dlt.sources.helpers.rest_client.auth import AuthConfigBase
from requests import PreparedRequest, Request, Response
from requests.exceptions import ConnectionError
from requests.structures import CaseInsensitiveDict

from pipelines.scoro.ahead import read_ahead
from pipelines.scoro.envelope import (
    AccessDenied,
    AuthenticationError,
    DailyLimitExhausted,
    NotFound,
    ResponseShapeError,
    ScoroAPIError,
    classify,
    parse_envelope,
)
from pipelines.scoro.paging import PagingKnowledge, ScoroPaginator
from pipelines.scoro.transport import Responder, RetryingClient, should_retry

logger = logging.getLogger("scoro_warehouse.client")

# a record id that may go into a URL path: a plain value, no separators, no dot segments
_PLAIN_ID = re.compile(r"^[A-Za-z0-9_:@~-][A-Za-z0-9_.:@~-]{0,199}$")


class ServerUnreachable(ScoroAPIError):
    """No answer at all after every retry (refused, DNS, TLS): nothing can be synced now."""


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
        content = json.dumps(body, allow_nan=False).encode("utf-8")
        request.body = content
        request.headers["Content-Type"] = "application/json"
        request.headers["Content-Length"] = str(len(content))
        return request

    def __repr__(self) -> str:
        return "ScoroBodyAuth(api_key='***')"


# requests per second while the server has announced no pace and the user set none
DEFAULT_PACE = 10.0


class RateLimiter:
    """Spaces requests (every attempt, retries included) across threads at the pace the server
    announces in its answers, `x-ratelimit-limit` requests per window, the window being the
    `x-ratelimit-reset` of an answer that opened one (1 s until such an answer is seen), with a
    margin so that uneven arrival does not overfill a window; `DEFAULT_PACE` until the server
    announces one. `max_per_second`, when given, caps that pace (0: no cap of the client's own).

    A window the server says is spent (`x-ratelimit-remaining: 0`) is waited out, never longer
    than `max_wait`. `x-ratelimit-reset` is whole seconds, rounded up; the client also counts its
    own requests: a window that holds `limit` requests opened no earlier than the `limit`-th most
    recent request the client let go, so it has ended one window after that. The client waits
    until then when that comes first (a spent 1-second window a few milliseconds from its end
    costs those milliseconds, not a second), unless the server names its wait in `Retry-After`,
    or that count was once proved wrong (another client spending the same budget): then the
    server's reset is waited in full from there on."""

    # the share of the server's announced rate the client uses
    PACE_MARGIN = 0.95
    # the longest window read from `x-ratelimit-reset`; longer is a daily-style budget
    MAX_WINDOW = 60.0
    # added to a window's end the client counted itself (the request it counts from reached
    # the server a little after it was let go)
    WINDOW_MARGIN = 0.05

    def __init__(self, max_per_second: float | None, max_wait: float) -> None:
        if max_per_second is None:
            self._own_interval = 0.0
            self._interval = 1.0 / DEFAULT_PACE  # until the server announces its pace
        else:
            self._own_interval = 1.0 / max_per_second if max_per_second > 0 else 0.0
            self._interval = self._own_interval
        self._max_wait = max_wait
        self._lock = threading.Lock()
        self._next_slot = 0.0
        self._blocked_until = 0.0
        self._window = 1.0
        self.server_pace: float | None = None  # requests per second the server allows
        # when the latest requests were let go, oldest first
        self._sent: deque[float] = deque(maxlen=1000)
        self._trust_own_count = True
        self._resumed_early_at: float | None = None

    @property
    def interval(self) -> float:
        return self._interval

    def acquire(self) -> None:
        with self._lock:
            now = time.monotonic()
            slot = max(now, self._next_slot, self._blocked_until)
            self._next_slot = slot + self._interval
            self._sent.append(slot)
        delay = slot - time.monotonic()
        if delay > 0:
            time.sleep(delay)

    def observe(self, response: Response) -> None:
        limit = _header_number(response, "x-ratelimit-limit")
        remaining = _header_number(response, "x-ratelimit-remaining")
        reset = _header_number(response, "x-ratelimit-reset")
        if reset is not None and reset < 0:
            reset = None
        if limit is not None and limit >= 1:
            self._learn(limit, remaining, reset)
        if remaining is not None and remaining <= 0 and reset is not None:
            wait = min(reset, self._max_wait)
            if reset > 1:
                logger.info(
                    "rate limit: no request left in the window; pausing %.1f s (server: %g s)",
                    wait,
                    reset,
                )
            refused = _refused_for_rate(response)
            with self._lock:
                now = time.monotonic()
                early = self._resumed_early_at
                if refused and early is not None and now > early and self._trust_own_count:
                    self._trust_own_count = False
                    logger.info(
                        "rate limit: refused after the window the client counted had ended; "
                        "waiting the server's reset in full from now on"
                    )
                until = now + wait
                counted = self._counted_window_end(limit, reset, response)
                if counted is not None and counted < until:
                    until = max(counted, now)
                    self._resumed_early_at = until
                    response._scoro_resume_at = until  # type: ignore[attr-defined]
                self._blocked_until = max(self._blocked_until, until)

    def _counted_window_end(
        self, limit: float | None, reset: float, response: Response
    ) -> float | None:
        """The end of the spent window by the client's own count (see the class), or None."""
        if not self._trust_own_count or limit is None or limit < 1:
            return None
        if reset > self._window + 1 or response.headers.get("Retry-After") is not None:
            return None  # a longer pause than one window, or a wait the server names itself
        count = int(limit)
        if len(self._sent) < count:
            return None
        return self._sent[-count] + self._window * (1 + self.WINDOW_MARGIN)

    def _learn(self, limit: float, remaining: float | None, reset: float | None) -> None:
        with self._lock:
            if remaining == limit - 1 and reset is not None and 1 <= reset <= self.MAX_WINDOW:
                self._window = reset  # the first request of a fresh window sees all of it
            pace = limit / self._window
            if pace == self.server_pace:
                return
            self.server_pace = pace
            server_interval = min(1.0 / (pace * self.PACE_MARGIN), self._max_wait)
            self._interval = max(self._own_interval, server_interval)
        logger.info(
            "rate limit: the server allows %g requests per %g s; pacing at %.1f requests/s",
            limit,
            self._window,
            1.0 / self._interval if self._interval else float("inf"),
        )


def _refused_for_rate(response: Response) -> bool:
    if response.status_code == 429:
        return True
    problem = classify(response)
    return problem is not None and problem.status == 429


def _header_number(response: Response, name: str) -> float | None:
    value = response.headers.get(name)
    try:
        number = float(value) if value is not None else None
    except ValueError:
        return None
    return number if number is not None and math.isfinite(number) else None


def where(response: Response) -> str:
    request = response.request
    path = request.path_url if request is not None else "?"
    return f"POST {path} -> HTTP {response.status_code}"


class _DecimalRESTClient(RESTClient):
    """Reads JSON numbers exactly, and accepts a page only when `data` is a list (or a
    position-keyed object, as PHP sends lists)."""

    def _log_request(self, request: Any, prepared_url: str) -> None:
        # dlt logs every request's URL at INFO (the key is in the body, never in the URL);
        # the line costs about as much as a fast server's answer, so it is made only when
        # dlt's logger would write it
        target = dlt_logger.LOGGER
        if target is not None and target.isEnabledFor(logging.INFO):
            super()._log_request(request, prepared_url)

    def _send_request(self, request: Request, **kwargs: Any) -> Response:
        """dlt's send, minus what `requests` merges on every request for a session that may
        talk to many servers (its `merge_setting` checks cost as much as a fast server's
        answer). This session has no params, trusts no environment (its proxies and CA bundle
        were read once, transport.py) and keeps its cookies: the session's headers, auth,
        cookies, proxies and certificates go into the request as `requests` would put them."""
        session = self.session
        headers = CaseInsensitiveDict(session.headers)
        for name, value in (request.headers or {}).items():
            if value is None:
                headers.pop(name, None)
            else:
                headers[name] = value
        prepared = PreparedRequest()
        prepared.prepare(
            method=request.method.upper(),
            url=request.url,
            headers=headers,
            files=request.files,
            data=request.data,
            json=request.json,
            params={**session.params, **(request.params or {})},
            auth=request.auth or session.auth,
            cookies=session.cookies,
            hooks=request.hooks,
        )
        self._log_request(request, prepared.url)
        settings = {
            "proxies": dict(session.proxies),
            "stream": session.stream,
            "verify": session.verify,
            "cert": session.cert,
        }
        return session.send(prepared, **{**settings, **kwargs})

    def extract_response(self, response: Response, data_selector: Any) -> list[Any]:
        page = _page_of(response)
        data = parse_envelope(response, where(response))
        if data is None:
            return []
        if isinstance(data, list):
            return data
        if isinstance(data, dict) and all(isinstance(k, str) and k.isdigit() for k in data):
            return [data[k] for k in sorted(data, key=int)]
        raise ResponseShapeError(
            f"{where(response)}: page {page} of the listing has `data` of type "
            f"{type(data).__name__}, not a list of records: {str(data)[:80]!r}",
            status=response.status_code,
            response=response,
        )


def _page_of(response: Response) -> Any:
    """The page number this answer is for, read back from our own request body."""
    try:
        body = json.loads(response.request.body or b"{}")
        return body.get("page", "?")
    except (ValueError, AttributeError):
        return "?"


def plain_id(value: Any) -> str | None:
    """The id as a URL path segment, or None when it is not a plain value (`../admin?x=1#`)."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str) and _PLAIN_ID.match(value) and value not in (".", ".."):
        return quote(value, safe="")
    return None


class ScoroClient:
    """List and view calls for one Scoro account."""

    def __init__(
        self,
        credentials: ScoroCredentials,
        *,
        max_requests_per_second: float | None = None,
        max_workers: int = 4,
        request_timeout: float = 30.0,
        max_attempts: int = 8,
        rate_limited_attempts: int = 100,
        backoff_factor: float = 0.5,
        max_retry_wait: float = 30.0,
        responder: Responder | None = None,
    ) -> None:
        self.credentials = credentials
        self.max_workers = max_workers
        self.limiter = RateLimiter(max_requests_per_second, max_retry_wait)
        self._auth = ScoroBodyAuth(credentials)
        self._http = RetryingClient(
            rate_limited_attempts=rate_limited_attempts,
            max_wait=max_retry_wait,
            total_timeout=request_timeout,
            request_timeout=request_timeout,
            raise_for_status=False,
            status_codes=(),
            exceptions=DEFAULT_RETRY_EXCEPTIONS,
            request_max_attempts=max_attempts,
            request_backoff_factor=backoff_factor,
            request_max_retry_delay=max_retry_wait,
            retry_condition=should_retry,
            respect_retry_after_header=True,
            responder=responder,
            before_attempt=self.limiter.acquire,
            base_url=credentials.base_url,
        )
        self._local = threading.local()
        self._view_pool: ThreadPoolExecutor | None = None
        self._pool_lock = threading.Lock()
        # every HTTP answer, retries included, by action ("list" / "view")
        self.request_counts: dict[str, int] = {"list": 0, "view": 0}
        self._count_lock = threading.Lock()

    def view_pool(self) -> ThreadPoolExecutor:
        """The `max_workers` threads that make view calls, shared by every module, so that at
        most that many views are in flight whatever the modules do."""
        with self._pool_lock:
            if self._view_pool is None:
                self._view_pool = ThreadPoolExecutor(
                    max_workers=self.max_workers, thread_name_prefix="scoro-view"
                )
            return self._view_pool

    def close(self) -> None:
        with self._pool_lock:
            pool, self._view_pool = self._view_pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)

    def redact(self, text: str) -> str:
        key = self.credentials.api_key
        return text.replace(key, "***") if key else text

    @property
    def base(self) -> str:
        return f"{self.credentials.base_url.rstrip('/')}/api/v2"

    # one REST client per thread: each gets its own retrying requests session
    def _rest(self) -> RESTClient:
        rest = getattr(self._local, "rest", None)
        if rest is None:
            rest = _DecimalRESTClient(
                base_url=self.base, session=self._http.session, auth=self._auth
            )
            self._local.rest = rest
        return rest

    def _hooks(self) -> dict[str, list[Any]]:
        def count_and_pace(response: Response, *args: Any, **kwargs: Any) -> None:
            action = "view" if "/view/" in (response.request.path_url or "") else "list"
            with self._count_lock:
                self.request_counts[action] += 1
            self.limiter.observe(response)

        def raise_on_error(response: Response, *args: Any, **kwargs: Any) -> None:
            problem = classify(response)
            if problem is None:
                return
            # the API's own words, without the key should the API echo it
            message = f"{where(response)}: {self.redact(problem.message)}"
            if problem.status != response.status_code:
                message += f" (statusCode {problem.status} in the answer)"
            if (
                problem.status == 429
                and _header_number(response, "x-daily-requests-remaining") == 0
            ):
                raise DailyLimitExhausted(
                    f"{where(response)}: daily request limit reached",
                    _header_number(response, "x-daily-requests-reset"),
                    response,
                )
            error_class = {
                401: AuthenticationError,
                403: AccessDenied,
                404: NotFound,
            }.get(problem.status or 0, ScoroAPIError)
            raise error_class(message, status=problem.status, response=response)

        return {"response": [count_and_pace, raise_on_error]}

    def _unreachable(self, error: ConnectionError, path: str) -> ServerUnreachable:
        reason = str(error.args[0] if error.args else error)
        if "Connection refused" in reason:
            reason = "connection refused"
        return ServerUnreachable(
            f"cannot reach {self.base}/{path} after retries: {reason[:200]}", status=None
        )

    def list_pages(
        self,
        module: str,
        *,
        key_of: Callable[[dict[str, Any]], Any],
        knowledge: PagingKnowledge,
        from_date: str | None = None,
        include_deleted: bool = True,
        start_page: int = 1,
        max_pages: int = 100_000,
    ) -> Iterator[tuple[int, list[Any]]]:
        """(page number, records) for every page of `module`, from `start_page` on; the next
        page is fetched while the caller works on this one."""
        return read_ahead(
            lambda: self._pages(
                module,
                key_of=key_of,
                knowledge=knowledge,
                from_date=from_date,
                include_deleted=include_deleted,
                start_page=start_page,
                max_pages=max_pages,
            ),
            name=f"scoro-list-{module}",
        )

    def _pages(
        self,
        module: str,
        *,
        key_of: Callable[[dict[str, Any]], Any],
        knowledge: PagingKnowledge,
        from_date: str | None,
        include_deleted: bool,
        start_page: int,
        max_pages: int,
    ) -> Iterator[tuple[int, list[Any]]]:
        # detailed_response: every field of each record, as Scoro's own SDK asks for
        body: dict[str, Any] = {"request": {}, "detailed_response": True}
        if include_deleted:
            body["include_deleted"] = 1
            body["request"] = {"include_deleted": 1}
        if from_date:
            body["filter"] = {"modified_date": {"from_date": from_date}}
        paginator = ScoroPaginator(
            module=module,
            start_page=start_page,
            key_of=key_of,
            knowledge=knowledge,
            max_pages=max_pages,
        )
        pages = self._rest().paginate(
            f"{module}/list",
            method="POST",
            json=body,
            paginator=paginator,
            # named, so that dlt does not parse the body to guess it (our parser reads NaN)
            data_selector="data",
            hooks=self._hooks(),
            allow_redirects=False,
        )
        try:
            for page in pages:
                yield paginator.current_page, list(page)
        except ConnectionError as error:  # refused, DNS, TLS, connect timeout: after retries
            raise self._unreachable(error, f"{module}/list") from error

    def view(self, module: str, record_id: Any) -> dict[str, Any]:
        """The full record (lines and custom fields filled). NotFound if it is gone."""
        segment = plain_id(record_id)
        if segment is None:
            raise ValueError(f"{module}: record id {record_id!r} is not a plain value")
        path = f"{module}/view/{segment}"
        try:
            response = self._rest().post(
                path, json={"request": {}}, hooks=self._hooks(), allow_redirects=False
            )
        except ConnectionError as error:
            raise self._unreachable(error, path) from error
        data = parse_envelope(response, where(response))
        if isinstance(data, list) and len(data) == 1 and isinstance(data[0], dict):
            data = data[0]  # a record wrapped in a list
        if not isinstance(data, dict):
            raise ResponseShapeError(
                f"{where(response)}: `data` is {type(data).__name__}, not a record",
                status=response.status_code,
                response=response,
            )
        return data
