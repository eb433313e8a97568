"""Where a sync writes the raw tables: the DuckDB file (the default) or a Postgres database.

Postgres goes through dlt's own postgres destination, so merge keys, nested tables and schema
evolution behave as on DuckDB. Its credentials come from dlt's config like every dlt
destination: ``DESTINATION__POSTGRES__CREDENTIALS=postgresql://user:password@host:5432/db`` or
``[destination.postgres] credentials = "..."`` in ``.dlt/secrets.toml``.

The sync's own fix-ups after dlt's run (deletes found by the id sweep, child lists that became
empty) are written against a DuckDB connection; on Postgres they get ``PostgresConnection``,
which offers the same few calls on a psycopg2 connection, in one transaction.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import dlt
import duckdb
import pyarrow as pa

DUCKDB = "duckdb"
POSTGRES = "postgres"
DESTINATIONS = (DUCKDB, POSTGRES)


def check(destination: str) -> str:
    if destination not in DESTINATIONS:
        raise ValueError(
            f"unknown destination {destination!r}: choose one of {', '.join(DESTINATIONS)}"
        )
    return destination


def warehouse_pipeline(
    destination: str, pipeline_name: str, workdir: Path, dataset_name: str, **kwargs: Any
) -> dlt.Pipeline:
    """The dlt pipeline of one tenant on a warehouse destination.

    Its state (incremental cursors) lives in the warehouse itself (dlt's
    ``_dlt_pipeline_state`` table): the local working folder is scratch, emptied before every
    run, so that a fresh or different database is never synced with another database's cursors.
    """
    check(destination)
    pipelines_dir = workdir / f".{destination}.dlt"
    shutil.rmtree(pipelines_dir / pipeline_name, ignore_errors=True)
    return dlt.pipeline(
        pipeline_name=pipeline_name,
        pipelines_dir=str(pipelines_dir),
        destination=dlt.destinations.postgres(),
        dataset_name=dataset_name,
        **kwargs,
    )


def loader_file_format(destination: str) -> str | None:
    """Parquet into DuckDB; dlt's default (insert statements) into Postgres, which loads parquet
    only through an ADBC driver."""
    return "parquet" if check(destination) == DUCKDB else None


def describe(destination: str, duckdb_path: Path, dataset_name: str) -> str:
    if check(destination) == DUCKDB:
        return str(duckdb_path)
    return f"the {destination} schema {dataset_name}"


@contextmanager
def connect(destination: str, duckdb_path: Path, pipeline: dlt.Pipeline) -> Iterator[Any]:
    """A connection for the sync's fix-ups: DuckDB's own, or PostgresConnection."""
    if check(destination) == DUCKDB:
        with duckdb.connect(str(duckdb_path)) as connection:
            yield connection
        return
    with pipeline.sql_client() as client, client.begin_transaction():
        yield PostgresConnection(client.native_connection)


class _Result:
    def __init__(self, rows: list[tuple]) -> None:
        self._rows = rows

    def fetchall(self) -> list[tuple]:
        return self._rows


class PostgresConnection:
    """The calls of a DuckDB connection that the fix-ups use (``execute`` with ``?``
    parameters, ``register``/``unregister`` of an Arrow table), on a psycopg2 connection.
    Like DuckDB, a statement that returns no rows (an UPDATE) answers its row count."""

    def __init__(self, connection: Any) -> None:
        self._connection = connection

    def execute(self, sql: str, parameters: Sequence[Any] = ()) -> _Result:
        with self._connection.cursor() as cursor:
            cursor.execute(_pyformat(sql), tuple(parameters))
            if cursor.description is None:
                return _Result([(cursor.rowcount,)])
            return _Result(cursor.fetchall())

    def register(self, name: str, table: pa.Table) -> None:
        columns = ", ".join(f'"{column}" text' for column in table.column_names)
        from psycopg2.extras import execute_values

        with self._connection.cursor() as cursor:
            cursor.execute(f'create temporary table "{name}" ({columns}) on commit drop')
            rows = [tuple(row.values()) for row in table.to_pylist()]
            execute_values(cursor, f'insert into "{name}" values %s', rows, page_size=5000)

    def unregister(self, name: str) -> None:
        with self._connection.cursor() as cursor:
            cursor.execute(f'drop table if exists "{name}"')


def _pyformat(sql: str) -> str:
    """DuckDB's ``?`` placeholders as psycopg2's ``%s`` (a literal ``%`` doubled)."""
    return re.sub(r"\?", "%s", sql.replace("%", "%%"))
