"""Canonical records to the API's loose JSON, and to the typed rows a correct mirror holds."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from pipelines.scoro.schema import (
    BIGINT,
    BOOL,
    CHILD_INDEX_COLUMN,
    DATE,
    DECIMAL,
    JSON,
    MODULES,
    TEXT,
    TIMESTAMP,
    ChildSpec,
)
from pipelines.simulator.timeline import ZERO_DATE, mix, tag

# Filled only by view/{id}; null on list.
VIEW_ONLY = frozenset({"lines", "custom_fields", "phases"})
# Timestamps sent as ISO-8601 with an offset; every other one is "YYYY-mm-dd HH:ii:ss" site time.
ISO_TIMESTAMPS = {
    "contacts": {"created_date", "modified_date"},
    "users": {"created_date", "modified_date"},
    "purchaseOrders": {"modified_date", "confirmed_date"},
    "quotes": {"confirmed_date"},
}
NESTED_OBJECTS = {"company_address"}


class Encoder:
    """Renders records in the API's loose formats, chosen per record from a stable hash."""

    def __init__(self, seed: int, tz: ZoneInfo) -> None:
        self.seed = seed
        self.tz = tz

    def variant(self, module: str, key: Any) -> int:
        return mix(self.seed, tag("fmt:" + module), tag(str(key))) % 60

    def record(self, module: str, rec: dict[str, Any], *, view: bool) -> dict[str, Any]:
        spec = MODULES[module]
        v = self.variant(module, rec[spec.primary_key])
        iso = ISO_TIMESTAMPS.get(module, set())
        out: dict[str, Any] = {}
        for key, value in rec.items():
            if key.startswith("_"):
                continue
            if key in VIEW_ONLY and not view:
                out[key] = None
            elif key in spec.children:
                out[key] = self._children(module, spec.children[key], value, v)
            elif key in NESTED_OBJECTS:
                out[key] = dict(value) if value is not None else None
            else:
                kind = spec.fields.get(key, JSON)
                out[key] = self.value(kind, value, v, key in iso or key == "deleted_date")
        return out

    def _children(self, module: str, child: ChildSpec, value: Any, v: int) -> Any:
        if (
            value is None
            or child.key == CHILD_INDEX_COLUMN
            or child.table.endswith("_custom_fields")
        ):
            return value  # addresses, means_of_contact, custom field values: plain JSON
        if child.scalar_field is not None:
            kind = child.fields[child.scalar_field]
            return [item if isinstance(item, dict) else self.value(kind, item, v) for item in value]
        rows = []
        for row in value:
            rv = self.variant(module + "." + child.table, row[child.key])
            rows.append(
                {
                    key: self.value(child.fields.get(key, JSON), item, rv)
                    for key, item in row.items()
                    if not key.startswith("_")
                }
            )
        return rows

    def value(self, kind: str, value: Any, v: int, iso: bool = False) -> Any:
        if value is None:
            return None
        if kind == BOOL:
            return [bool(value), int(bool(value)), str(int(bool(value)))][v % 3]
        if kind == BIGINT:
            return str(value) if v % 5 == 4 else int(value)
        if kind == DECIMAL:
            if v % 4 in (1, 2):
                return str(value)
            number = Decimal(value)
            return int(number) if number == number.to_integral_value() and v % 2 else float(number)
        if kind == DATE:
            return "0000-00-00" if value is ZERO_DATE else value.isoformat()
        if kind == TIMESTAMP:
            local = value.astimezone(self.tz)
            if iso:
                return local.isoformat(timespec="seconds")
            return local.strftime("%Y-%m-%d %H:%M:%S")
        return value


def typed(kind: str, value: Any) -> Any:
    """The value a correct mirror stores for a canonical value of warehouse type ``kind``."""
    if value is None or value is ZERO_DATE:
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
        return value if isinstance(value, str) else str(value)
    return value


def truth_rows(
    module: str, rec: dict[str, Any], *, view_header: bool, view_children: bool
) -> dict[str, list[dict[str, Any]]]:
    """The rows one record contributes to the mirror: its own table and its child tables."""
    spec = MODULES[module]
    header: dict[str, Any] = {}
    for name, kind in spec.fields.items():
        if "__" in name:
            parent, sub = name.split("__", 1)
            value = (rec.get(parent) or {}).get(sub)
        else:
            value = rec.get(name)
        if name in VIEW_ONLY and not view_header:
            value = None
        header[name] = typed(kind, value)
    out = {spec.table: [header]}
    parent_col = spec.parent_key_column
    parent_key = typed(spec.fields[spec.primary_key], rec[spec.primary_key])
    for field, child in spec.children.items():
        items = rec.get(field)
        rows = out.setdefault(child.table, [])
        if items is None or (field in VIEW_ONLY and not view_children):
            continue
        if field == "means_of_contact":
            items = [
                {"type": kind, "value": value}
                for kind, values in items.items()
                for value in (values if isinstance(values, list) else [values])
            ]
        for position, item in enumerate(items):
            row: dict[str, Any] = {parent_col: parent_key}
            if child.key == CHILD_INDEX_COLUMN:
                row[CHILD_INDEX_COLUMN] = position
            if not isinstance(item, dict):
                item = {child.scalar_field: item}
            for name, kind in child.fields.items():
                row[name] = typed(kind, item.get(name))
            rows.append(row)
    return out
