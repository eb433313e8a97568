"""HTTP for the Scoro client: dlt's retrying `requests` client with three additions.

- Every request has one deadline that includes reading the body (`requests`' timeout is per
  socket read, so a body trickled a byte at a time would never time out).
- A body is decoded tolerantly: a body that says gzip but is plain JSON (or the reverse) is read.
- Each wait before a retry is capped (a 429 naming a wait of a day waits the cap, not a day)
  and logged: the URL (never the key, which travels in the body), the reason, attempt n of m
  and the next wait, so an unreachable server is never 64 s of silence.
"""

from __future__ import annotations

import contextlib
import io
import logging
import math
import os
import socket
import threading
import time
import zlib
from collections.abc import Callable
from typing import Any

import urllib3
import urllib3.connection
import urllib3.exceptions
import urllib3.poolmanager
from dlt.sources.helpers.requests import Client
from dlt.sources.helpers.requests.retry import retry_if_exception_type, retry_if_predicate
from dlt.sources.helpers.requests.session import Session
from requests import PreparedRequest, Response
from requests.adapters import HTTPAdapter
from requests.exceptions import (
    ChunkedEncodingError,
    ConnectionError,
    ContentDecodingError,
    ReadTimeout,
)
from requests.utils import get_environ_proxies, getproxies
from tenacity import RetryCallState, Retrying, retry_any

from pipelines.scoro.envelope import DailyLimitExhausted, ScoroAPIError, classify, is_json

logger = logging.getLogger("scoro_warehouse.client")

RETRY_STATUSES = frozenset({408, 500, 502, 503, 504})
_CHUNK = 64 * 1024


class _Watch:
    """The deadline of one request, and the socket it is read from once that is known."""

    __slots__ = ("deadline", "sock", "expired")

    def __init__(self, deadline: float) -> None:
        self.deadline = deadline
        self.sock: socket.socket | None = None
        self.expired = False

    def attach(self, sock: socket.socket | None) -> None:
        self.sock = sock
        if self.expired:  # the deadline passed before the socket was known
            _shut(sock)

    def expire(self) -> None:
        self.expired = True
        _shut(self.sock)


def _shut(sock: socket.socket | None) -> None:
    if sock is not None:
        with contextlib.suppress(OSError):
            socket.socket.shutdown(sock, socket.SHUT_RDWR)


class _Watchdog:
    """One daemon thread that ends every request still unanswered at its deadline: it shuts
    the request's socket, so that the thread reading it (whatever the server trickles, status
    line or body) returns at once and reports the timeout. The request is sent and read in the
    caller's own thread: no hand-over between threads per request, and the watchdog, looking
    every `TICK` seconds, is never woken by one."""

    TICK = 0.1

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._watches: set[_Watch] = set()
        self._thread: threading.Thread | None = None

    def add(self, watch: _Watch) -> None:
        with self._lock:
            self._watches.add(watch)
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="scoro-deadlines", daemon=True
                )
                self._thread.start()

    def remove(self, watch: _Watch) -> None:
        """After this returns the watch's socket is never shut by the watchdog (it may go
        back to the connection pool)."""
        with self._lock:
            self._watches.discard(watch)

    def _run(self) -> None:
        while True:
            time.sleep(self.TICK)
            now = time.monotonic()
            with self._lock:
                for watch in [w for w in self._watches if w.deadline <= now]:
                    self._watches.discard(watch)
                    watch.expire()


_WATCHDOG = _Watchdog()
_CURRENT = threading.local()


class _OneWrite:
    """Sends a request's header block together with its body, in one write: two writes wake
    the server twice (with TCP_NODELAY each is a packet of its own)."""

    _hold = False
    _held = b""

    def request(self, method: str, url: str, body: Any = None, *args: Any, **kwargs: Any) -> None:
        self._hold = isinstance(body, bytes | str) and bool(body)
        try:
            super().request(method, url, body, *args, **kwargs)  # type: ignore[misc]
        finally:
            held, self._held, self._hold = self._held, b"", False
            if held:  # no body came after all
                super().send(held)  # type: ignore[misc]

    def send(self, data: Any) -> None:
        if self._hold and isinstance(data, bytes):  # the header block: wait for the body
            self._hold = False
            self._held = data
            return
        if self._held and isinstance(data, bytes):
            data, self._held = self._held + data, b""
        super().send(data)  # type: ignore[misc]

    def getresponse(self) -> Any:
        watch = getattr(_CURRENT, "watch", None)
        if watch is not None:
            watch.attach(self.sock)  # type: ignore[attr-defined]
        return super().getresponse()  # type: ignore[misc]


class _WatchedConnection(_OneWrite, urllib3.connection.HTTPConnection):
    pass


class _WatchedHTTPSConnection(_OneWrite, urllib3.connection.HTTPSConnection):
    pass


class _WatchedPool(urllib3.HTTPConnectionPool):
    ConnectionCls = _WatchedConnection


class _WatchedHTTPSPool(urllib3.HTTPSConnectionPool):
    ConnectionCls = _WatchedHTTPSConnection


_PLAIN_POOLS = dict(urllib3.poolmanager.pool_classes_by_scheme)
_WATCHED_POOLS = {"http": _WatchedPool, "https": _WatchedHTTPSPool}


def _watch_pools(manager: Any) -> Any:
    """Connections of `manager` whose socket is handed to the request's watch (a SOCKS
    manager keeps its own pools: its requests are still bounded by the socket timeout)."""
    if getattr(manager, "pool_classes_by_scheme", None) == _PLAIN_POOLS:
        manager.pool_classes_by_scheme = _WATCHED_POOLS
    return manager


class DeadlineAdapter(HTTPAdapter):
    """Sends a request and reads its whole body within `total_timeout` seconds."""

    def __init__(self, total_timeout: float, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.total_timeout = total_timeout

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        _watch_pools(self.poolmanager)

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> Any:
        return _watch_pools(super().proxy_manager_for(proxy, **proxy_kwargs))

    def transmit(self, request: PreparedRequest, timeout: Any = None, **kwargs: Any) -> Response:
        """Sends the request and returns as soon as the status line and headers are in (the
        body is read by `send`, under the deadline)."""
        return HTTPAdapter.send(self, request, stream=True, timeout=timeout, **kwargs)

    def send(
        self, request: PreparedRequest, stream: bool = False, timeout: Any = None, **kwargs: Any
    ) -> Response:  # type: ignore[override]
        watch = _Watch(time.monotonic() + self.total_timeout)
        _CURRENT.watch = watch
        _WATCHDOG.add(watch)
        response: Response | None = None
        try:
            response = self.transmit(request, timeout=timeout, **kwargs)
            _read_body(response, watch)
            failure: BaseException | None = None
        except BaseException as error:
            failure = error
        finally:
            _CURRENT.watch = None
            _WATCHDOG.remove(watch)
        if watch.expired or (failure is None and time.monotonic() > watch.deadline):
            if response is not None:
                _discard(response)
            raise ReadTimeout(
                f"no complete answer within {self.total_timeout:g} s (--request-timeout)",
                request=request,
            ) from failure
        if failure is not None:
            if response is not None:
                _discard(response)  # a broken answer: its connection is not reused
            raise failure
        assert response is not None
        response.raw.release_conn()
        return response


# A function that answers one request in this process: (method, path with query, body) ->
# (status, headers, body, cut). `cut`: the server sends half the body and closes.
Responder = Callable[[str, str, bytes], tuple[int, dict[str, str], bytes, bool]]


class InProcessAdapter(DeadlineAdapter):
    """Hands each request to a server function in this process instead of a socket. The answer
    comes back as a urllib3 response over the bytes, so everything after the socket (deadline,
    body reading and decoding, retries, envelope checks) runs exactly as over HTTP."""

    def __init__(self, responder: Responder, total_timeout: float, **kwargs: Any) -> None:
        super().__init__(total_timeout, **kwargs)
        self.responder = responder

    def transmit(self, request: PreparedRequest, timeout: Any = None, **kwargs: Any) -> Response:
        body = request.body or b""
        if isinstance(body, str):
            body = body.encode("utf-8")
        status, headers, content, cut = self.responder(str(request.method), request.path_url, body)
        sent = content[: len(content) // 2] if cut else content
        raw = urllib3.HTTPResponse(
            body=io.BytesIO(sent),
            headers={"Content-Length": str(len(content)), **headers},
            status=status,
            preload_content=False,
            decode_content=False,
            enforce_content_length=True,
            request_method=request.method,
            request_url=request.url,
        )
        return self.build_response(request, raw)


def _discard(response: Response) -> None:
    """Shuts the socket of an abandoned answer, so that its connection is never handed to the
    next request while the server still writes the old body on it. (requests' own close()
    would put the connection back into the pool.)"""
    raw = response.raw
    connection = getattr(raw, "_connection", None)
    sock = getattr(connection, "sock", None)
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)
    with contextlib.suppress(Exception):
        raw.close()


def _read_body(response: Response, watch: _Watch) -> None:
    """Reads the whole body into the response (the connection is released by the caller)."""
    raw = response.raw
    chunks: list[bytes] = []
    try:
        while not watch.expired:
            chunk = raw.read1(_CHUNK, decode_content=False)
            if not chunk:
                break
            chunks.append(chunk)
    except urllib3.exceptions.ReadTimeoutError as error:
        raise ReadTimeout(str(error), request=response.request) from error
    except (urllib3.exceptions.ProtocolError, urllib3.exceptions.DecodeError) as error:
        raise ChunkedEncodingError(str(error), request=response.request) from error
    except OSError as error:
        raise ConnectionError(str(error), request=response.request) from error
    body = b"".join(chunks)
    response._content = _decoded(body, response.headers.get("content-encoding", ""))  # type: ignore[attr-defined]
    response._content_consumed = True  # type: ignore[attr-defined]


def _decoded(body: bytes, encoding: str) -> bytes:
    """The body, decompressed when it is compressed, whatever its header claims."""
    encoding = encoding.strip().lower()
    gzipped = body[:2] == b"\x1f\x8b"
    if encoding in ("gzip", "x-gzip", "deflate") or gzipped:
        for wbits in (47, zlib.MAX_WBITS, -zlib.MAX_WBITS):  # gzip or zlib, zlib, raw deflate
            try:
                return zlib.decompress(body, wbits)
            except zlib.error:
                continue
        if not gzipped and body.lstrip()[:1] in (b"{", b"["):
            logger.warning("the server said %s but sent a plain body; reading it as sent", encoding)
            return body
        raise ContentDecodingError(f"the body says {encoding or 'gzip'} but does not decompress")
    return body


def named_wait(response: Response | None) -> float | None:
    """The wait the server names (Retry-After, else x-ratelimit-reset), or None. A value that is
    not a finite, non-negative number of seconds (`inf`, `-1`, `soon`) names no wait."""
    if response is None:
        return None
    for header in ("Retry-After", "x-ratelimit-reset"):
        value = response.headers.get(header)
        if value is None:
            continue
        try:
            seconds = float(value)
        except ValueError:
            continue
        if math.isfinite(seconds) and seconds >= 0:
            return seconds
    return None


def status_of(error: BaseException | None, response: Response | None) -> int | None:
    """The status an answer stands for: an envelope's statusCode counts like the HTTP status."""
    if isinstance(error, ScoroAPIError) and error.status is not None:
        return error.status
    if response is not None:
        problem = classify(response)
        if problem is not None:
            return problem.status
        return response.status_code
    return None


def should_retry(response: Response | None, exception: BaseException | None) -> bool:
    """Retry 408/429/5xx (HTTP or envelope), and a 200 whose body is cut short or not JSON.
    Never a spent daily budget."""
    if isinstance(exception, DailyLimitExhausted):
        return False
    status = status_of(exception, response)
    if status == 429 or status in RETRY_STATUSES:
        return True
    if exception is None and response is not None and response.status_code == 200:
        return not is_json(response)
    return False


class RetryingClient(Client):
    """dlt's retrying client. A 429 names its own wait, so it may be retried many more times
    than a 5xx or a timeout; the two are counted apart. Every wait is capped at `max_wait`."""

    def __init__(
        self,
        *,
        rate_limited_attempts: int,
        max_wait: float,
        total_timeout: float,
        on_retry: Callable[[str], None] | None = None,
        responder: Responder | None = None,
        before_attempt: Callable[[], None] | None = None,
        base_url: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        # what `requests` would read from the environment for every request (proxies, CA
        # bundle), read once: every request goes to the same server
        self._proxies = get_environ_proxies(base_url) if base_url else getproxies()
        self._verify = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE")
        self._before_attempt = before_attempt
        self._rate_limited_attempts = rate_limited_attempts
        self._max_wait = max_wait
        self._adapter: DeadlineAdapter = (
            InProcessAdapter(responder, total_timeout)
            if responder is not None
            else DeadlineAdapter(total_timeout, pool_maxsize=50)
        )
        self._on_retry = on_retry

    @staticmethod
    def _outcome(state: RetryCallState) -> tuple[BaseException | None, Response | None]:
        outcome = state.outcome
        if outcome is None:
            return None, None
        error = outcome.exception()
        if error is not None:
            response = getattr(error, "response", None)
            return error, response if isinstance(response, Response) else None
        result = outcome.result()
        return None, result if isinstance(result, Response) else None

    def _failures(self, state: RetryCallState) -> dict[str, int]:
        """Rate-limited attempts and other failures of this call, counted apart so that a long
        429 storm neither uses up nor lengthens the backoff of a 5xx or timeout after it."""
        counts = state.__dict__.setdefault("scoro_failures", {"limited": 0, "other": 0})
        attempt = state.attempt_number
        if state.__dict__.get("scoro_counted") != attempt:
            state.__dict__["scoro_counted"] = attempt
            error, response = self._outcome(state)
            limited = status_of(error, response) == 429
            counts["limited" if limited else "other"] += 1
        return counts

    def _stop(self, state: RetryCallState) -> bool:
        counts = self._failures(state)
        return (
            counts["limited"] >= self._rate_limited_attempts
            or counts["other"] >= self._retry_kwargs["max_attempts"]
        )

    def _wait(self, state: RetryCallState) -> float:
        """The server's own wait when it names one, else exponential backoff over the non-429
        failures only; never more than `max_wait`."""
        _, response = self._outcome(state)
        # the end of a spent window the rate limiter counted itself (client.RateLimiter)
        counted = getattr(response, "_scoro_resume_at", None)
        if counted is not None:
            return float(min(max(0.0, counted - time.monotonic()), self._max_wait))
        named = named_wait(response)
        if named is not None:
            return min(named, self._max_wait)
        other = max(1, self._failures(state)["other"])
        factor = self._retry_kwargs["backoff_factor"]
        return float(
            min(self._max_wait, self._retry_kwargs["max_delay"], factor * 2 ** (other - 1))
        )

    def _log_retry(self, state: RetryCallState) -> None:
        error, response = self._outcome(state)
        request = state.args[0] if state.args else None
        url = getattr(request, "url", None) or "?"
        counts = self._failures(state)
        status = status_of(error, response)
        wait = state.next_action.sleep if state.next_action else 0.0
        if status == 429:
            named = named_wait(response)
            asks = f"; the server asks to wait {named:g} s" if named is not None else ""
            capped = (
                f", capped at {self._max_wait:g} s (--max-retry-wait)"
                if named and named > self._max_wait
                else ""
            )
            reason = f"rate limited (429){asks}{capped}"
            attempt = f"attempt {counts['limited']} of {self._rate_limited_attempts}"
        else:
            if error is not None:
                reason = _reason(error)
            elif response is not None and status == 200:
                reason = "the answer is cut short or not JSON"
            else:
                reason = f"HTTP {status}"
            attempt = f"attempt {counts['other']} of {self._retry_kwargs['max_attempts']}"
        message = f"POST {url}: {reason}; {attempt}, next try in {wait:.1f} s"
        level = logging.INFO if status == 429 else logging.WARNING
        logger.log(level, message)
        if self._on_retry is not None:
            self._on_retry(message)

    def _make_session(self) -> Session:
        session = Session(**self._session_kwargs)  # type: ignore[arg-type]
        session.trust_env = False
        session.proxies.update(self._proxies)
        if self._verify:
            session.verify = self._verify
        session.mount("http://", self._adapter)
        session.mount("https://", self._adapter)
        kwargs = self._retry_kwargs
        retrying = Retrying(
            wait=self._wait,
            retry=retry_any(
                retry_if_exception_type(tuple(kwargs["exceptions"])),
                retry_if_predicate(kwargs["condition"]),
            ),
            stop=self._stop,
            before_sleep=self._log_retry,
            # every attempt on the wire, a retry too, takes its place in the client's pace
            before=(lambda state: self._before_attempt()) if self._before_attempt else None,
            reraise=True,
            retry_error_callback=lambda state: state.outcome.result(),
        )
        session.send = retrying.wraps(session.send)  # type: ignore[method-assign]
        return session


def _reason(error: BaseException) -> str:
    """A short reason for a failed attempt (the first line of the error, without the request
    object's repr)."""
    text = str(error).splitlines()[0] if str(error) else type(error).__name__
    if isinstance(error, ConnectionError) and not isinstance(error, ReadTimeout):
        cause = error.args[0] if error.args else error
        inner = getattr(cause, "reason", None)
        text = str(inner or cause)
        if "Connection refused" in text:
            text = "connection refused"
    return f"{type(error).__name__}: {text[:200]}"
