"""What every Python oracle of the ledger reads the same way: the simulator's live records, a
document's rate, id lists, and money to cents. Oracles only: no dbt model or loader code."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

CENT = Decimal("0.01")
ZERO = Decimal("0")
BASE = "EUR"
NON_POSTING = {"draft", "void", "cancelled"}


def to_base(amount: Decimal, rate: Decimal) -> Decimal:
    """amount / rate to cents, ties away from zero (what Decimal's ROUND_HALF_UP does)."""
    return (amount / rate).quantize(CENT, rounding=ROUND_HALF_UP)


def rounded(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def day_of(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def records(company: Any, module: str) -> list[dict]:
    """The module's records as the simulator holds them now, deleted ones left out."""
    out = []
    for index in range(company.count(module)):
        record = company.current(module, index)
        if record is not None:
            out.append(record)
    return out


def rate_of(record: dict) -> Decimal:
    """Document currency per base unit; 1 for the base currency or a rate missing or <= 0."""
    currency = (record.get("currency") or BASE).upper()
    rate = record.get("currency_rate")
    if currency == BASE or rate is None or Decimal(rate) <= 0:
        return Decimal(1)
    return Decimal(rate)


def ids(value: Any) -> list[int]:
    """A Scoro id or id list as ints, empty values and 0 left out."""
    if value is None or value == "":
        return []
    items = value if isinstance(value, list | tuple) else [value]
    return [int(item) for item in items if item not in (None, "", 0, "0")]
