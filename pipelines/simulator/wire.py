"""Canonical records to the API's loose JSON, in the shapes the switches choose."""

from __future__ import annotations

import zlib
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from pipelines.simulator.shapes import Shapes, list_keys
from pipelines.simulator.spec import (
    BIGINT,
    BOOL,
    DATE,
    DECIMAL,
    INDEX,
    MODULES,
    TIMESTAMP,
    Child,
)
from pipelines.simulator.timeline import ZERO_DATE, MonthDay, mix, tag

# The keys a data switch adds, per module: the simulator leaves them out when it is off.
DATA_SWITCHES = {
    ("products", "custom_fields"): "product_custom_fields",
    ("receipts", "custom_fields"): "receipt_custom_fields",
}


class Encoder:
    """Renders records in the API's loose formats, chosen per record from a stable hash."""

    def __init__(self, seed: int, tz: ZoneInfo, shapes: Shapes) -> None:
        self.seed = seed
        self.tz = tz
        self.shapes = shapes

    def variant(self, module: str, key: Any) -> int:
        # the key's hash is not cached: one entry per record would grow with the company
        return mix(self.seed, tag("fmt:" + module), zlib.crc32(str(key).encode())) % 60

    def sends(self, module: str, key: str) -> bool:
        """Whether records of ``module`` carry ``key`` under the current switches."""
        switch = DATA_SWITCHES.get((module, key))
        return switch is None or getattr(self.shapes, switch)

    def list_keys(self, module: str, record_key: Any, table: str, size: int) -> list[int] | None:
        """Keys of a child list sent as an object keyed by position, or None (a JSON array)."""
        if not self.shapes.position_keyed_lists:
            return None
        return list_keys(self.variant(f"{module}.{table}", record_key), size)

    def record(self, module: str, rec: dict[str, Any], *, view: bool) -> dict[str, Any]:
        spec = MODULES[module]
        key = rec[spec.key]
        v = self.variant(module, key)
        out: dict[str, Any] = {}
        for name, value in rec.items():
            if name.startswith("_") or not self.sends(module, name):
                continue
            if name in spec.view_only and not view:
                out[name] = None
            elif name in spec.children:
                out[name] = self._list(module, key, spec.children[name], value, v)
            elif name in spec.nested:
                out[name] = dict(value) if value is not None else None
            else:
                kind = spec.fields[name]
                out[name] = self.value(kind, value, v, name in spec.iso_timestamps)
        return out

    def _list(self, module: str, key: Any, child: Child, value: Any, v: int) -> Any:
        if value is None:
            return None
        if child.table.endswith("custom_fields"):
            return self._custom_fields(module, key, child, value, v)
        if isinstance(value, dict):  # means_of_contact: {type: value | [values]}
            return {kind: list(vs) if isinstance(vs, list) else vs for kind, vs in value.items()}
        elements = [self._element(module, child, item, v) for item in value]
        keys = self.list_keys(module, key, child.table, len(elements))
        if keys is None:
            return elements
        return {str(k): element for k, element in zip(keys, elements, strict=True)}

    def _element(self, module: str, child: Child, item: Any, v: int) -> Any:
        if child.scalar is not None:
            if isinstance(item, dict):  # a module object of a custom field definition
                if self.shapes.modules_as_objects:
                    return dict(item)
                return item["path"] or item["title"]
            return self.value(child.fields[child.scalar], item, v)
        rv = v if child.key == INDEX else self.variant(f"{module}.{child.table}", item[child.key])
        out: dict[str, Any] = {}
        for name, value in item.items():
            if name.startswith("_"):
                continue
            if name in child.children:
                if self.shapes.line_custom_fields:
                    grand = child.children[name]
                    out[name] = self._list(module, item[child.key], grand, value, rv)
                continue
            out[name] = self.value(child.fields[name], value, rv)
        return out

    def _custom_fields(self, module: str, key: Any, child: Child, value: Any, v: int) -> Any:
        """A list of {id, name, value, type}, or a record keyed by field id."""
        items = [dict(item) for item in value]
        if self.shapes.custom_fields_as_record and items:  # PHP sends an empty one as []
            if short_record(v):
                return {item["id"]: item["value"] for item in items}
            return {item.pop("id"): item for item in items}
        keys = self.list_keys(module, key, child.table, len(items))
        if keys is None:
            return items
        return {str(k): item for k, item in zip(keys, items, strict=True)}

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
            if value is ZERO_DATE:
                return "0000-00-00"
            if isinstance(value, MonthDay):
                return value.isoformat() if self.shapes.yearless_birthdays else "0000-00-00"
            return value.isoformat()
        if kind == TIMESTAMP:
            local = value.astimezone(self.tz)
            if iso:
                return local.isoformat(timespec="seconds")
            return local.strftime("%Y-%m-%d %H:%M:%S")
        return value


def short_record(v: int) -> bool:
    """Custom fields as a record: the short form {id: value} (else {id: {name, value, type}})."""
    return v % 2 == 1
