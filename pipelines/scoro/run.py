"""What one sync run knows before it starts and learns on the way, for the steps around dlt."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from pipelines.scoro.coerce import LoadIssue


@dataclass
class MirrorFacts:
    """What the DuckDB file holds for this tenant before the run, read once at its start."""

    # table -> keys of every row (a listed record the mirror lacks is fetched, however old)
    keys: dict[str, set[Any]] = field(default_factory=dict)
    # table -> keys of rows flagged deleted (a listing that shows one live clears the flag)
    flagged: dict[str, set[Any]] = field(default_factory=dict)
    # table -> rows of this tenant (the expected size of a listing)
    counts: dict[str, int] = field(default_factory=dict)


@dataclass
class ModuleFailure:
    module: str
    message: str


@dataclass
class SyncRun:
    started_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    issues: list[LoadIssue] = field(default_factory=list)
    # seconds until the daily budget resets, once a module hit it
    stopped_by_daily_limit: float | None = None
    client: Any = None
    mirror: MirrorFacts = field(default_factory=MirrorFacts)
    # resource name -> its state in a pipeline of an older naming, adopted when still empty
    inherited_state: dict[str, Any] | None = None
    # modules that stopped with an error; their cursor did not move, the next sync retries
    failures: list[ModuleFailure] = field(default_factory=list)
    # table -> placeholder rows sent for emptied lists (dlt counts them, they are not stored)
    placeholders: dict[str, int] = field(default_factory=dict)
