"""Turns the API's loose values (0/"1"/true, "12.50"/12.5, zone-less or ISO datetimes,
0000-00-00) into typed warehouse values, one field at a time.

A value that cannot be read is never guessed: the field becomes null and a `LoadIssue`
names the module, record and field, so the rest of the record and every other record load.
No value can fail a whole run: every error a conversion may raise is caught per field, and
every value that reaches dlt fits its column (decimal(38,9), 64-bit bigint, valid UTF-8).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_EVEN, Context, Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo

from dlt.common.normalizers.naming.snake_case import NamingConvention

from pipelines.scoro import schema

_ZERO_DATE = re.compile(r"^0{4}-0{2}-0{2}")
# a birthday without a year: 0000-MM-DD (Scoro's SDK: "can be without a year")
_NO_YEAR = re.compile(r"^0{4}-(\d{2})-(\d{2})")
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}
MAX_RAW_VALUE_CHARS = 4000

# decimal(38, 9): 29 digits before the point, 9 after
DECIMAL_SCALE = 9
DECIMAL_INTEGER_DIGITS = 29
_QUANTUM = Decimal(1).scaleb(-DECIMAL_SCALE)
_DECIMAL_LIMIT = Decimal(10) ** DECIMAL_INTEGER_DIGITS
_WIDE = Context(prec=80)
BIGINT_MIN, BIGINT_MAX = -(2**63), 2**63 - 1

# the column names dlt derives from a record's keys (its default snake_case convention)
_NAMING = NamingConvention()


class CoercionError(ValueError):
    """A value that does not read as its declared type."""


@dataclass(frozen=True)
class LoadIssue:
    """One value the loader could not read as sent; what it stored is in `message`."""

    module: str
    table_name: str
    record_id: str
    field: str
    raw_value: str
    message: str
    stored: str = "stored as null"

    def as_row(self) -> dict[str, str]:
        return {
            "module": self.module,
            "table_name": self.table_name,
            "record_id": self.record_id,
            "field": self.field,
            "raw_value": self.raw_value,
            "message": f"{self.message}; {self.stored}",
        }

    def __str__(self) -> str:
        return (
            f"{self.module} record {self.record_id}: field '{self.field}' "
            f"{self.message}; {self.stored}"
        )


@dataclass(slots=True)
class IssueContext:
    """Where values come from, for the issues they raise."""

    module: str
    table_name: str
    record_id: str

    def issue(
        self, field: str, value: Any, message: str, stored: str = "stored as null"
    ) -> LoadIssue:
        return LoadIssue(
            module=self.module,
            table_name=self.table_name,
            record_id=self.record_id,
            field=clean_text(field)[0],
            raw_value=raw_text(value),
            message=message,
            stored=stored,
        )


def raw_text(value: Any) -> str:
    """The value as it came, for an issue row: JSON for lists and objects, never invalid UTF-8."""
    text = value if isinstance(value, str) else to_json(value)
    return clean_text(text or "")[0][:MAX_RAW_VALUE_CHARS]


def clean_text(text: str) -> tuple[str, bool]:
    """The text with lone surrogates (which UTF-8 cannot carry) replaced by U+FFFD."""
    if text.isascii():
        return text, True
    try:
        text.encode("utf-8")
        return text, True
    except UnicodeEncodeError:
        cleaned = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
        return cleaned, False


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")


def to_bool(value: Any) -> bool | None:
    if _blank(value):
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int | Decimal) and value in (0, 1):
        return bool(value)
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise CoercionError(f"is not a boolean: {value!r}")


def parse_decimal(value: Any) -> Decimal | None:
    """The exact number the value spells, however large, or CoercionError."""
    kind = type(value)
    if kind is Decimal:  # the JSON parser's numbers with a point (envelope.parse_json)
        if not value.is_finite():
            raise CoercionError(f"is not a finite number: {_short(value)}")
        return value
    if kind is int:  # exact, as its text would be
        return Decimal(value)
    if _blank(value):
        return None
    if isinstance(value, bool | list | dict):
        raise CoercionError(f"is not a number: {_short(value)}")
    if isinstance(value, Decimal):
        number = value
    else:
        try:
            # str() of a float is its shortest round-trip form, so 12.5 stays 12.5 exactly
            number = Decimal(str(value).strip())
        except (InvalidOperation, ValueError) as error:
            raise CoercionError(f"is not a number: {_short(value)}") from error
    if not number.is_finite():
        raise CoercionError(f"is not a finite number: {_short(value)}")
    return number


def to_decimal(value: Any, notes: list[str] | None = None) -> Decimal | None:
    """A value that fits decimal(38, 9). More than 9 decimals are rounded half-even (and noted);
    more than 29 digits before the point cannot be stored and raise CoercionError."""
    number = parse_decimal(value)
    if number is None:
        return None
    if number.adjusted() >= DECIMAL_INTEGER_DIGITS:
        raise CoercionError(
            f"does not fit decimal(38,9) (more than 29 integer digits): {_short(value)}"
        )
    if number.as_tuple().exponent < -DECIMAL_SCALE:  # type: ignore[operator]
        rounded = number.quantize(_QUANTUM, rounding=ROUND_HALF_EVEN, context=_WIDE)
        if notes is not None and rounded != number:
            notes.append(
                f"has more than 9 decimals: {_short(value)}; rounded half-even to {rounded}"
            )
        number = rounded
    if abs(number) >= _DECIMAL_LIMIT:
        raise CoercionError(f"does not fit decimal(38,9): {_short(value)}")
    return number


def to_bigint(value: Any) -> int | None:
    if type(value) is int:  # the common case: a JSON integer
        if BIGINT_MIN <= value <= BIGINT_MAX:
            return value
        raise CoercionError(f"does not fit a 64-bit integer: {_short(value)}")
    number = parse_decimal(value)
    if number is None:
        return None
    if number != number.to_integral_value(context=_WIDE):
        raise CoercionError(f"is not a whole number: {_short(value)}")
    if number.adjusted() > 19:
        raise CoercionError(f"does not fit a 64-bit integer: {_short(value)}")
    whole = int(number)
    if not BIGINT_MIN <= whole <= BIGINT_MAX:
        raise CoercionError(f"does not fit a 64-bit integer: {_short(value)}")
    return whole


def to_date(value: Any) -> date | None:
    if _blank(value):
        return None
    if not isinstance(value, str | date):
        raise CoercionError(f"is not a date (YYYY-mm-dd): {_short(value)}")
    text = str(value).strip()
    if _ZERO_DATE.match(text):
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError as error:
        raise CoercionError(f"is not a date (YYYY-mm-dd): {_short(value)}") from error


def month_day(value: Any) -> str | None:
    """'MM-DD' of a date, with or without its year (`0000-05-12` -> '05-12'); None if unknown."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    match = _NO_YEAR.match(text)
    if match:
        month, day = int(match.group(1)), int(match.group(2))
        try:
            date(2000, month, day)  # a leap year: 02-29 is a real birthday
        except ValueError:
            return None
        return f"{month:02d}-{day:02d}"
    try:
        parsed = date.fromisoformat(text[:10])
    except ValueError:
        return None
    return f"{parsed.month:02d}-{parsed.day:02d}"


def to_timestamp(value: Any, site_zone: ZoneInfo) -> datetime | None:
    """A UTC datetime. Zone-less values are in the Scoro site's zone."""
    if _blank(value):
        return None
    if not isinstance(value, str | datetime):
        raise CoercionError(f"is not a datetime: {_short(value)}")
    text = str(value).strip()
    if _ZERO_DATE.match(text):
        return None
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as error:
        raise CoercionError(f"is not a datetime: {_short(value)}") from error
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=site_zone)
    try:
        # 0001-01-01T00:30:00+01:00 is before year 1 in UTC: Python cannot hold it
        return parsed.astimezone(UTC)
    except (OverflowError, ValueError) as error:
        raise CoercionError(f"is out of the datetime range: {_short(value)}") from error


def to_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | Decimal):
        return str(value)
    return to_json(value)


def _plain(value: Any) -> Any:
    """JSON-ready copy: a Decimal becomes the number it is when a float holds it exactly,
    else its exact text (never a rounded float)."""
    if isinstance(value, Decimal):
        if value.is_finite():
            as_float = float(value)
            if Decimal(repr(as_float)) == value:
                return (
                    int(value)
                    if value == value.to_integral_value() and abs(value) < 2**53
                    else as_float
                )
        return str(value)
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, date | datetime):
        return value.isoformat()
    return value


def to_json(value: Any) -> str | None:
    """JSON text as `json.dumps(value, sort_keys=True)` spells it (ASCII, so any unicode,
    lone surrogates included, survives)."""
    if value is None:
        return None
    return json.dumps(_plain(value), sort_keys=True, default=str)


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _coerce_text(value: Any, site_zone: ZoneInfo, notes: list[str]) -> Any:
    if type(value) is str and value.isascii():
        return value  # the common case, valid as it is
    text = to_text(value)
    if text is None:
        return None
    cleaned, valid = clean_text(text)
    if not valid:
        notes.append("contains invalid unicode (a lone surrogate); replaced with U+FFFD")
    return cleaned


# one function per column kind: (value, site zone, notes) -> typed value, or CoercionError
_COERCERS: dict[str, Any] = {
    schema.TEXT: _coerce_text,
    schema.BIGINT: lambda value, zone, notes: to_bigint(value),
    schema.DECIMAL: lambda value, zone, notes: to_decimal(value, notes),
    schema.BOOL: lambda value, zone, notes: to_bool(value),
    schema.DATE: lambda value, zone, notes: to_date(value),
    schema.TIMESTAMP: lambda value, zone, notes: to_timestamp(value, zone),
    schema.JSON: lambda value, zone, notes: to_json(value),
}


def coerce_value(value: Any, kind: str, site_zone: ZoneInfo, notes: list[str]) -> Any:
    """The typed value of one field, or CoercionError. `notes` collects values stored changed."""
    return _COERCERS.get(kind, _coerce_text)(value, site_zone, notes)


def column_name(key: str) -> str:
    """The column dlt makes of a record key."""
    return _NAMING.normalize_path(key)


def coerce_record(
    record: dict[str, Any],
    fields: dict[str, str],
    *,
    context: IssueContext,
    site_zone: ZoneInfo,
    issues: list[LoadIssue],
    reserved: frozenset[str] = frozenset(),
) -> dict[str, Any]:
    """Typed copy of `record`: declared fields coerced, nested objects flattened with `__`,
    undeclared fields kept as text (lists/objects as JSON text). Unreadable values are nulled
    into `issues`. An undeclared key whose column would be a declared or reserved one (`SUM`
    onto `sum`, `_dlt_id`), or the same as another key's, is not loaded: it goes to `issues`."""
    flat = _flatten(record, fields)
    # every declared column, null unless the record fills it
    typed: dict[str, Any] = dict.fromkeys(fields)
    # column -> the undeclared key that fills it (a declared field fills its own column, which
    # no undeclared key may take)
    taken: dict[str, str] = {}
    notes: list[str] = []
    coercers = _COERCERS
    text_kind = schema.TEXT
    for name, value in flat.items():
        kind = fields.get(name)
        if kind is not None:
            if value is None:  # null is null in every kind
                continue
            if kind == text_kind and type(value) is str and value.isascii():
                typed[name] = value
                continue
            try:
                typed[name] = coercers.get(kind, _coerce_text)(value, site_zone, notes)
            except Exception as error:  # any failure stays with this one field
                message = str(error) if isinstance(error, CoercionError) else repr(error)
                issues.append(context.issue(name, value, message))
                notes.clear()
                continue
            if notes:
                for note in notes:
                    issues.append(context.issue(name, value, note, stored="stored as converted"))
                notes.clear()
            continue
        column = _undeclared_column(name)
        if column is None:
            issues.append(
                context.issue(name, value, "is a key no column can be named after", "not loaded")
            )
            continue
        clash = (
            column in fields
            or column in reserved
            or column.startswith("_dlt")
            or column.startswith("_scoro")
            or column in taken
        )
        if clash:
            other = taken.get(column, column)
            issues.append(
                context.issue(
                    name,
                    value,
                    f"is an undeclared key whose column '{column}' is already "
                    f"{'filled by key ' + repr(other) if other != column else 'a reserved column'}",
                    "not loaded (the value is kept here)",
                )
            )
            continue
        taken[column] = name
        if isinstance(value, list | dict):
            typed[name] = to_json(value)
        else:
            text = to_text(value)
            if text is not None:
                text, valid = clean_text(text)
                if not valid:
                    issues.append(
                        context.issue(
                            name,
                            value,
                            "contains invalid unicode (a lone surrogate); replaced with U+FFFD",
                            "stored as converted",
                        )
                    )
            typed[name] = text
    return typed


def _undeclared_column(key: str) -> str | None:
    if not isinstance(key, str) or not key.strip():
        return None
    _, valid = clean_text(key)
    if not valid:
        return None
    try:
        column = column_name(key)
    except Exception:
        return None
    return column or None


_NESTED: dict[int, tuple[dict[str, str], frozenset[str]]] = {}


def _nested(fields: dict[str, str]) -> frozenset[str]:
    """The names of the objects `fields` types field by field (`company_address`)."""
    found = _NESTED.get(id(fields))
    if found is None or found[0] is not fields:
        # `x` is one when a declared field starts with `x__`
        prefixes = frozenset(
            name[:at] for name in fields for at in range(len(name) - 1) if name[at : at + 2] == "__"
        )
        found = _NESTED[id(fields)] = (fields, prefixes)
    return found[1]


def _flatten(record: dict[str, Any], fields: dict[str, str]) -> dict[str, Any]:
    """One level of `parent__child` flattening for objects the contract types field by field."""
    nested = _nested(fields)
    if not nested:
        return record
    flat: dict[str, Any] = {}
    for name, value in record.items():
        if isinstance(value, dict) and name in nested:
            for child_name, child_value in value.items():
                flat[f"{name}__{child_name}"] = child_value
        else:
            flat[name] = value
    return flat
