"""An iterator read one item ahead in a thread of its own: the next page of a listing is on
the wire while the caller builds the rows of this one (a paginated listing is sequential by
nature: whether there is a next page is known only once this one is in)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

T = TypeVar("T")

_END = object()
# how often a producer waiting for its turn looks whether the consumer is gone
_POLL_SECONDS = 0.2


def read_ahead(make: Callable[[], Iterator[T]], name: str) -> Iterator[T]:
    """The items of `make()` in order, each asked for as soon as the consumer took the one
    before (so at most one item is fetched that the consumer has not asked for yet). An error
    of the producer is raised to the consumer in its place in the sequence; a consumer that
    stops early stops the producer after the item it is fetching."""
    turns = threading.Semaphore(1)  # the producer may fetch one item beyond the consumer's
    ready = threading.Semaphore(0)
    box: list[tuple[Any, BaseException | None]] = []
    stop = threading.Event()

    def take_turn() -> bool:
        while not turns.acquire(timeout=_POLL_SECONDS):
            if stop.is_set():
                return False
        return not stop.is_set()

    def produce() -> None:
        items = make()
        try:
            while take_turn():
                try:
                    item: Any = next(items)
                except StopIteration:
                    box.append((_END, None))
                    ready.release()
                    return
                except BaseException as error:  # handed to the consumer in its place
                    box.append((_END, error))
                    ready.release()
                    return
                box.append((item, None))
                ready.release()
        finally:
            close = getattr(items, "close", None)
            if close is not None:
                close()

    def consume() -> Iterator[T]:
        threading.Thread(target=produce, name=name, daemon=True).start()
        try:
            while True:
                ready.acquire()
                item, error = box.pop(0)
                if error is not None:
                    raise error
                if item is _END:
                    return
                turns.release()  # the next item is fetched while the caller uses this one
                yield item
        finally:
            stop.set()
            turns.release()

    return consume()
