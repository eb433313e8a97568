"""Turns the API's loose values (0/"1"/true, "12.50"/12.5, zone-less or ISO datetimes,
0000-00-00) into typed warehouse values, one field at a time.

A value that cannot be read is never guessed: the field becomes null and a `LoadIssue`
names the module, record and field, so the rest of the record and every other record load.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo

from pipelines.scoro import schema

_ZERO_DATE = re.compile(r"^0{4}-0{2}-0{2}")
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}
MAX_RAW_VALUE_CHARS = 200


class CoercionError(ValueError):
    """A value that does not read as its declared type."""


@dataclass(frozen=True)
class LoadIssue:
    """One value the loader could not read; it was stored as null."""

    module: str
    table_name: str
    record_id: str
    field: str
    raw_value: str
    message: str

    def as_row(self) -> dict[str, str]:
        return {
            "module": self.module,
            "table_name": self.table_name,
            "record_id": self.record_id,
            "field": self.field,
            "raw_value": self.raw_value,
            "message": self.message,
        }

    def __str__(self) -> str:
        return (
            f"{self.module} record {self.record_id}: field '{self.field}' "
            f"{self.message}; stored as null"
        )


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")


def to_bool(value: Any) -> bool | None:
    if _blank(value):
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise CoercionError(f"is not a boolean: {value!r}")


def to_decimal(value: Any) -> Decimal | None:
    if _blank(value):
        return None
    if isinstance(value, bool):
        raise CoercionError(f"is not a number: {value!r}")
    if isinstance(value, Decimal):
        return value
    try:
        # str() of a float is its shortest round-trip form, so 12.5 stays 12.5 exactly
        number = Decimal(str(value).strip())
    except InvalidOperation as error:
        raise CoercionError(f"is not a number: {value!r}") from error
    if not number.is_finite():
        raise CoercionError(f"is not a finite number: {value!r}")
    return number


def to_bigint(value: Any) -> int | None:
    number = to_decimal(value)
    if number is None:
        return None
    if number != number.to_integral_value():
        raise CoercionError(f"is not a whole number: {value!r}")
    return int(number)


def to_date(value: Any) -> date | None:
    if _blank(value):
        return None
    text = str(value).strip()
    if _ZERO_DATE.match(text):
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError as error:
        raise CoercionError(f"is not a date (YYYY-mm-dd): {value!r}") from error


def to_timestamp(value: Any, site_zone: ZoneInfo) -> datetime | None:
    """A UTC datetime. Zone-less values are in the Scoro site's zone."""
    if _blank(value):
        return None
    text = str(value).strip()
    if _ZERO_DATE.match(text):
        return None
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as error:
        raise CoercionError(f"is not a datetime: {value!r}") from error
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=site_zone)
    return parsed.astimezone(UTC)


def to_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool | int | float | Decimal):
        return str(value)
    return json.dumps(value, default=str, sort_keys=True)


def to_json(value: Any) -> str | None:
    if value is None:
        return None
    return json.dumps(value, default=str, sort_keys=True)


def coerce_value(value: Any, kind: str, site_zone: ZoneInfo) -> Any:
    """The typed value of one field, or CoercionError."""
    if kind == schema.BOOL:
        return to_bool(value)
    if kind == schema.DECIMAL:
        return to_decimal(value)
    if kind == schema.BIGINT:
        return to_bigint(value)
    if kind == schema.DATE:
        return to_date(value)
    if kind == schema.TIMESTAMP:
        return to_timestamp(value, site_zone)
    if kind == schema.JSON:
        return to_json(value)
    return to_text(value)


def coerce_record(
    record: dict[str, Any],
    fields: dict[str, str],
    *,
    module: str,
    table_name: str,
    record_id: str,
    site_zone: ZoneInfo,
    issues: list[LoadIssue],
) -> dict[str, Any]:
    """Typed copy of `record`: declared fields coerced, nested objects flattened with `__`,
    undeclared lists/objects kept as JSON text. Unreadable values are nulled into `issues`."""
    flat = _flatten(record, fields)
    typed: dict[str, Any] = {}
    for name, value in flat.items():
        kind = fields.get(name)
        if kind is None:
            typed[name] = to_json(value) if isinstance(value, list | dict) else value
            continue
        try:
            typed[name] = coerce_value(value, kind, site_zone)
        except CoercionError as error:
            typed[name] = None
            issues.append(
                LoadIssue(
                    module=module,
                    table_name=table_name,
                    record_id=record_id,
                    field=name,
                    raw_value=to_text(value)[:MAX_RAW_VALUE_CHARS],  # type: ignore[index]
                    message=str(error),
                )
            )
    for name in fields:
        typed.setdefault(name, None)
    return typed


def _flatten(record: dict[str, Any], fields: dict[str, str]) -> dict[str, Any]:
    """One level of `parent__child` flattening for objects the contract types field by field."""
    flat: dict[str, Any] = {}
    for name, value in record.items():
        if isinstance(value, dict) and any(f.startswith(f"{name}__") for f in fields):
            for child_name, child_value in value.items():
                flat[f"{name}__{child_name}"] = child_value
        else:
            flat[name] = value
    return flat
