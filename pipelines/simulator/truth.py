"""The rows a correct mirror holds for one canonical record, in the raw layout.

Written from the simulator's own records and catalogue (``spec.py``), and from the layout the
team agreed for the SDK's alternative shapes; never from the loader. Where the wire depends on
a per-record choice (position keys with gaps, the short form of a custom field record), the
encoder's own choice is asked, so the truth describes exactly what was sent.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from pipelines.simulator.spec import (
    BIGINT,
    BOOL,
    DATE,
    DECIMAL,
    INDEX,
    LINE,
    MODULES,
    TEXT,
    TIMESTAMP,
    Child,
    Module,
    child_tables,
    table_keys,
)
from pipelines.simulator.timeline import ZERO_DATE, MonthDay
from pipelines.simulator.wire import Encoder, short_record

Row = dict[str, Any]


class Truth(dict[str, list[Row]]):
    """Rows per raw table, plus ``table_keys``: the columns that identify a row of each table
    (after ``tenant_id``) under the switches the truth was rendered with."""

    table_keys: dict[str, list[str]]


def typed(kind: str, value: Any) -> Any:
    """The value a correct mirror stores for a canonical value of warehouse type ``kind``."""
    if value is None or value is ZERO_DATE or isinstance(value, MonthDay):
        return None
    if kind == BIGINT:
        return int(value)
    if kind == DECIMAL:
        return Decimal(value)
    if kind == BOOL:
        return bool(value)
    if kind == DATE:
        return value if isinstance(value, date) else date.fromisoformat(str(value))
    if kind == TIMESTAMP:
        assert isinstance(value, datetime)
        return value.astimezone(UTC)
    if kind == TEXT:
        if isinstance(value, list | dict):
            return json.dumps(value, sort_keys=True)
        return value if isinstance(value, str) else str(value)
    return value


def month_day(value: Any) -> str | None:
    """``MM-DD`` of a birthday whose month and day are known, with or without the year."""
    if isinstance(value, MonthDay | date):
        return f"{value.month:02d}-{value.day:02d}"
    return None


class TruthRenderer:
    """Renders canonical records to mirror rows under the encoder's switches."""

    def __init__(self, encoder: Encoder) -> None:
        self.encoder = encoder
        self.shapes = encoder.shapes

    def empty(self) -> Truth:
        truth = Truth({table: [] for table in table_keys()})
        keys = table_keys()
        if not self.shapes.modules_as_objects:
            # plain names are unique within a field: match on the name, leave _index unasserted
            keys["custom_field_modules"] = ["custom_field_id", "module_name"]
        truth.table_keys = keys
        return truth

    def rows(
        self, module: str, rec: Row, *, view_header: bool, view_children: bool
    ) -> dict[str, list[Row]]:
        """The rows one record contributes: its own table's row and its child tables' rows."""
        spec = MODULES[module]
        out: dict[str, list[Row]] = {spec.table: [self._header(spec, rec, view_header)]}
        record_key = typed(spec.fields[spec.key], rec[spec.key])
        for table, _ in child_tables(spec):
            out[table.table] = []
        for name, child in spec.children.items():
            items = rec.get(name)
            if items is None or not self.encoder.sends(module, name):
                continue
            if name in spec.view_only and not view_children:
                continue
            if child.table.endswith("custom_fields"):
                v = self.encoder.variant(module, rec[spec.key])
                out[child.table] += self._custom_fields(items, {spec.parent_column: record_key}, v)
                continue
            self._elements(module, spec, child, rec[spec.key], record_key, items, out)
        return out

    def _header(self, spec: Module, rec: Row, view: bool) -> Row:
        row: Row = {}
        for name, value in rec.items():
            if name.startswith("_") or name in spec.children:
                continue
            if name in spec.nested:
                for sub, kind in spec.nested[name].items():
                    if isinstance(value, dict) and sub in value:
                        row[f"{name}__{sub}"] = typed(kind, value[sub])
                continue
            kind = spec.fields[name]
            row[name] = None if name in spec.view_only and not view else typed(kind, value)
            if name == "birthday":
                if isinstance(value, MonthDay) and not self.shapes.yearless_birthdays:
                    value = ZERO_DATE  # sent as 0000-00-00
                if self.shapes.yearless_birthdays:
                    row["birthday_month_day"] = month_day(value)
        return row

    def _elements(
        self,
        module: str,
        spec: Module,
        child: Child,
        raw_key: Any,
        record_key: Any,
        items: Any,
        out: dict[str, list[Row]],
    ) -> None:
        if isinstance(items, dict):  # means_of_contact: one row per value, in order
            items = [
                {"type": kind, "value": value}
                for kind, values in items.items()
                for value in (values if isinstance(values, list) else [values])
            ]
            positions = list(range(len(items)))
        else:
            keys = self.encoder.list_keys(module, raw_key, child.table, len(items))
            positions = keys if keys is not None else list(range(len(items)))
        for position, item in zip(positions, items, strict=True):
            row: Row = {spec.parent_column: record_key}
            if child.key == INDEX and (child.scalar is None or self.shapes.modules_as_objects):
                row[INDEX] = position
            if child.scalar is not None:
                row.update(self._scalar(child, item))
                out[child.table].append(row)
                continue
            for name, value in item.items():
                if name.startswith("_"):
                    continue
                if name in child.children:
                    if self.shapes.line_custom_fields and value is not None:
                        grand = child.children[name]
                        line_key = typed(child.fields[child.key], item[child.key])
                        v = self.encoder.variant(f"{module}.{child.table}", item[child.key])
                        parent = {spec.parent_column: record_key, LINE: line_key}
                        out[grand.table] += self._custom_fields(value, parent, v)
                    continue
                row[name] = typed(child.fields[name], value)
            out[child.table].append(row)

    def _scalar(self, child: Child, item: Any) -> Row:
        if not isinstance(item, dict):
            return {child.scalar: typed(child.fields[child.scalar], item)}  # type: ignore[index]
        # a custom field's module: its name is its path, or its title when it has none
        row: Row = {"module_name": item["path"] or item["title"]}
        if self.shapes.modules_as_objects:
            row.update(
                module_id=item["id"],
                title=item["title"],
                path=item["path"],
                full_path=item["full_path"],
                parent_module_id=item["parent_module_id"],
            )
            if "status" in item:
                row["status"] = item["status"]
        return row

    def _custom_fields(self, items: list[Row], parent: Row, v: int) -> list[Row]:
        short = self.shapes.custom_fields_as_record and short_record(v)
        rows = []
        for item in items:
            row = {**parent, "id": item["id"], "value": typed(TEXT, item["value"])}
            if not short:  # the short record form carries the value alone
                row.update(name=item["name"], type=item["type"])
            rows.append(row)
        return rows
