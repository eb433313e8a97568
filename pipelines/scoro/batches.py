"""Typed rows, gathered per table into Arrow tables for dlt.

dlt writes an Arrow table straight to a parquet file, which the loader then imports: no row
goes through dlt's per-row normalizer, and hints are computed once per batch instead of once
per page. Rows are already typed and checked by coerce.py (every value fits its column), so a
column's Arrow type follows from its dlt hint; an undeclared column is text.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import dlt
import pyarrow as pa

from pipelines.scoro.coerce import column_name

# rows of one table held before they go to dlt as one Arrow table
FLUSH_ROWS = 5_000

_TEXT = pa.string()


def arrow_type(hint: dict[str, Any]) -> pa.DataType:
    kind = hint.get("data_type")
    if kind == "bigint":
        return pa.int64()
    if kind == "decimal":
        return pa.decimal128(hint.get("precision", 38), hint.get("scale", 9))
    if kind == "bool":
        return pa.bool_()
    if kind == "date":
        return pa.date32()
    if kind == "timestamp":
        return pa.timestamp("us", tz="UTC")
    return _TEXT


class TableBatch:
    """The rows of one table waiting to be handed to dlt, with the hints they go with."""

    def __init__(self, table: str, hints: Any) -> None:
        self.table = table
        self.hints = hints
        declared = hints.get("columns") or {}
        self.types = {name: arrow_type(hint) for name, hint in declared.items()}
        self.nullable = {name: hint.get("nullable", True) for name, hint in declared.items()}
        self.rows: list[dict[str, Any]] = []

    def to_arrow(self) -> pa.Table:
        rows = self.rows
        present = set().union(*rows)
        # declared columns in their declared order, then the undeclared ones as they came,
        # named as dlt names them (two records may spell one undeclared column two ways)
        columns: dict[str, list[str]] = {name: [name] for name in self.types if name in present}
        undeclared = present.difference(self.types)
        if undeclared:
            for name in _in_order_of_arrival(rows, undeclared):
                columns.setdefault(column_name(name), []).append(name)
        kinds = {
            column: self.types.get(column, _TEXT) if keys == [column] else _TEXT
            for column, keys in columns.items()
        }
        # the columns one key fills are read from the rows in one pass by Arrow itself
        single = [(column, keys[0]) for column, keys in columns.items() if len(keys) == 1]
        read = pa.array(
            rows, type=pa.struct([pa.field(key, kinds[column]) for column, key in single])
        ).flatten()
        by_column = dict(zip((column for column, _ in single), read, strict=True))
        arrays = []
        fields = []
        for column, keys in columns.items():
            kind = kinds[column]
            array = by_column.get(column)
            if array is None:
                values = [next((row[k] for k in keys if k in row), None) for row in rows]
                array = pa.array(values, type=kind)
            arrays.append(array)
            fields.append(pa.field(column, kind, nullable=self.nullable.get(column, True)))
        return pa.Table.from_arrays(arrays, schema=pa.schema(fields))


def _in_order_of_arrival(rows: list[dict[str, Any]], names: set[str]) -> list[str]:
    """`names` in the order the rows first show them."""
    found: dict[str, None] = {}
    for row in rows:
        for name in row:
            if name in names and name not in found:
                found[name] = None
        if len(found) == len(names):
            break
    return list(found)


class Batches:
    """Rows per table, handed to dlt as Arrow tables once a table holds `flush_rows`."""

    def __init__(self, flush_rows: int = FLUSH_ROWS) -> None:
        self.flush_rows = flush_rows
        self._tables: dict[str, TableBatch] = {}

    def add(self, table: str, rows: list[dict[str, Any]], hints: Any) -> None:
        batch = self._tables.get(table)
        if batch is None:
            batch = self._tables[table] = TableBatch(table, hints)
        batch.rows.extend(rows)

    def full(self) -> Iterator[Any]:
        """dlt items of the tables that hold enough rows."""
        for table, batch in list(self._tables.items()):
            if len(batch.rows) >= self.flush_rows:
                yield self._take(table)

    def flush(self) -> Iterator[Any]:
        """dlt items of every table with rows."""
        for table in list(self._tables):
            if self._tables[table].rows:
                yield self._take(table)

    def _take(self, table: str) -> Any:
        batch = self._tables.pop(table)
        return dlt.mark.with_hints(batch.to_arrow(), batch.hints, create_table_variant=True)
