"""`view/{id}` calls of one module: several in flight, each answer checked (a view answering
another record is a failure, not that record), behind a circuit breaker that stops calling once
the module's views keep failing."""

from __future__ import annotations

import threading
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any

from pipelines.scoro import schema
from pipelines.scoro.client import ScoroClient, ServerUnreachable
from pipelines.scoro.envelope import AuthenticationError, DailyLimitExhausted, NotFound
from pipelines.scoro.rows import typed_key


def collect(futures: list[Future[ViewOutcome] | None]) -> list[ViewOutcome | None]:
    """The outcomes of started views, in order; the first error stops the collection and
    cancels the views not started yet."""
    try:
        return [None if future is None else future.result() for future in futures]
    except BaseException:
        cancel(futures)
        raise


def cancel(futures: list[Future[ViewOutcome] | None]) -> None:
    for future in futures:
        if future is not None:
            future.cancel()


class ViewBreaker:
    """Opens once `limit` views of one module failed in a row: the remaining views are not
    called, and the module stops with one message instead of retrying every record."""

    def __init__(self, module: str, limit: int) -> None:
        self.module = module
        self.limit = limit
        self.in_a_row = 0
        self.reason: str | None = None
        self._lock = threading.Lock()

    @property
    def open(self) -> bool:
        return self.reason is not None

    def success(self) -> None:
        with self._lock:
            self.in_a_row = 0

    def failure(self, message: str) -> None:
        with self._lock:
            self.in_a_row += 1
            if self.in_a_row >= self.limit and self.reason is None:
                self.reason = (
                    f"{self.module}: {self.in_a_row} view calls in a row failed, the last with "
                    f"{message}; stopped viewing {self.module} (the next sync retries)"
                )


@dataclass
class ViewOutcome:
    record: dict[str, Any] | None = None
    gone: bool = False
    error: str | None = None


class Viewer:
    """Views of one module's records."""

    def __init__(
        self, client: ScoroClient, spec: schema.ModuleSpec, key_type: str, failure_limit: int
    ) -> None:
        self.client = client
        self.spec = spec
        self.key_type = key_type
        self.breaker = ViewBreaker(spec.module, failure_limit)

    def submit(self, keys: list[Any]) -> list[Future[ViewOutcome] | None]:
        """Starts the views of `keys` on the client's workers (None where the key is None: no
        view wanted); the caller collects the outcomes while it does other work."""
        pool = self.client.view_pool()
        return [None if key is None else pool.submit(self.view, key) for key in keys]

    def views(self, keys: list[Any]) -> list[ViewOutcome | None]:
        """The outcome for each key (None where the key is None: no view wanted)."""
        return collect(self.submit(keys))

    def view(self, key: Any) -> ViewOutcome:
        if self.breaker.open:
            return ViewOutcome(error="not called: this module's views keep failing")
        try:
            data = self.client.view(self.spec.module, key)
        except NotFound:
            self.breaker.success()
            # gone between list and view: the listed header is loaded, the next listing
            # shows the deletion
            return ViewOutcome(gone=True)
        except (AuthenticationError, ServerUnreachable, DailyLimitExhausted):
            raise  # nothing more can be fetched: the sync stops (or pauses)
        except Exception as error:
            message = str(error) or repr(error)
            self.breaker.failure(message)
            return ViewOutcome(error=message)
        answered = data.get(self.spec.primary_key)
        if answered is not None and typed_key(answered, self.key_type) != key:
            message = f"view/{key} answered record {answered!r}"
            self.breaker.failure(message)
            return ViewOutcome(error=message)
        self.breaker.success()
        return ViewOutcome(record={**data, self.spec.primary_key: key})
