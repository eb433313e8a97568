"""Counts, ids, states and payment classes of the synthetic agency's records.

Document counts come in rounds of 12 quotes, 8 orders, 30 invoices, 12 bills, 4 purchase
orders, 1 prepayment and 43 receipt groups; scale 1 is 10 rounds. Within a round, quote t
(t < 8) becomes order t, which becomes invoice 22 + t; order t (t < 4) has purchase order t,
billed by bill 8 + t; order 0 has the round's prepayment. Receipt group s pays the one
document the round's slot pattern assigns to it, or does not exist when that document is
unpaid. Whether a record is deleted, and how a document is paid, follows from hashed
"class draws" that can be scanned in bulk.
"""

from __future__ import annotations

import math
import random
import sys
from array import array
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache
from typing import Any

from pipelines.simulator import catalog as cat
from pipelines.simulator.timeline import ZERO, Timeline, mix, money, rng_for, tag, utc

Record = dict[str, Any]

PER_ROUND = {
    "quotes": 12,
    "orders": 8,
    "invoices": 30,
    "bills": 12,
    "purchaseOrders": 4,
    "prepayments": 1,
    "receipts": 43,
}
ID_BASE = {
    "products": 100,
    "projects": 300,
    "projectPhases": 600,
    "contacts": 1000,
    "quotes": 2000,
    "orders": 3000,
    "invoices": 4000,
    "bills": 5000,
    "prepayments": 6000,
    "purchaseOrders": 7000,
    "receipts": 8000,
}
SCALED = tuple(ID_BASE)
DOCUMENTS = ("invoices", "orders", "quotes", "prepayments", "purchaseOrders", "bills")
PAID_CLASSES = ("full", "partial", "credit_paid")
CREDIT_CLASSES = ("credit_paid", "credit_open")
VAT_CHANGE = date(2025, 7, 1)
LIVE, DELETED, GONE = "live", "deleted", "gone"
AMOUNTS = {
    "h": ["1", "2", "4", "7.5", "8", "12", "16", "24", "40"],
    "day": ["1", "2", "3", "5"],
    "month": ["1", "1", "2", "3"],
    "pcs": ["1", "1", "2", "3", "5"],
}


def _receipt_pattern() -> list[tuple[str, int]]:
    """Order of the 43 receipt slots of a round: by the paid document's place in the round."""
    slots = [(Fraction(0), 0, "prepayments", 0)]
    slots += [(Fraction(q, 30), 1, "invoices", q) for q in range(30)]
    slots += [(Fraction(q, 12), 2, "bills", q) for q in range(12)]
    return [(module, q) for _, _, module, q in sorted(slots)]


RECEIPT_PATTERN = _receipt_pattern()
RECEIPT_SLOT = {entry: pos for pos, entry in enumerate(RECEIPT_PATTERN)}


class AgencyCore:
    """Counts, ids, record states and payment classes: everything cheap, no record bodies."""

    def __init__(self, seed: int, scale: float, tenant: str, as_of: date) -> None:
        self.seed = mix(seed, tag(tenant))
        self.tenant = tenant
        self.tl = Timeline(as_of)
        rounds = max(1, round(10 * scale))
        masters = max(1, round(math.sqrt(scale)))
        n_projects = max(3, math.ceil(2.5 * rounds))
        self.count: dict[str, int] = {m: k * rounds for m, k in PER_ROUND.items()}
        self.count.update(
            contacts=55 * masters,
            products=20 * masters,
            projects=n_projects,
            projectPhases=3 * n_projects,
        )
        self._fixed_cache = cat.fixed_records(self.tl)
        self.count.update({m: len(rows) for m, rows in self._fixed_cache.items()})
        self._u_block = lru_cache(maxsize=512)(self._u_block)  # type: ignore[method-assign]

    # ---- ids, states, timestamps -------------------------------------------------------

    def id_of(self, module: str, index: int) -> Any:
        if module in ID_BASE:
            return ID_BASE[module] + index + 1
        return self._fixed_cache[module][index][FIXED_KEY[module]]

    def index_of(self, module: str, record_id: Any) -> int | None:
        if module in ID_BASE:
            try:
                index = int(str(record_id)) - ID_BASE[module] - 1
            except ValueError:
                return None
            return index if index >= 0 else None
        key = FIXED_KEY[module]
        for index, row in enumerate(self._fixed_cache[module]):
            if str(row[key]) == str(record_id):
                return index
        return None

    def _u_block(self, module: str, block: int) -> array:
        """1000-valued class draws of 4096 consecutive records at once (cheap to scan)."""
        raw = random.Random(mix(self.seed, tag("class:" + module), block)).randbytes(2 * BLOCK)
        values = array("H")
        values.frombytes(raw)
        if sys.byteorder == "big":
            values.byteswap()
        return array("H", (x % 1000 for x in values))

    def _u(self, module: str, index: int) -> int:
        return self._u_block(module, index // BLOCK)[index % BLOCK]

    def state(self, module: str, index: int) -> tuple[str, int | None]:
        """(live | deleted | gone, deletion timestamp) of generated record ``index``."""
        if module == "receipts":
            paid = self.doc_class(*self.receipt_target(index))
            kind = {"payment_deleted": "deleted"}.get(paid, "live" if paid in PAID_CLASSES else "")
        elif module == "invoices":
            kind = self.invoice_class(index)
        elif module == "bills":
            kind = self.bill_class(index)
        elif module == "quotes" and index % 60 == 59:
            kind = "gone"
        elif module in DELETABLE:
            kind = "deleted" if self._u(module, index) < 30 else "live"
        else:
            return LIVE, None
        if kind in ("deleted", "gone"):
            h = mix(self.seed, tag("del:" + module), index)
            if kind == "deleted":
                return DELETED, self.tl.recent_delete_ts(h)
            return GONE, self.tl.old_delete_ts(h)
        return (GONE, None) if kind == "" else (LIVE, None)

    def irregular(self, module: str) -> tuple[array, array, array]:
        """Sorted indices of generated records that are not live, and the deleted ones with
        their deletion timestamps. Scans class draws in bulk: fast even at scale 1000."""
        n = self.count[module]
        candidates: Any = ()
        if module in ("invoices", "bills") or module in DELETABLE:
            drawn = (
                block * BLOCK + k
                for block in range((n + BLOCK - 1) // BLOCK)
                for k, u in enumerate(self._u_block(module, block))
                if u < 30
            )
            extra = {"invoices": range(149, n, 150), "quotes": range(59, n, 60)}.get(module, ())
            candidates = sorted({i for i in drawn if i < n} | set(extra))
        elif module == "receipts":
            candidates = self._unpaid_slots()
        irregular, deleted, deleted_ts = array("q"), array("q"), array("q")
        for index in candidates:
            state, ts = self.state(module, index)
            if state != LIVE:
                irregular.append(index)
            if state == DELETED:
                deleted.append(index)
                deleted_ts.append(ts or 0)
        return irregular, deleted, deleted_ts

    def _unpaid_slots(self) -> list[int]:
        """Receipt slots whose document is not (or no longer) paid: no live receipt group."""
        per_round = PER_ROUND["receipts"]
        targets = [(module, PER_ROUND[module], q) for module, q in RECEIPT_PATTERN]
        doc_class = self.doc_class
        return [
            slot
            for slot in range(self.count["receipts"])
            for module, size, q in (targets[slot % per_round],)
            if doc_class(module, slot // per_round * size + q) not in PAID_CLASSES
        ]

    def mod_ts(self, module: str, index: int) -> int:
        return self.tl.mod_ts(index, self.count[module])

    def _life(self, module: str, index: int, created: int) -> Record:
        state, deleted_ts = self.state(module, index)
        modified = deleted_ts if deleted_ts is not None else self.mod_ts(module, index)
        return {
            "created_date": utc(min(created, modified)),
            "modified_date": utc(modified),
            "is_deleted": state != LIVE,
            "deleted_date": utc(deleted_ts) if deleted_ts is not None else None,
        }

    def _master_created(self, module: str, index: int) -> int:
        first = self.tl.doc_start - timedelta(days=365)
        day = first + timedelta(days=(index * 360) // self.count[module])
        return self.tl.created_ts(day, mix(self.seed, tag("created:" + module), index))

    def _doc_date(self, module: str, index: int) -> date:
        return self.tl.doc_date(index, self.count[module])

    # ---- payment classes ---------------------------------------------------------------

    def _too_recent_to_be_paid(self, module: str, index: int) -> bool:
        """Payments come 3–30 days after the document date, never after the as-of day."""
        return self._doc_date(module, index) > self.tl.days_before(PAYMENT_DAYS)

    def _kept_open(self, index: int) -> bool:
        """Every fifth ordinary invoice of the last five months stays unpaid, so that each
        30-day overdue bucket holds open invoices whatever the as-of day."""
        return (
            index % 30 < 22
            and index % 5 == 0
            and (self._doc_date("invoices", index) > self.tl.days_before(150))
        )

    def invoice_class(self, index: int) -> str:
        if index >= self.count["invoices"]:
            return "unpaid"
        if index % 150 == 149:
            return "gone"
        if self._kept_open(index):
            return "unpaid"
        u = self._u("invoices", index)
        if u < 30:
            return "deleted"
        if index % 30 < 22 and u < 100 and self.credit_original(index) is not None:
            return "credit_paid" if u % 2 == 0 else "credit_open"
        if u < 200 or self._too_recent_to_be_paid("invoices", index):
            return "unpaid"
        if u < 300:
            return "partial"
        return "payment_deleted" if u < 315 else "full"

    def _paid_in_full(self, index: int) -> bool:
        return (
            index % 150 != 149
            and self._u("invoices", index) >= 315
            and not self._kept_open(index)
            and not self._too_recent_to_be_paid("invoices", index)
        )

    def credit_original(self, index: int) -> int | None:
        """The invoice a credit invoice credits: the nearest earlier fully paid one."""
        for j in range(index - 1, max(-1, index - 60), -1):
            if self._paid_in_full(j):
                return j
        return None

    def bill_class(self, index: int) -> str:
        if index >= self.count["bills"]:
            return "unpaid"
        u = self._u("bills", index)
        if u < 30:
            return "deleted"
        if u < 180 or self._too_recent_to_be_paid("bills", index):
            return "unpaid"
        if u < 240:
            return "partial"
        return "payment_deleted" if u < 255 else "full"

    def doc_class(self, module: str, index: int) -> str:
        if module == "invoices":
            return self.invoice_class(index)
        if module == "bills":
            return self.bill_class(index)
        if index >= self.count["prepayments"]:
            return "unpaid"
        if self._too_recent_to_be_paid("prepayments", index):
            return "unpaid"
        return "unpaid" if self._u("prepayments", index) < 300 else "full"

    def receipt_target(self, slot: int) -> tuple[str, int]:
        rnd, pos = divmod(slot, PER_ROUND["receipts"])
        module, q = RECEIPT_PATTERN[pos]
        return module, rnd * PER_ROUND[module] + q

    def receipt_slot(self, module: str, index: int) -> int | None:
        if index >= self.count[module]:
            return None
        rnd, q = divmod(index, PER_ROUND[module])
        return rnd * PER_ROUND["receipts"] + RECEIPT_SLOT[(module, q)]

    def payment_rows(
        self, module: str, index: int, total: Decimal, kind: str, day: date
    ) -> list[tuple[date, Decimal]]:
        """The payments a document receives: (date, sum) per receipt row."""
        rng = rng_for(self.seed, "pay:" + module, index)
        first = day + timedelta(days=rng.randint(3, 20))
        if kind == "partial":
            part = money(total * Decimal(rng.choice(["0.25", "0.5", "0.6"])))
            if part in (ZERO, total):
                part = money(total / 2)
            return [(first, part)]
        if kind == "credit_paid":
            return [(first, total)]
        if kind in ("full", "payment_deleted"):
            if rng.random() < 0.3 and abs(total) >= 1:
                half = money(total / 2)
                return [(first, half), (first + timedelta(days=10), total - half)]
            return [(first, total)]
        return []


BLOCK = 4096
PAYMENT_DAYS = 31  # the last payment of a document comes at most this long after its date
LINE_COUNTS = (1, 2, 3, 4, 4, 5, 5, 6)  # lines per sales document: 3.75 on average
DELETABLE = ("quotes", "orders", "purchaseOrders", "contacts", "products", "projects")
PHASES = ("Discovery", "Production", "Launch")
FIXED_KEY = {
    "categories": "cat_id",
    "clientProfiles": "id",
    "customFields": "id",
    "financeAccounts": "id",
    "users": "id",
    "userGroups": "group_id",
    "userRoles": "role_id",
    "vatCodes": "vat_code_id",
    "receiptAccounts": "id",
}
MODULE_NAMES = tuple(sorted(set(SCALED) | set(FIXED_KEY)))
