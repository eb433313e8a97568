"""Hashing, money and time helpers shared by the synthetic company."""

from __future__ import annotations

import random
import zlib
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from zoneinfo import ZoneInfo

MASK = (1 << 64) - 1
CENT = Decimal("0.01")
ZERO = Decimal("0.00")
DOC_SPAN_DAYS = 731  # document dates fall in the two years up to the as-of day
MOD_LAG_DAYS = 45  # generated modification times start this long after the first document
WORK_SECONDS = 10 * 3600  # generated timestamps fall in 06:00-16:00 UTC: never a DST overlap


class ZeroDate:
    """The API's ``0000-00-00``: a date field that is set but empty."""

    _instance: ZeroDate | None = None

    def __new__(cls) -> ZeroDate:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "ZERO_DATE"


ZERO_DATE = ZeroDate()


@dataclass(frozen=True)
class MonthDay:
    """A date without a year (a birthday sent as ``0000-05-12``)."""

    month: int
    day: int

    def isoformat(self) -> str:
        return f"0000-{self.month:02d}-{self.day:02d}"


def mix(*parts: int) -> int:
    """A 64-bit hash of integers (splitmix64 chained): cheap, stable across runs."""
    x = 0x9E3779B97F4A7C15
    for part in parts:
        x = ((x ^ (part & MASK)) + 0x9E3779B97F4A7C15) & MASK
        x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & MASK
        x ^= x >> 31
    return x


@cache
def tag(name: str) -> int:
    """The hash of a name the code spells (a module, a purpose): a few dozen, cached."""
    return zlib.crc32(name.encode())


def rng_for(seed: int, name: str, index: int) -> random.Random:
    return random.Random(mix(seed, tag(name), index))


def money(value: Decimal | int | str) -> Decimal:
    return Decimal(value).quantize(CENT, ROUND_HALF_UP)


def line_amounts(
    price: Decimal,
    amount: Decimal,
    amount2: Decimal | None,
    discount: Decimal,
    vat: Decimal,
) -> tuple[Decimal, Decimal]:
    """Line sum without VAT and the line's VAT, both rounded half up to cents:
    sum = price × amount × amount2 × (1 − discount/100), amount2 absent meaning 1."""
    factor = Decimal(1) if amount2 is None else amount2
    line_sum = money(price * amount * factor * (1 - discount / 100))
    return line_sum, money(line_sum * vat / 100)


def utc(ts: int) -> datetime:
    return datetime.fromtimestamp(ts, UTC)


def site_exact(moment: datetime, tz: ZoneInfo) -> datetime:
    """``moment`` to the second, moved out of a DST overlap so its naive site time is exact."""
    moment = moment.astimezone(UTC).replace(microsecond=0)
    naive = moment.astimezone(tz).replace(tzinfo=None)
    if naive.replace(tzinfo=tz).astimezone(UTC) != moment:
        moment += timedelta(hours=1)
    return moment


def site_today(tz: ZoneInfo) -> date:
    return datetime.now(UTC).astimezone(tz).date()


class Timeline:
    """Where generated dates and modification times fall: the two years up to ``as_of``.

    Document dates run from ``as_of`` − 730 days to ``as_of``; generated modification times
    from 45 days after the first document to the day before ``as_of``, increasing with the
    record's index; recent deletions 1–28 days before ``as_of``."""

    def __init__(self, as_of: date) -> None:
        self.as_of = as_of
        self.doc_start = as_of - timedelta(days=DOC_SPAN_DAYS - 1)
        self.anchor = datetime(as_of.year, as_of.month, as_of.day, tzinfo=UTC)
        self.anchor_ts = int(self.anchor.timestamp())
        mod_start = self.anchor - timedelta(days=DOC_SPAN_DAYS - 1 - MOD_LAG_DAYS)
        self.mod_start_ts = int(mod_start.timestamp())
        self.work = (DOC_SPAN_DAYS - 2 - MOD_LAG_DAYS) * WORK_SECONDS

    def mod_ts(self, index: int, count: int) -> int:
        """Strictly increasing in ``index``: the generated modified_date of record ``index``."""
        offset = (index * self.work) // max(count, 1)
        day, second = divmod(offset, WORK_SECONDS)
        return self.mod_start_ts + day * 86400 + 6 * 3600 + second

    def doc_date(self, index: int, count: int) -> date:
        return self.doc_start + timedelta(days=(index * DOC_SPAN_DAYS) // max(count, 1))

    def days_before(self, days: int) -> date:
        return self.as_of - timedelta(days=days)

    @staticmethod
    def created_ts(day: date, h: int) -> int:
        """A moment on ``day`` between 07:00 and 14:00 UTC."""
        start = datetime(day.year, day.month, day.day, 7, tzinfo=UTC)
        return int(start.timestamp()) + h % (7 * 3600)

    def recent_delete_ts(self, h: int) -> int:
        """A moment 1..28 days before the as-of day: listable with include_deleted."""
        return self.anchor_ts - (1 + h % 28) * 86400 + 7 * 3600 + (h >> 8) % (8 * 3600)

    def old_delete_ts(self, h: int) -> int:
        """A moment long past the 30-day window: never listed again."""
        return self.anchor_ts - (200 + h % 100) * 86400 + 8 * 3600
