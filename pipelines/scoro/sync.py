"""One sync of one Scoro account into a DuckDB file: dlt run, then the two fix-ups dlt's merge
cannot express (deletes found by a full id listing, child lists that became empty)."""

from __future__ import annotations

import logging
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import dlt
import duckdb
import pyarrow as pa

from pipelines.scoro import destinations, schema
from pipelines.scoro.run import SyncRun
from pipelines.scoro.source import scoro

logger = logging.getLogger("scoro_warehouse.sync")

RAW_DATASET = "scoro_raw"


@dataclass
class SyncResult:
    duckdb_path: Path
    tenant: str
    rows_loaded: dict[str, int] = field(default_factory=dict)
    requests: dict[str, int] = field(default_factory=dict)
    issues: int = 0
    swept_deleted: dict[str, int] = field(default_factory=dict)
    stopped_by_daily_limit: float | None = None
    destination: str = destinations.DUCKDB

    @property
    def complete(self) -> bool:
        return self.stopped_by_daily_limit is None

    def summary(self) -> str:
        loaded = sum(n for t, n in self.rows_loaded.items() if not t.startswith("_dlt"))
        lines = [
            f"tenant {self.tenant}: {loaded} rows written to "
            f"{destinations.describe(self.destination, self.duckdb_path, RAW_DATASET)} "
            f"({self.requests.get('list', 0)} list and {self.requests.get('view', 0)} view "
            f"requests, {self.issues} unreadable values)"
        ]
        for table, count in sorted(self.rows_loaded.items()):
            if not table.startswith("_dlt") and count:
                lines.append(f"  {table}: {count}")
        for table, count in sorted(self.swept_deleted.items()):
            if count:
                lines.append(f"  {table}: {count} flagged deleted by the id sweep")
        if not self.complete:
            lines.append(
                "stopped: the daily request limit is reached; state is kept and the next sync "
                f"resumes (limit resets in {self.stopped_by_daily_limit:.0f} s)"
            )
        return "\n".join(lines)


def pipeline_for(
    duckdb_path: Path, tenant: str, destination: str = destinations.DUCKDB
) -> dlt.Pipeline:
    """The dlt pipeline of one tenant in one DuckDB file. Its working folder sits beside the
    file, so state follows the file and two files never share a cursor."""
    duckdb_path = duckdb_path.resolve()
    slug = re.sub(r"[^a-zA-Z0-9_]+", "_", tenant).strip("_").lower() or "default"
    if destination != destinations.DUCKDB:
        return destinations.warehouse_pipeline(
            destination,
            f"scoro_{slug}",
            duckdb_path.parent,
            RAW_DATASET,
            progress=dlt.progress.log(log_period=5.0, dump_system_stats=False),
        )
    pipelines_dir = duckdb_path.parent / f".{duckdb_path.stem}.dlt"
    if not duckdb_path.exists() and pipelines_dir.exists():
        shutil.rmtree(pipelines_dir)  # the file was removed: its cursors mean nothing now
    return dlt.pipeline(
        pipeline_name=f"scoro_{slug}",
        pipelines_dir=str(pipelines_dir),
        destination=dlt.destinations.duckdb(str(duckdb_path)),
        dataset_name=RAW_DATASET,
        progress=dlt.progress.log(log_period=5.0, dump_system_stats=False),
    )


def sync(
    duckdb_path: str | Path,
    *,
    base_url: str | None = None,
    api_key: str | None = None,
    company_account_id: str | None = None,
    destination: str = destinations.DUCKDB,
    **settings: Any,
) -> SyncResult:
    """Mirror every module of one account. Settings not given come from dlt's config."""
    duckdb_path = Path(duckdb_path)
    duckdb_path.parent.mkdir(parents=True, exist_ok=True)
    run = SyncRun()
    given = {
        "base_url": base_url,
        "api_key": api_key,
        "company_account_id": company_account_id,
        **settings,
    }
    tenant = str(company_account_id or dlt.config.get("sources.scoro.company_account_id") or "")
    if not tenant:
        raise ValueError(
            "company_account_id is not set: pass --company-account-id, or set "
            "SOURCES__SCORO__COMPANY_ACCOUNT_ID or [sources.scoro] company_account_id"
        )
    given["company_account_id"] = tenant
    source = scoro(run=run, **{k: v for k, v in given.items() if v is not None})
    pipeline = pipeline_for(duckdb_path, tenant, destinations.check(destination))
    pipeline.run(source, loader_file_format=destinations.loader_file_format(destination))

    result = SyncResult(duckdb_path=duckdb_path, tenant=tenant, destination=destination)
    trace = pipeline.last_trace
    if trace is not None and trace.last_normalize_info is not None:
        result.rows_loaded = dict(trace.last_normalize_info.row_counts)
    if run.client is not None:
        result.requests = dict(run.client.request_counts)
    result.issues = len(run.issues)
    result.stopped_by_daily_limit = run.stopped_by_daily_limit
    with destinations.connect(destination, duckdb_path, pipeline) as connection:
        result.swept_deleted = _flag_unlisted_as_deleted(connection, run)
        _remove_emptied_children(connection, run)
    return result


def _flag_unlisted_as_deleted(
    connection: duckdb.DuckDBPyConnection, run: SyncRun
) -> dict[str, int]:
    """A record the API no longer lists at all (deleted over 30 days ago, or purged) is
    flagged deleted in the mirror, never removed."""
    flagged: dict[str, int] = {}
    for table, (tenant, key, ids) in run.listed_ids.items():
        qualified = f'{RAW_DATASET}."{table}"'
        if not _table_exists(connection, table):
            continue
        connection.register("listed_ids", pa.table({"id": pa.array(sorted(ids), pa.string())}))
        count = connection.execute(
            f"""
            update {qualified}
            set is_deleted = true,
                deleted_date = coalesce(deleted_date, ?),
                {schema.SYNCED_AT_COLUMN} = ?
            where {schema.TENANT_COLUMN} = ?
              and coalesce(is_deleted, false) = false
              and cast("{key}" as varchar) not in (select id from listed_ids)
            """,
            [run.started_at, run.started_at, tenant],
        ).fetchall()
        connection.unregister("listed_ids")
        flagged[table] = int(count[0][0]) if count else 0
    return flagged


def _remove_emptied_children(connection: duckdb.DuckDBPyConnection, run: SyncRun) -> None:
    parent_keys = {
        child.table: spec.parent_key_column
        for spec in schema.MODULES.values()
        for child in spec.children.values()
    }
    for table, tenant, parent_id in run.emptied_children:
        if _table_exists(connection, table):
            connection.execute(
                f'delete from {RAW_DATASET}."{table}" '
                f'where {schema.TENANT_COLUMN} = ? and "{parent_keys[table]}" = ?',
                [tenant, parent_id],
            )


def _table_exists(connection: duckdb.DuckDBPyConnection, table: str) -> bool:
    found = connection.execute(
        "select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
        [RAW_DATASET, table],
    ).fetchall()
    return bool(found and found[0][0])
