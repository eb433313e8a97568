"""The DuckDB connection calls the steps around dlt's run use, on a Postgres connection.

sweep.py and tenants.py are written once, against DuckDB's Python API: ``execute`` with ``?``
parameters and ``fetchall``, ``begin``/``commit``/``rollback``, ``register``/``unregister`` of an
Arrow table as a relation. ``PostgresConnection`` offers exactly those on psycopg2, so the sweep,
the mirror facts and the inherited cursors run unchanged on a Postgres destination: the SQL they
send is standard (information_schema, ``count(*) filter (where ...)``, ``not in (select ...)``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import duckdb
import pyarrow as pa

_PG_TYPES = {
    pa.int64(): "bigint",
    pa.int32(): "integer",
    pa.string(): "text",
    pa.large_string(): "text",
    pa.bool_(): "boolean",
}


class _Result:
    def __init__(self, rows: list[tuple]) -> None:
        self._rows = rows

    def fetchall(self) -> list[tuple]:
        return self._rows

    def fetchone(self) -> tuple | None:
        return self._rows[0] if self._rows else None


class PostgresConnection:
    """A psycopg2 connection answering the DuckDB calls above. It runs in autocommit, like a
    DuckDB connection: ``begin()`` opens an explicit transaction, ``commit()``/``rollback()``
    end it. A statement without a result (UPDATE) answers its row count, as on DuckDB."""

    def __init__(self, connection: Any) -> None:
        self._connection = connection
        self._connection.autocommit = True

    def execute(self, sql: str, parameters: Sequence[Any] = ()) -> _Result:
        with self._connection.cursor() as cursor:
            cursor.execute(_pyformat(sql), tuple(parameters))
            if cursor.description is None:
                return _Result([(cursor.rowcount,)])
            return _Result(cursor.fetchall())

    def begin(self) -> None:
        self.execute("begin")

    def commit(self) -> None:
        self.execute("commit")

    def rollback(self) -> None:
        self.execute("rollback")

    def register(self, name: str, table: pa.Table) -> None:
        """A temporary table holding the Arrow table, typed from its schema (int64 -> bigint,
        string -> text), so that a comparison with a bigint key stays a bigint comparison."""
        columns = [(field.name, _PG_TYPES.get(field.type, "text")) for field in table.schema]
        definition = ", ".join(f'"{column}" {kind}' for column, kind in columns)
        arrays = ", ".join(f"%s::{kind}[]" for _, kind in columns)
        values = [table.column(column).to_pylist() for column, _ in columns]
        with self._connection.cursor() as cursor:
            cursor.execute(f'drop table if exists "{name}"')
            cursor.execute(f'create temporary table "{name}" ({definition})')
            cursor.execute(f'insert into "{name}" select * from unnest({arrays})', values)
            cursor.execute(f'analyze "{name}"')

    def unregister(self, name: str) -> None:
        with self._connection.cursor() as cursor:
            cursor.execute(f'drop table if exists "{name}"')

    def close(self) -> None:
        self._connection.close()


def _pyformat(sql: str) -> str:
    """DuckDB's ``?`` placeholders as psycopg2's ``%s`` (a literal ``%`` doubled)."""
    return re.sub(r"\?", "%s", sql.replace("%", "%%"))


# What sweep.py and tenants.py are given: DuckDB's own connection, or PostgresConnection.
Connection = duckdb.DuckDBPyConnection | PostgresConnection
