"""Fault switches, request log and rate limits of the simulated API."""

from __future__ import annotations

import math
import random
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

UNLIMITED_DAILY = 1_000_000_000  # what the daily headers say when no daily limit is set


@dataclass
class Decision:
    """What the faults make of one data request."""

    status: int | None = None  # answer at once with this error status
    delay: float = 0.0  # sleep before answering
    truncate: bool = False  # send half the body under the full Content-Length


class Faults:
    """Runtime fault switches; each counts down over the next data requests."""

    def __init__(self, seed: int = 0) -> None:
        self._lock = threading.Lock()
        self._rng = random.Random(seed)
        self.clear()

    def clear(self) -> None:
        with self._lock:
            self._storm = 0
            self._errors = 0
            self._error_codes: tuple[int, ...] = (500, 503)
            self._slow = 0
            self._slow_seconds = 0.0
            self._truncate = 0
            self._malformed: dict[tuple[str, str], dict[str, Any]] = {}

    def storm_429(self, n: int = 1) -> None:
        """The next ``n`` data requests answer 429 with x-ratelimit-reset 1."""
        with self._lock:
            self._storm = int(n)

    def error_5xx(self, n: int = 1, codes: tuple[int, ...] = (500, 503)) -> None:
        """The next ``n`` data requests answer one of ``codes`` (500 or 503; 408 works too)."""
        with self._lock:
            self._errors, self._error_codes = int(n), tuple(codes)

    def slow(self, n: int = 1, seconds: float = 5.0) -> None:
        """The next ``n`` data requests sleep ``seconds`` before answering."""
        with self._lock:
            self._slow, self._slow_seconds = int(n), float(seconds)

    def truncate(self, n: int = 1) -> None:
        """The next ``n`` data responses stop halfway through the body and close."""
        with self._lock:
            self._truncate = int(n)

    def malformed(
        self,
        module: str = "invoices",
        record_id: Any = None,
        field: str = "sum",
        value: Any = "twelve",
    ) -> None:
        """Record ``record_id`` of ``module`` carries ``value`` in ``field`` (list and view)."""
        with self._lock:
            self._malformed.setdefault((module, str(record_id)), {})[field] = value

    def malformations(self, module: str, record_id: Any) -> dict[str, Any]:
        if not self._malformed:
            return {}
        with self._lock:
            return dict(self._malformed.get((module, str(record_id)), {}))

    def take(self) -> Decision:
        """Consume the switches that apply to one data request."""
        with self._lock:
            if self._storm > 0:
                self._storm -= 1
                return Decision(status=429)
            if self._errors > 0:
                self._errors -= 1
                return Decision(status=self._rng.choice(self._error_codes))
            decision = Decision()
            if self._slow > 0:
                self._slow -= 1
                decision.delay = self._slow_seconds
            if self._truncate > 0:
                self._truncate -= 1
                decision.truncate = True
            return decision

    def state(self) -> dict[str, Any]:
        with self._lock:
            return {
                "storm_429": self._storm,
                "error_5xx": self._errors,
                "slow": {"n": self._slow, "seconds": self._slow_seconds},
                "truncate": self._truncate,
                "malformed": [
                    {"module": m, "record_id": r, "fields": f}
                    for (m, r), f in self._malformed.items()
                ],
            }

    def apply(self, body: dict[str, Any]) -> dict[str, Any]:
        """Set switches from a control-surface JSON body, e.g. ``{"storm_429": 3}``."""
        if body.get("clear"):
            self.clear()
        if "storm_429" in body:
            self.storm_429(body["storm_429"])
        if "error_5xx" in body:
            errors = body["error_5xx"]
            self.error_5xx(**errors) if isinstance(errors, dict) else self.error_5xx(errors)
        if "slow" in body:
            slow = body["slow"]
            self.slow(**slow) if isinstance(slow, dict) else self.slow(slow)
        if "truncate" in body:
            self.truncate(body["truncate"])
        if "malformed" in body:
            self.malformed(**body["malformed"])
        return self.state()


class Stats:
    """Log of data requests: counts by (module, action), the ids asked for by view, answers by
    status, records listed per module, and when the first and last OK answer went out."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        with self._lock:
            self._counts: Counter[tuple[str, str]] = Counter()
            self._views: dict[str, list[Any]] = {}
            self._statuses: Counter[int] = Counter()
            self._listed: Counter[str] = Counter()
            self._first_ok: float | None = None
            self._last_ok: float | None = None

    def record(self, module: str, action: str, record_id: Any = None) -> None:
        with self._lock:
            self._counts[(module, action)] += 1
            if action == "view":
                self._views.setdefault(module, []).append(_as_id(record_id))

    def answered(self, module: str, status: int, listed: int | None = None) -> None:
        """One data request answered with `status` (`listed` records, for a list call)."""
        now = time.monotonic()
        with self._lock:
            self._statuses[status] += 1
            if listed is not None:
                self._listed[module] += listed
            if status == 200:
                if self._first_ok is None:
                    self._first_ok = now
                self._last_ok = now

    def count(self, module: str | None = None, action: str | None = None) -> int:
        with self._lock:
            return sum(
                n
                for (m, a), n in self._counts.items()
                if (module is None or m == module) and (action is None or a == action)
            )

    def view_ids(self, module: str) -> list[Any]:
        with self._lock:
            return list(self._views.get(module, []))

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            return {
                "total": sum(self._counts.values()),
                "counts": {f"{m}/{a}": n for (m, a), n in sorted(self._counts.items())},
                "view_ids": {m: list(ids) for m, ids in self._views.items()},
                "statuses": {str(k): n for k, n in sorted(self._statuses.items())},
                "listed": dict(sorted(self._listed.items())),
                # from the first to the last OK answer
                "ok_seconds": (
                    self._last_ok - self._first_ok if self._first_ok is not None else 0.0
                ),
            }


def _as_id(value: Any) -> Any:
    try:
        return int(value)
    except (TypeError, ValueError):
        return value


class RateLimiter:
    """Per-apiKey budgets: requests per one-second window and per day."""

    def __init__(
        self,
        per_second: int = 20,
        daily_limit: int | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.per_second = per_second
        self.daily_limit = daily_limit
        self._clock = clock
        self._lock = threading.Lock()
        self._buckets: dict[str, list[float]] = {}

    def hit(self, key: str, spend: bool = True) -> tuple[bool, dict[str, str]]:
        """Spend one request of ``key``'s budget: (allowed, rate-limit headers).
        With ``spend=False`` only report the budget."""
        now = self._clock()
        daily = self.daily_limit
        with self._lock:
            bucket = self._buckets.setdefault(key, [now, 0, now, 0])
            if now - bucket[0] >= 1:
                bucket[0], bucket[1] = now, 0
            if now - bucket[2] >= 86400:
                bucket[2], bucket[3] = now, 0
            allowed = bucket[1] < self.per_second and (daily is None or bucket[3] < daily)
            if allowed and spend:
                bucket[1] += 1
                bucket[3] += 1
            day_limit = daily if daily is not None else UNLIMITED_DAILY
            headers = {
                "x-ratelimit-limit": str(self.per_second),
                "x-ratelimit-remaining": str(max(0, self.per_second - int(bucket[1]))),
                "x-ratelimit-reset": str(max(1, math.ceil(bucket[0] + 1 - now))),
                "x-daily-requests-limit": str(day_limit),
                "x-daily-requests-remaining": str(max(0, day_limit - int(bucket[3]))),
                "x-daily-requests-reset": str(max(1, math.ceil(bucket[2] + 86400 - now))),
            }
        return allowed, headers
