"""The one fix-up dlt's merge cannot express: flagging deleted the records a complete listing no
longer returns (deleted over 30 days ago, or purged).

The listed ids are loaded with the data (`_scoro_listed_ids`, one row per tenant and table,
`applied` false), so the sweep is part of the committed work: it runs right after the load and,
should the process die before it, at the start of the next run, before anything new is loaded.
Applying it marks the row `applied` in the same transaction. What it reads is typed like the
keys, so "002" and 2.0 are the record 2.

A listing that comes back empty, or that would flag more than half of the live rows (and more
than two), is not trusted: the sweep is skipped with a warning (DECISIONLOG §0).
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Any

import pyarrow as pa

from pipelines.scoro import schema
from pipelines.scoro.run import MirrorFacts
from pipelines.scoro.sqlconnection import Connection
from pipelines.scoro.tenants import RAW_DATASET, _table_exists

logger = logging.getLogger("scoro_warehouse.sync")

LISTED_IDS_TABLE = "_scoro_listed_ids"
SWEEP_MAX_FRACTION = 0.5
SWEEP_ALWAYS_ALLOWED = 2


@dataclass
class SweepOutcome:
    table: str
    flagged: int
    skipped: str | None = None


def apply_sweeps(
    connection: Connection, tenant: str, max_fraction: float = SWEEP_MAX_FRACTION
) -> list[SweepOutcome]:
    if not _table_exists(connection, LISTED_IDS_TABLE):
        return []
    pending = connection.execute(
        f"select table_name, key_column, key_type, ids, listed_at from {RAW_DATASET}."
        f"{LISTED_IDS_TABLE} where tenant_id = ? and not coalesce(applied, false) "
        "order by table_name",
        [tenant],
    ).fetchall()
    outcomes = []
    for table, key, key_type, ids_json, listed_at in pending:
        connection.begin()
        try:
            outcome = _sweep(
                connection,
                tenant,
                table,
                key,
                key_type,
                json.loads(ids_json),
                listed_at,
                max_fraction,
            )
            connection.execute(
                f"update {RAW_DATASET}.{LISTED_IDS_TABLE} set applied = true "
                "where tenant_id = ? and table_name = ?",
                [tenant, table],
            )
            connection.commit()
        except BaseException:
            connection.rollback()
            raise
        outcomes.append(outcome)
    return outcomes


def _sweep(
    connection: Connection,
    tenant: str,
    table: str,
    key: str,
    key_type: str,
    ids: list[Any],
    listed_at: Any,
    max_fraction: float,
) -> SweepOutcome:
    if not _table_exists(connection, table):
        return SweepOutcome(table, 0)
    arrow_type = pa.int64() if key_type == schema.BIGINT else pa.string()
    connection.register("scoro_listed_ids", pa.table({"id": pa.array(ids, arrow_type)}))
    try:
        qualified = f'{RAW_DATASET}."{table}"'
        live_filter = f"{schema.TENANT_COLUMN} = ? and not coalesce(is_deleted, false)"
        ((live, missing),) = connection.execute(
            f"""
            select
                count(*),
                count(*) filter (where "{key}" not in (select id from scoro_listed_ids))
            from {qualified} where {live_filter}
            """,
            [tenant],
        ).fetchall()
        if missing == 0:
            return SweepOutcome(table, 0)
        if not ids:
            reason = (
                f"{table}: the listing returned no record while the mirror has {live} live ones; "
                "not flagging them deleted (an empty answer is not trusted)"
            )
            logger.warning("%s", reason)
            return SweepOutcome(table, 0, reason)
        if missing > SWEEP_ALWAYS_ALLOWED and missing > max_fraction * live:
            reason = (
                f"{table}: the listing misses {missing} of {live} live records; not flagging "
                f"them deleted (more than {max_fraction:.0%} at once is not trusted)"
            )
            logger.warning("%s", reason)
            return SweepOutcome(table, 0, reason)
        connection.execute(
            f"""
            update {qualified}
            set is_deleted = true,
                deleted_date = coalesce(deleted_date, ?),
                {schema.SYNCED_AT_COLUMN} = ?
            where {live_filter}
              and "{key}" not in (select id from scoro_listed_ids)
            """,
            [listed_at, listed_at, tenant],
        )
        return SweepOutcome(table, int(missing))
    finally:
        connection.unregister("scoro_listed_ids")


def mirror_facts(connection: Connection, tenant: str) -> MirrorFacts:
    """Per module table: its keys, those flagged deleted, and the row count."""
    facts = MirrorFacts()
    for spec in schema.MODULES.values():
        if not _table_exists(connection, spec.table):
            continue
        qualified = f'{RAW_DATASET}."{spec.table}"'
        rows = connection.execute(
            f'select "{spec.primary_key}", coalesce(is_deleted, false) from {qualified} '
            f"where {schema.TENANT_COLUMN} = ?",
            [tenant],
        ).fetchall()
        facts.counts[spec.table] = len(rows)
        facts.keys[spec.table] = {key for key, _ in rows}
        facts.flagged[spec.table] = {key for key, deleted in rows if deleted}
    return facts
