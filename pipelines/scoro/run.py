"""What one sync run learns on the way, for the steps after dlt's load."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from pipelines.scoro.coerce import LoadIssue


@dataclass
class SyncRun:
    started_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    issues: list[LoadIssue] = field(default_factory=list)
    # table -> (tenant, key column, every id the API listed) for modules listed in full
    listed_ids: dict[str, tuple[str, str, set[str]]] = field(default_factory=dict)
    # (child table, tenant, parent id) whose parent now carries an empty list
    emptied_children: list[tuple[str, str, Any]] = field(default_factory=list)
    # seconds until the daily budget resets, once a module hit it
    stopped_by_daily_limit: float | None = None
    client: Any = None
