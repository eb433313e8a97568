"""Counts, ids, states and payment classes of the synthetic agency's records.

Document counts come in rounds of 12 quotes, 8 orders, 30 invoices, 12 bills, 4 purchase
orders and 1 prepayment; scale 1 is 10 rounds. Within a round, quote t (t < 8) becomes order t,
which becomes invoice 22 + t; order t (t < 4) has purchase order t, billed by bill 8 + t; order
0 asks for the round's prepayment, which invoice 22 consumes once it was received.

Invoices at positions 3, 8, 13 and 18 of a round may be credit invoices: each credits the
invoice one position before it, ``credit_lag`` rounds (at least 31 days) earlier, so every
payment of the credited invoice precedes its credit. The four cases (a paid invoice credited
and refunded, a paid one credited and not refunded, an unpaid one, a partly paid one) follow
each other, and the credited invoice's own payment class is the one its case needs.

Receipt groups come in rounds of 46 slots: one per document that can be paid (the prepayment,
30 invoices, 12 bills) and 3 expense claims. Slot s pays the one document the round's slot
pattern assigns to it, or does not exist when that document has no money moving. Whether a
record is deleted, and how a document is paid, follows from hashed "class draws" that can be
scanned in bulk, and from the document's age on the as-of day.
"""

from __future__ import annotations

import math
import random
import sys
from array import array
from bisect import bisect_left
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache
from typing import Any

from pipelines.simulator import catalog as cat
from pipelines.simulator.timeline import (
    DOC_SPAN_DAYS,
    ZERO,
    Timeline,
    mix,
    money,
    rng_for,
    tag,
    utc,
)

Record = dict[str, Any]

PER_ROUND = {
    "quotes": 12,
    "orders": 8,
    "invoices": 30,
    "bills": 12,
    "purchaseOrders": 4,
    "prepayments": 1,
    "expenses": 3,  # expense claims: not a module, but paid by receipt groups
    "receipts": 46,
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
    "expenses": 9000,
}
SCALED = tuple(m for m in ID_BASE if m != "expenses")
DOCUMENTS = ("invoices", "orders", "quotes", "prepayments", "purchaseOrders", "bills")
PAID_CLASSES = ("full", "partial")
VAT_CHANGE = date(2025, 7, 1)
LIVE, DELETED, GONE = "live", "deleted", "gone"
AMOUNTS = {
    "h": ["1", "2", "4", "7.5", "8", "12", "16", "24", "40"],
    "day": ["1", "2", "3", "5"],
    "month": ["1", "1", "2", "3"],
    "pcs": ["1", "1", "2", "3", "5"],
}
PAYMENT_DAYS = 31  # the last payment of a document comes at most this long after its date
FINAL_INVOICE_Q = 22  # the invoice of a round's order 0, which consumes the prepayment
PREPAYMENT_LEAD_DAYS = 35  # a prepayment is dated this long before its final invoice
CREDIT_SLOTS = (3, 8, 13, 18)  # positions in a round that may hold a credit invoice
CREDIT_CASES = ("paid_refunded", "paid_open", "unpaid", "partial")
PREPAYMENT_CASES = ("consumed", "partly_received", "not_consumed", "not_received")


def _receipt_pattern() -> list[tuple[str, int]]:
    """Order of the 46 receipt slots of a round: by the paid document's place in the round."""
    slots = [(Fraction(0), 0, "prepayments", 0)]
    slots += [(Fraction(q, 30), 1, "invoices", q) for q in range(30)]
    slots += [(Fraction(q, 12), 2, "bills", q) for q in range(12)]
    slots += [(Fraction(2 * e + 1, 6), 3, "expenses", e) for e in range(3)]
    return [(module, q) for _, _, module, q in sorted(slots)]


RECEIPT_PATTERN = _receipt_pattern()
RECEIPT_SLOT = {entry: pos for pos, entry in enumerate(RECEIPT_PATTERN)}
assert len(RECEIPT_PATTERN) == PER_ROUND["receipts"]


class AgencyCore:
    """Counts, ids, record states and payment classes: everything cheap, no record bodies."""

    def __init__(self, seed: int, scale: float, tenant: str, as_of: date) -> None:
        self.seed = mix(seed, tag(tenant))
        self.tenant = tenant
        self.tl = Timeline(as_of)
        self.rounds = rounds = max(1, round(10 * scale))
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
        # a credit invoice credits an invoice this many rounds (at least 31 days) earlier
        self.credit_lag = math.ceil((PAYMENT_DAYS + 2) * rounds / DOC_SPAN_DAYS)
        self._prepayment_shift = mix(self.seed, tag("prepayment-cases")) % 4
        self._u_block = lru_cache(maxsize=512)(self._u_block)  # type: ignore[method-assign]
        self._thresholds: dict[tuple[str, int], int] = {}

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
            kind = self.receipt_state(index)
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
            limit = 50 if module == "bills" else 30
            drawn = (
                block * BLOCK + k
                for block in range((n + BLOCK - 1) // BLOCK)
                for k, u in enumerate(self._u_block(module, block))
                if u < limit
            )
            extra = {"invoices": range(149, n, 150), "quotes": range(59, n, 60)}.get(module, ())
            candidates = sorted({i for i in drawn if i < n} | set(extra))
        elif module == "receipts":
            candidates = self._receipt_slots_without_money()
        irregular, deleted, deleted_ts = array("q"), array("q"), array("q")
        for index in candidates:
            state, ts = self.state(module, index)
            if state != LIVE:
                irregular.append(index)
            if state == DELETED:
                deleted.append(index)
                deleted_ts.append(ts or 0)
        return irregular, deleted, deleted_ts

    def _receipt_slots_without_money(self) -> list[int]:
        """Receipt slots whose document moves no money, or whose payment was deleted."""
        return [
            slot for slot in range(self.count["receipts"]) if self.receipt_state(slot) != "live"
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
        if module == "prepayments":  # well before the invoice that consumes it
            final = self.final_invoice(index)
            return self._doc_date("invoices", final) - timedelta(days=PREPAYMENT_LEAD_DAYS)
        return self.tl.doc_date(index, self.count[module])

    # ---- payment classes ---------------------------------------------------------------

    def _dated_after(self, module: str, days: int) -> int:
        """The first index of ``module`` dated after ``days`` days before the as-of day
        (document dates grow with the index)."""
        key = (module, days)
        found = self._thresholds.get(key)
        if found is None:
            cutoff = self.tl.days_before(days)
            found = bisect_left(
                range(self.count[module]), True, key=lambda i: self._doc_date(module, i) > cutoff
            )
            self._thresholds[key] = found
        return found

    def _too_recent_to_be_paid(self, module: str, index: int) -> bool:
        """Payments come 3–30 days after the document date, never after the as-of day."""
        if module == "prepayments" or index >= self.count[module]:
            return self._doc_date(module, index) > self.tl.days_before(PAYMENT_DAYS)
        return index >= self._dated_after(module, PAYMENT_DAYS)

    def _kept_open(self, index: int) -> bool:
        """Every fifth ordinary invoice of the last five months stays unpaid, so that each
        30-day overdue bucket holds open invoices whatever the as-of day."""
        return (
            index % 30 < FINAL_INVOICE_Q
            and index % 5 == 0
            and self._dated_after("invoices", 150) <= index < self.count["invoices"]
        )

    def credit_of(self, index: int) -> tuple[int, str] | None:
        """(index of the invoice credited, case) when invoice ``index`` is a credit invoice."""
        if index >= self.count["invoices"]:
            return None
        rnd, q = divmod(index, 30)
        if q not in CREDIT_SLOTS or rnd < self.credit_lag:
            return None
        if not 30 <= self._u("invoices", index) < 560:
            return None
        case = CREDIT_CASES[(rnd + CREDIT_SLOTS.index(q)) % len(CREDIT_CASES)]
        return (rnd - self.credit_lag) * 30 + q - 1, case

    def credited_by(self, index: int) -> tuple[int, str] | None:
        """(index of the credit invoice, case) when invoice ``index`` is credited."""
        rnd, q = divmod(index, 30)
        if q + 1 not in CREDIT_SLOTS:
            return None
        credit = (rnd + self.credit_lag) * 30 + q + 1
        found = self.credit_of(credit)
        return (credit, found[1]) if found else None

    def credit_refunds(self, index: int) -> bool:
        """Whether the unused part of credit invoice ``index`` is paid back to the customer."""
        case = self.credit_of(index)
        if case is None or case[1] in ("paid_open", "unpaid"):
            return False
        if case[1] == "partial" and self._u("invoices", index) % 2:
            return False  # the paid part stays as the customer's credit
        return not self._too_recent_to_be_paid("invoices", index)

    def invoice_class(self, index: int) -> str:
        """How invoice ``index`` is paid: full, partial, unpaid, payment_deleted (its receipt
        group was deleted), credit (it is a credit invoice), deleted or gone."""
        if index >= self.count["invoices"]:
            return "unpaid"
        if index % 150 == 149:
            return "gone"
        if self.credit_of(index) is not None:
            return "credit"
        target = self.credited_by(index)
        if target is not None:
            return {"unpaid": "unpaid", "partial": "partial"}.get(target[1], "full")
        if self._kept_open(index):
            return "unpaid"
        u = self._u("invoices", index)
        consumes = index % 30 == FINAL_INVOICE_Q and self.consumes_prepayment(index)
        if u < 30 and not consumes:
            return "deleted"
        if self._too_recent_to_be_paid("invoices", index):
            return "unpaid"
        if u < 130:  # old unpaid invoices are rarer: most get paid in the end
            old = index < self._dated_after("invoices", 181)
            return "full" if old and u >= 70 else "unpaid"
        if u < 230:
            return "partial"
        return "payment_deleted" if u < 245 else "full"

    def bill_class(self, index: int) -> str:
        if index >= self.count["bills"]:
            return "unpaid"
        u = self._u("bills", index)
        if u < 50:
            return "deleted"
        if u < 180 or self._too_recent_to_be_paid("bills", index):
            return "unpaid"
        if u < 240:
            return "partial"
        return "payment_deleted" if u < 255 else "full"

    def final_invoice(self, prepayment: int) -> int:
        return prepayment * 30 + FINAL_INVOICE_Q

    def prepayment_case(self, index: int) -> str:
        """What becomes of prepayment ``index``: consumed (received in full, set off on its
        final invoice), partly_received (half received and set off), not_consumed (received,
        the final invoice does not use it yet), not_received."""
        if index >= self.count["prepayments"] or self._too_recent_to_be_paid("prepayments", index):
            return "not_received"
        return PREPAYMENT_CASES[(index + self._prepayment_shift) % len(PREPAYMENT_CASES)]

    def consumes_prepayment(self, invoice: int) -> bool:
        rnd, q = divmod(invoice, 30)
        if q != FINAL_INVOICE_Q or invoice >= self.count["invoices"]:
            return False
        return self.prepayment_case(rnd) in ("consumed", "partly_received")

    def money_state(self, module: str, index: int) -> str:
        """Whether money moves for this document (or expense claim): "live" (a receipt group
        pays it), "deleted" (the group was deleted in the last days) or "" (none)."""
        if module in ("invoices", "bills"):
            kind = self.invoice_class(index) if module == "invoices" else self.bill_class(index)
            if kind == "credit":
                return "live" if self.credit_refunds(index) else ""
            if kind == "payment_deleted":
                return "deleted"
            return "live" if kind in PAID_CLASSES else ""
        if module == "prepayments":
            return "" if self.prepayment_case(index) == "not_received" else "live"
        paid_on = self.expense_date(index) + timedelta(days=EXPENSE_PAY_DAYS)
        return "live" if paid_on <= self.tl.as_of else ""

    def receipt_target(self, slot: int) -> tuple[str, int]:
        rnd, pos = divmod(slot, PER_ROUND["receipts"])
        module, q = RECEIPT_PATTERN[pos]
        return module, rnd * PER_ROUND[module] + q

    def receipt_state(self, slot: int) -> str:
        """live, deleted (a payment deleted in the last days) or "" (no such group)."""
        return self.money_state(*self.receipt_target(slot))

    def doc_class(self, module: str, index: int) -> str:
        if module == "invoices":
            return self.invoice_class(index)
        if module == "bills":
            return self.bill_class(index)
        return self.prepayment_case(index)

    def expense_date(self, index: int) -> date:
        return self.tl.doc_date(index, self.count["expenses"])

    def payment_rows(
        self, module: str, index: int, due: Decimal, kind: str, day: date
    ) -> list[tuple[date, Decimal]]:
        """The payments a document receives: (date, sum) per receipt row."""
        rng = rng_for(self.seed, "pay:" + module, index)
        first = day + timedelta(days=rng.randint(3, 20))
        if kind == "partial":
            part = money(due * Decimal(rng.choice(["0.25", "0.5", "0.6"])))
            if part in (ZERO, due):
                part = money(due / 2)
            return [(first, part)]
        if kind in ("full", "payment_deleted"):
            if rng.random() < 0.3 and abs(due) >= 1:
                half = money(due / 2)
                return [(first, half), (first + timedelta(days=10), due - half)]
            return [(first, due)]
        return []


BLOCK = 4096
EXPENSE_PAY_DAYS = 5  # an expense claim is paid this long after it was made
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
