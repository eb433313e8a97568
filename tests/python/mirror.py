"""Reading a mirrored DuckDB file and comparing it with the simulator's truth.

Table keys come from the simulator (its truth, else its catalogue), never from the loader:
the loader is what is being checked."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb

from pipelines.simulator import spec

RAW = "scoro_raw"


def table_keys(truth: Any = None) -> dict[str, list[str]]:
    """Key columns (after tenant_id) of every raw table a mirror of the simulator holds: the
    truth's own when it carries them (they follow its shape switches), else the catalogue's."""
    keys = spec.table_keys()
    keys.update(getattr(truth, "table_keys", None) or {})
    return keys


def connect(path: Path) -> duckdb.DuckDBPyConnection:
    """The file, read-only, timestamps in UTC: for reading several tables with one connection."""
    connection = duckdb.connect(str(path), read_only=True)
    connection.execute("set TimeZone = 'UTC'")
    return connection


def read_table(
    path: Path,
    table: str,
    tenant: str | None = None,
    connection: duckdb.DuckDBPyConnection | None = None,
) -> list[dict[str, Any]]:
    """Every row of a raw table (of one tenant), through `connection` if given (see
    `connect`), else through a connection of its own to the file at `path`."""
    if connection is None:
        with connect(path) as own:
            return read_table(path, table, tenant, own)
    exists = connection.execute(
        "select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
        [RAW, table],
    ).fetchone()[0]
    if not exists:
        return []
    query = f'select * from {RAW}."{table}"'
    params: list[Any] = []
    if tenant is not None:
        query += " where tenant_id = ?"
        params.append(tenant)
    cursor = connection.execute(query, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _key(row: dict[str, Any], columns: list[str]) -> tuple[str, ...]:
    return tuple(str(row.get(c)) for c in columns)


def _same(expected: Any, actual: Any) -> bool:
    if isinstance(expected, list | dict) and isinstance(actual, str):
        return json.loads(actual) == json.loads(json.dumps(expected, default=str))
    if isinstance(expected, Decimal) or isinstance(actual, Decimal):
        if expected is None or actual is None:
            return expected is actual
        return Decimal(str(expected)) == Decimal(str(actual))
    if isinstance(expected, datetime) and isinstance(actual, datetime):
        return expected.astimezone(UTC) == actual.astimezone(UTC)
    return expected == actual


def differences(
    path: Path | None,
    truth: dict[str, list[dict[str, Any]]],
    tenant: str,
    read: Callable[[str, str], list[dict[str, Any]]] | None = None,
) -> list[str]:
    """Every way the mirror of `tenant` differs from the truth: missing, extra and
    differing rows, field by field. Empty when the mirror is exact. The mirror is the DuckDB
    file at `path`, or what `read(table, tenant)` returns (a Postgres mirror, say)."""
    if read is None:
        assert path is not None
        with connect(path) as connection:
            return differences(None, truth, tenant, lambda t, n: read_table(path, t, n, connection))
    keys = table_keys(truth)
    problems: list[str] = []
    for table, expected_rows in truth.items():
        columns = keys[table]
        mirror_rows = read(table, tenant)
        mirror = {_key(r, columns): r for r in mirror_rows}
        expected = {_key(r, columns): r for r in expected_rows}
        if len(mirror) < len(mirror_rows):
            problems.append(f"{table}: {len(mirror_rows) - len(mirror)} rows share a key")
        for missing in sorted(set(expected) - set(mirror))[:5]:
            problems.append(f"{table}: missing row {missing}")
        for extra in sorted(set(mirror) - set(expected))[:5]:
            problems.append(f"{table}: unexpected row {extra}")
        for key in sorted(set(expected) & set(mirror)):
            truth_row, mirror_row = expected[key], mirror[key]
            for name, value in truth_row.items():
                if name not in mirror_row:
                    # a column that is null in every row may never have been created
                    if value is not None:
                        problems.append(f"{table}{key}.{name}: expected {value!r}, no column")
                        break
                    continue
                got = mirror_row[name]
                if name == "is_deleted":
                    value, got = bool(value), bool(got)
                if not _same(value, got):
                    problems.append(f"{table}{key}.{name}: expected {value!r}, got {got!r}")
                    break
        if len(problems) > 40:
            break
    return problems


def row_counts(path: Path, tenant: str) -> dict[str, int]:
    with connect(path) as connection:
        return {t: len(read_table(path, t, tenant, connection)) for t in table_keys()}


def snapshot(path: Path) -> dict[str, list[tuple]]:
    """Every row of every raw data table, sorted, dlt bookkeeping included."""
    out = {}
    with connect(path) as connection:
        for table in table_keys():
            rows = read_table(path, table, connection=connection)
            out[table] = sorted(tuple(sorted((k, str(v)) for k, v in r.items())) for r in rows)
    return out
