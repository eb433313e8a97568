"""DuckDB allows one writing process per file: a reader (a notebook, `dbt build`) holding the
file makes every write fail. Say so plainly, name the process, and optionally wait for it."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import duckdb

logger = logging.getLogger("scoro_warehouse.sync")

_PID = re.compile(r"\(PID (\d+)\)")
T = TypeVar("T")


class FileLocked(RuntimeError):
    """Another process holds the DuckDB file."""

    def __init__(self, path: Path, pid: str | None, waited: float | None) -> None:
        holder = f"PID {pid}" if pid else "another process"
        if waited:
            text = (
                f"{path}: the file is still locked by {holder} (a reader or dbt) after waiting "
                f"{waited:g} s: close it, or wait longer with --wait SECONDS"
            )
        else:
            text = (
                f"{path}: the file is locked by {holder} (a reader or dbt): close it or use "
                "the --wait option"
            )
        super().__init__(text)
        self.pid = pid


def lock_holder(error: BaseException) -> str | None | bool:
    """The PID in a DuckDB lock error anywhere in the chain of `error`; '' when it names none;
    False when the chain has no lock error."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        text = str(current)
        if "Could not set lock" in text or "Conflicting lock" in text:
            match = _PID.search(text)
            return match.group(1) if match else ""
        current = current.__cause__ or current.__context__
    return False


def with_file(path: Path, wait: float | None, action: Callable[[], T]) -> T:
    """`action()`, retried while another process holds the file, for up to `wait` seconds."""
    deadline = time.monotonic() + (wait or 0.0)
    announced = False
    while True:
        try:
            return action()
        except Exception as error:
            holder = lock_holder(error)
            if holder is False:
                raise
            if wait is None or time.monotonic() >= deadline:
                raise FileLocked(path, holder or None, wait) from error
            if not announced:
                logger.warning(
                    "%s is locked by %s (a reader or dbt); waiting up to %g s for it",
                    path,
                    f"PID {holder}" if holder else "another process",
                    wait,
                )
                announced = True
            time.sleep(0.5)


def check_writable(path: Path, wait: float | None) -> None:
    """Fails with FileLocked (after `wait` seconds, if given) while another process holds it."""

    def open_for_writing() -> None:
        duckdb.connect(str(path)).close()

    with_file(path, wait, open_for_writing)
