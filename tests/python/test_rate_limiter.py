"""The client's pace under a server's rate limit: the pace the server announces by default, and
how long a spent window is waited (the server's whole-second reset, or the end the client
counted itself). Answers are real `requests` responses carrying the headers a server sends."""

from __future__ import annotations

import json
import time
from pathlib import Path

from requests import Response

from conftest import SITE_TIMEZONE, TENANT, start_simulator
from pipelines.scoro.client import DEFAULT_PACE, RateLimiter
from pipelines.scoro.sync import sync


def answer(status: int = 200, **headers: str) -> Response:
    response = Response()
    response.status_code = status
    response.headers.update({k.replace("_", "-"): v for k, v in headers.items()})
    envelope = {"status": "OK" if status == 200 else "ERROR", "statusCode": status, "data": []}
    response._content = json.dumps(envelope).encode()
    return response


def spent(**extra: str) -> Response:
    """A 429 of a server allowing 25 requests a second whose window is spent."""
    headers = {"x_ratelimit_limit": "25", "x_ratelimit_remaining": "0", "x_ratelimit_reset": "1"}
    return answer(429, **{**headers, **extra})


def let_go(limiter: RateLimiter, count: int) -> None:
    for _ in range(count):
        limiter.acquire()


def test_the_default_pace_is_the_servers() -> None:
    limiter = RateLimiter(None, max_wait=30)
    assert limiter.interval == 1 / DEFAULT_PACE  # nothing announced yet
    limiter.observe(answer(x_ratelimit_limit="25", x_ratelimit_remaining="24"))
    assert abs(limiter.interval - 1 / (25 * RateLimiter.PACE_MARGIN)) < 1e-9
    # a cap the user set still wins when it is slower
    capped = RateLimiter(10, max_wait=30)
    capped.observe(answer(x_ratelimit_limit="25", x_ratelimit_remaining="24"))
    assert capped.interval == 0.1


def test_a_spent_window_is_waited_until_the_end_the_client_counted() -> None:
    """25 requests let go just now fill the server's window: it ends about 1 s after the first
    of them, not 1 s after the refusal; with fewer requests counted, the server's reset is
    waited in full."""
    limiter = RateLimiter(0, max_wait=30)
    first = time.monotonic()
    let_go(limiter, 25)
    time.sleep(0.3)
    refusal = spent()
    limiter.observe(refusal)
    resume = limiter._blocked_until
    assert first + 1 <= resume <= first + 1 + 2 * RateLimiter.WINDOW_MARGIN
    assert refusal._scoro_resume_at == resume  # the retry of this request waits as long
    few = RateLimiter(0, max_wait=30)
    let_go(few, 10)
    now = time.monotonic()
    few.observe(spent())
    assert few._blocked_until >= now + 1


def test_a_wait_the_server_names_is_waited_in_full() -> None:
    limiter = RateLimiter(0, max_wait=30)
    let_go(limiter, 25)
    now = time.monotonic()
    limiter.observe(spent(Retry_After="3"))
    assert limiter._blocked_until >= now + 1  # x-ratelimit-reset, not the client's count
    daily = RateLimiter(0, max_wait=30)
    let_go(daily, 25)
    now = time.monotonic()
    daily.observe(spent(x_ratelimit_reset="600"))
    assert daily._blocked_until >= now + 30  # a long pause is not one window: capped wait


def test_a_refusal_after_the_counted_end_stops_trusting_the_count() -> None:
    """Another client spending the same budget makes the count wrong: refused again after the
    counted end, the client waits the server's reset in full from then on."""
    limiter = RateLimiter(0, max_wait=30)
    let_go(limiter, 25)
    limiter.observe(spent())
    time.sleep(max(0.0, limiter._blocked_until - time.monotonic()) + 0.01)
    let_go(limiter, 25)
    limiter.observe(spent())  # refused although the counted window had ended
    now = time.monotonic()
    let_go(limiter, 25)
    limiter.observe(spent())
    assert limiter._blocked_until >= now + 1


def test_a_default_sync_keeps_under_the_servers_limit(tmp_path: Path) -> None:
    """No client-side setting: the sync paces itself at the limit the server announces, so a
    server allowing 25 requests a second refuses few or none, and the mirror is complete."""
    sim = start_simulator(rate_limit_per_second=25)
    try:
        result = sync(
            tmp_path / "scoro.duckdb",
            base_url=sim.url,
            api_key=sim.tenants[TENANT],
            company_account_id=TENANT,
            site_timezone=SITE_TIMEZONE,
            modules=["invoices"],
        )
        assert result.complete
        answered = sim.stats.snapshot()["statuses"]
        assert answered.get("429", 0) <= 2, answered
    finally:
        sim.stop()
