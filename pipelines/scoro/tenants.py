"""The dlt pipeline of one tenant in one DuckDB file: its name, its folder, its progress label,
and the cursors it inherits from a pipeline of the older naming.

Names are injective: `scoro_<slug>_<hash>`, the slug for people, a short hash of the exact
tenant id so that `acme-1` and `ACME.1` (or two non-ASCII ids) never share a cursor. Before
issue 8 the name was `scoro_<slug>` alone; a mirror made then keeps its cursors when exactly
one tenant of the file maps to that old name (see DECISIONLOG §0 "Several Scoro accounts").
"""

from __future__ import annotations

import hashlib
import logging
import re
import shutil
from pathlib import Path
from typing import Any

import dlt
from dlt.common.runtime.collector import LogCollector
from dlt.common.versioned_state import decompress_state
from dlt.destinations.impl.duckdb.configuration import DuckDbCredentials

from pipelines.scoro.sqlconnection import Connection

logger = logging.getLogger("scoro_warehouse.sync")

RAW_DATASET = "scoro_raw"
# DuckDB's memory while the loader merges a package (its default is 80 % of the machine's);
# past it DuckDB spills to disk, so a first load of a million lines stays in bounds
LOAD_MEMORY_LIMIT = "1GB"


def _slug(tenant: str) -> str:
    return re.sub(r"[^a-zA-Z0-9_]+", "_", tenant).strip("_").lower() or "default"


def pipeline_name(tenant: str) -> str:
    digest = hashlib.sha256(tenant.encode("utf-8", "surrogatepass")).hexdigest()[:10]
    return f"scoro_{_slug(tenant)[:40]}_{digest}"


def legacy_pipeline_name(tenant: str) -> str:
    """The name given before issue 8, shared by tenants with the same slug."""
    return f"scoro_{_slug(tenant)}"


def pipelines_dir_for(duckdb_path: Path) -> Path:
    return duckdb_path.parent / f".{duckdb_path.stem}.dlt"


class TenantProgress(LogCollector):
    """dlt's log progress, headed by the tenant instead of `Normalize scoro in 1796153011.87`."""

    def __init__(self, tenant: str) -> None:
        super().__init__(
            log_period=5.0,
            logger=logging.getLogger("scoro_warehouse.progress"),
            dump_system_stats=False,
        )
        self.tenant = tenant

    def __call__(self, step: str) -> TenantProgress:
        verb, _, rest = step.partition(" ")
        load = rest.rsplit(" in ", 1)[1] if " in " in rest else None
        self.step = f"{verb} tenant {self.tenant}" + (f" (load {load})" if load else "")
        return self


def pipeline_for(duckdb_path: Path, tenant: str) -> dlt.Pipeline:
    """The dlt pipeline of one tenant in one DuckDB file. Its working folder sits beside the
    file, so state follows the file and two files never share a cursor."""
    duckdb_path = duckdb_path.resolve()
    pipelines_dir = pipelines_dir_for(duckdb_path)
    if not duckdb_path.exists() and pipelines_dir.exists():
        shutil.rmtree(pipelines_dir)  # the file was removed: its cursors mean nothing now
    return dlt.pipeline(
        pipeline_name=pipeline_name(tenant),
        pipelines_dir=str(pipelines_dir),
        destination=dlt.destinations.duckdb(
            DuckDbCredentials(str(duckdb_path), global_config={"memory_limit": LOAD_MEMORY_LIMIT})
        ),
        dataset_name=RAW_DATASET,
        progress=TenantProgress(tenant),
    )


def inherited_state(connection: Connection, tenant: str) -> dict[str, Any] | None:
    """The resource states of the tenant's pipeline of the old naming, when this tenant's new
    pipeline has none yet and the old one was surely this tenant's; None otherwise (with a
    warning when an old pipeline exists but is shared)."""
    old, new = legacy_pipeline_name(tenant), pipeline_name(tenant)
    if not _table_exists(connection, "_dlt_pipeline_state"):
        return None
    names = {
        row[0]
        for row in connection.execute(
            f"select distinct pipeline_name from {RAW_DATASET}._dlt_pipeline_state"
        ).fetchall()
    }
    if new in names or old not in names:
        return None
    sharing = sorted(t for t in tenants_in_file(connection) if legacy_pipeline_name(t) == old)
    if sharing != [tenant]:
        if tenant in sharing:
            logger.warning(
                "tenant %s: the old pipeline %s was shared by tenants %s; this tenant syncs in "
                "full once under its own pipeline %s",
                tenant,
                old,
                ", ".join(sharing),
                new,
            )
        return None
    rows = connection.execute(
        f"select state from {RAW_DATASET}._dlt_pipeline_state where pipeline_name = ? "
        "order by version desc limit 1",
        [old],
    ).fetchall()
    if not rows:
        return None
    state = decompress_state(rows[0][0])
    resources = state.get("sources", {}).get("scoro", {}).get("resources", {})
    logger.warning(
        "tenant %s: the pipeline is now named %s (was %s); it goes on from the old cursors",
        tenant,
        new,
        old,
    )
    return resources or None


def tenants_in_file(connection: Connection) -> set[str]:
    tables = connection.execute(
        "select table_name from information_schema.columns "
        "where table_schema = ? and column_name = 'tenant_id'",
        [RAW_DATASET],
    ).fetchall()
    found: set[str] = set()
    for (table,) in tables:
        found.update(
            row[0]
            for row in connection.execute(
                f'select distinct tenant_id from {RAW_DATASET}."{table}"'
            ).fetchall()
            if row[0] is not None
        )
    return found


def _table_exists(connection: Connection, table: str) -> bool:
    found = connection.execute(
        "select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
        [RAW_DATASET, table],
    ).fetchall()
    return bool(found and found[0][0])
