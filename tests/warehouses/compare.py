"""Normalise a table's rows the same way whatever engine returned them, and summarise them.

- Amounts: exact Decimals written without trailing zeros (120.500000000 and 120.5 are one
  value; a float never appears: engines.py reads every amount as Decimal).
- Nested values: DuckDB STRUCT/LIST, Postgres jsonb and Spark struct/array all become dicts and
  lists; a string holding a JSON list or object (credit_notes.lineItems, the schema types it as
  a string) is parsed, since engines print JSON with different spacing and key order.
- Dates as ISO strings, timestamps in UTC without an offset (Spark returns naive UTC values,
  Postgres and DuckDB zone-aware ones), booleans as true/false, null as null.

A table's summary: its row count, the number of distinct tenants, the sum of every amount
column, top-level and nested ("lineItems.totalPrice", summed over every element), and a
SHA-256 of its rows (each row as sorted-key JSON, the rows sorted: order-independent).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any


def canonical(value: Any) -> Any:
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, Decimal | int):
        number = Decimal(value)
        return "0" if number == 0 else format(number.normalize(), "f")
    if isinstance(value, float):
        raise TypeError(f"a float reached the comparison: {value!r}; amounts must be exact")
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC).replace(tzinfo=None)
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        stripped = value.strip()
        if stripped[:1] in ("[", "{"):
            try:
                return canonical(json.loads(stripped, parse_float=Decimal))
            except ValueError:
                return value
        return value
    if isinstance(value, dict):
        return {str(key): canonical(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [canonical(item) for item in value]
    return str(value)


def _amounts(value: Any, path: str, totals: dict[str, Decimal]) -> None:
    if isinstance(value, bool) or value is None:
        return
    if isinstance(value, Decimal):
        totals[path] += value
    elif isinstance(value, dict):
        for key, item in value.items():
            _amounts(item, f"{path}.{key}" if path else str(key), totals)
    elif isinstance(value, list | tuple):
        for item in value:
            _amounts(item, path, totals)
    elif isinstance(value, str) and value.strip()[:1] in ("[", "{"):
        try:
            _amounts(json.loads(value, parse_float=Decimal), path, totals)
        except ValueError:
            return


@dataclass
class Summary:
    rows: int
    tenants: int
    amounts: dict[str, Decimal] = field(default_factory=dict)
    digest: str = ""
    canonical_rows: list[str] = field(default_factory=list, repr=False)


# when a sync ran: the row's sync time, the start of the listing a sweep used
RUN_TIMES = ("_scoro_synced_at", "listed_at")


def raw_row(row: dict[str, Any]) -> dict[str, Any]:
    """A raw mirror row without what depends on when and how it was loaded: dlt's own columns
    (_dlt_id, _dlt_load_id, ...), the times of the syncs (RUN_TIMES), and the time the id sweep
    flagged a deletion (deleted_date is compared as present or not; the Postgres mirror's
    values are checked against the simulator's truth in test_postgres_raw_path.py)."""
    kept = {k: v for k, v in row.items() if not k.startswith("_dlt") and k not in RUN_TIMES}
    if "deleted_date" in kept:
        kept["deleted_date"] = kept["deleted_date"] is not None
    return kept


# what a model in schema staging holds about its build rather than the books: the sync time of
# the row (when_upserted_into_data_store) and of the inputs an incremental ledger model posted
# (source_synced_at), and the fingerprints of the accounts it posted with (computed only where
# the ledger is incremental: DuckDB and Postgres; Spark builds tables), and in schema accounting
# the fingerprint an incremental mart keeps of each entry's inputs (source_fingerprint: DuckDB's
# own hash there, another engine's elsewhere, null where the mart is a table)
BUILD_BOOKKEEPING = (
    "when_upserted_into_data_store",
    "source_synced_at",
    "source_accounts_fingerprint",
    "accounts_fingerprint",
    "source_fingerprint",
)


def built_row(row: dict[str, Any]) -> dict[str, Any]:
    """A row of schema accounting without BUILD_BOOKKEEPING (the books alone)."""
    return {k: v for k, v in row.items() if k not in BUILD_BOOKKEEPING}


def staged_row(row: dict[str, Any]) -> dict[str, Any]:
    """A staging model's row without what depends on when and how each mirror was synced and
    built (Postgres is synced by its own runs, Spark reads DuckDB's export): BUILD_BOOKKEEPING
    dropped, deleted_date compared as present or not, as raw_row() does for the raw tables."""
    kept = {k: v for k, v in row.items() if k not in BUILD_BOOKKEEPING}
    if "deleted_date" in kept:
        kept["deleted_date"] = kept["deleted_date"] is not None
    return kept


def summarise(rows: list[dict[str, Any]]) -> Summary:
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for row in rows:
        _amounts(row, "", totals)
    encoded = sorted(
        json.dumps(canonical(row), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        for row in rows
    )
    digest = hashlib.sha256("\n".join(encoded).encode()).hexdigest()
    tenants = {str(row.get("tenant_id")) for row in rows}
    return Summary(
        rows=len(rows),
        tenants=len(tenants),
        amounts=dict(sorted(totals.items())),
        digest=digest,
        canonical_rows=encoded,
    )


def differences(reference: Summary, other: Summary, limit: int = 3) -> list[str]:
    """A few rows present on one side only, to say what differs when the digests do not."""
    left, right = set(reference.canonical_rows), set(other.canonical_rows)
    only_left = sorted(left - right)[:limit]
    only_right = sorted(right - left)[:limit]
    return [f"  - {row[:600]}" for row in only_left] + [f"  + {row[:600]}" for row in only_right]


def cents(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.01')):,}"


def table(headers: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(str(cell)) for cell in column) for column in zip(headers, *rows, strict=True)]
    line = "+".join("-" * (width + 2) for width in widths)
    out = [" | ".join(str(cell).ljust(width) for cell, width in zip(headers, widths, strict=True))]
    out.append(line)
    for row in rows:
        cells = zip(row, widths, strict=True)
        out.append(" | ".join(str(cell).ljust(width) for cell, width in cells))
    return "\n".join(out)
