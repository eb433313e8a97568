"""One tenant's synthetic company: paged listing, view, mutations between syncs, and truth.

Generated records are computed on demand from their index (``generator.Agency``); only
records changed, added or deleted by ``mutate`` are stored, in an overlay keyed by index.
A list page is found without generating the records before it: generated live records have
modification times increasing with their index, so a ``from_date`` is a binary search, and
the few irregular records (deleted, never-existing, overlaid) are counted with bisection.
"""

from __future__ import annotations

import copy
import random
import threading
from bisect import bisect_left, insort
from collections import defaultdict
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from pipelines.simulator.catalog import CURRENCY_ACCOUNT
from pipelines.simulator.core import GONE, ID_BASE, Record
from pipelines.simulator.generator import Agency
from pipelines.simulator.shapes import Shapes
from pipelines.simulator.spec import MODULE_NAMES, MODULES
from pipelines.simulator.timeline import ZERO, line_amounts, mix, money, site_exact, site_today
from pipelines.simulator.truth import Truth, TruthRenderer
from pipelines.simulator.wire import Encoder

DELETED_WINDOW = timedelta(days=30)
MUTATED = ("contacts", "products", "projects", "invoices", "bills", "receipts")
_HAS_MODIFIED = {m for m in MODULE_NAMES if "modified_date" in MODULES[m].fields}


class Company:
    """A tenant's data as the API serves it, plus what a correct mirror of it holds.

    ``as_of`` (default: today in the site's zone) is the company's last business day: every
    generated date is relative to it, so the same seed and ``as_of`` give the same company.
    ``shapes`` chooses the SDK's alternative shapes (see ``shapes.py``)."""

    def __init__(
        self,
        tenant: str,
        *,
        seed: int = 42,
        scale: float = 1,
        site_timezone: str = "Europe/Tallinn",
        as_of: date | None = None,
        shapes: Shapes | None = None,
    ) -> None:
        self.tenant = tenant
        self.tz = ZoneInfo(site_timezone)
        self.as_of = as_of or site_today(self.tz)
        self.agency = Agency(seed, scale, tenant, self.as_of)
        self.encoder = Encoder(self.agency.seed, self.tz, shapes or Shapes())
        self._lock = threading.RLock()
        self._overlay: dict[str, dict[int, Record]] = {m: {} for m in MODULE_NAMES}
        self._overlay_order: dict[str, list[int]] = {m: [] for m in MODULE_NAMES}
        self._irregular: dict[str, Any] = {}
        self._special: dict[tuple[Any, ...], list[int]] = {}
        self._version = 0
        self._mutations = 0

    @property
    def modules(self) -> tuple[str, ...]:
        return MODULE_NAMES

    def count(self, module: str) -> int:
        """Number of index slots: generated ones plus records added by ``mutate``."""
        order = self._overlay_order[module]
        return max(self.agency.count[module], order[-1] + 1 if order else 0)

    # ---- reading -----------------------------------------------------------------------

    def current(self, module: str, index: int) -> Record | None:
        """The record at ``index`` as it is now (deleted ones too), or None if it never was."""
        record = self._overlay[module].get(index)
        if record is not None:
            return record
        if index >= self.agency.count[module] or index < 0:
            return None
        if self.agency.state(module, index)[0] == GONE:
            return None
        return self.agency.record(module, index)

    def view(self, module: str, record_id: Any) -> Record | None:
        """The full record for ``view/{id}``; None when unknown or deleted."""
        index = self.agency.index_of(module, record_id)
        if index is None:
            return None
        with self._lock:
            record = self.current(module, index)
        if record is None or record.get("is_deleted"):
            return None
        return record

    def list_page(
        self,
        module: str,
        *,
        page: int = 1,
        per_page: int = 50,
        from_date: datetime | None = None,
        include_deleted: bool = False,
    ) -> list[Record]:
        """One page of ``module`` in primary-key order, as ``list`` returns it."""
        from_ts = int(from_date.timestamp()) if from_date and module in _HAS_MODIFIED else None
        with self._lock:
            indices = self._page(module, (page - 1) * per_page, per_page, from_ts, include_deleted)
            return [rec for rec in (self.current(module, i) for i in indices) if rec is not None]

    def encode(self, module: str, record: Record, *, view: bool) -> dict[str, Any]:
        return self.encoder.record(module, record, view=view)

    @property
    def shapes(self) -> Shapes:
        return self.encoder.shapes

    @shapes.setter
    def shapes(self, shapes: Shapes) -> None:
        self.encoder.shapes = shapes

    def _static(self, module: str) -> Any:
        if module not in self._irregular:
            self._irregular[module] = self.agency.irregular(module)
        return self._irregular[module]

    def _cutoff(self) -> int:
        return int((datetime.now(UTC) - DELETED_WINDOW).timestamp())

    def _special_indices(
        self, module: str, from_ts: int | None, include_deleted: bool
    ) -> list[int]:
        """Listed indices that are not plain generated live records, sorted."""
        cutoff = self._cutoff()
        key = (module, from_ts, include_deleted, self._version, cutoff // 3600)
        if key in self._special:
            return self._special[key]
        floor = max(cutoff, from_ts or 0)
        out: list[int] = []
        if include_deleted:
            _, deleted, deleted_ts = self._static(module)
            out = [i for i, ts in zip(deleted, deleted_ts, strict=True) if ts >= floor]
        for index in self._overlay_order[module]:
            rec = self._overlay[module][index]
            modified = rec.get("modified_date")
            if from_ts is not None and modified is not None and modified.timestamp() < from_ts:
                continue
            if rec.get("is_deleted") and not (
                include_deleted and rec["deleted_date"].timestamp() >= cutoff
            ):
                continue
            out.append(index)
        out.sort()
        if len(self._special) > 64:
            self._special.clear()
        self._special[key] = out
        return out

    def _page(
        self, module: str, offset: int, limit: int, from_ts: int | None, include_deleted: bool
    ) -> list[int]:
        n = self.agency.count[module]
        irregular = self._static(module)[0]
        overlay = self._overlay_order[module]
        start = 0
        if from_ts is not None:
            start = bisect_left(range(n), from_ts, key=lambda i: self.agency.mod_ts(module, i))
        special = self._special_indices(module, from_ts, include_deleted)

        def regular_below(j: int) -> int:
            j = min(j, n)
            if j <= start:
                return 0
            skipped = bisect_left(irregular, j) - bisect_left(irregular, start)
            skipped += bisect_left(overlay, j) - bisect_left(overlay, start)
            return j - start - skipped

        def below(j: int) -> int:
            return regular_below(j) + bisect_left(special, j)

        end = max(n, overlay[-1] + 1 if overlay else 0)
        if below(end) <= offset:
            return []
        lo, hi = 0, end
        while lo < hi:
            mid = (lo + hi) // 2
            if below(mid) >= offset:
                hi = mid
            else:
                lo = mid + 1
        return _merge(lo, start, n, irregular, overlay, special, limit)

    # ---- truth -------------------------------------------------------------------------

    def truth(self) -> Truth:
        """Rows a correct mirror of this tenant holds after a sync now, by raw table name
        (``truth.table_keys`` names the columns that identify a row of each table)."""
        render = TruthRenderer(self.encoder)
        out = render.empty()
        cutoff = self._cutoff()
        with self._lock:
            for module in MODULE_NAMES:
                for index in range(self.count(module)):
                    rec = self.current(module, index)
                    if rec is None:
                        continue
                    deleted = bool(rec.get("is_deleted"))
                    if "_swept" in rec:  # purged: a full sweep flags the row last seen alive
                        rows = render.rows(
                            module, rec["_swept"], view_header=True, view_children=True
                        )
                    elif deleted and rec["deleted_date"].timestamp() < cutoff:
                        continue
                    else:
                        rows = render.rows(
                            module,
                            rec,
                            view_header=not deleted,
                            view_children=not deleted or bool(rec.get("_seen_alive")),
                        )
                    for table, table_rows in rows.items():
                        out[table].extend(table_rows)
        return out

    # ---- open items ----------------------------------------------------------------------

    def open_items(self) -> list[dict[str, Any]]:
        """The expected open amount of every invoice, credit invoice, bill and prepayment a
        mirror of this tenant holds, in the document's own currency, computed from the
        simulator's records (documents and live receipt rows), never from a warehouse:

        - invoice: sum + vat_sum − prepayment_sum − Σ its receipt rows − Σ credit allocated;
        - credit invoice: sum + vat_sum (negative) − Σ its receipt rows (refunds, negative)
          + the part allocated to the invoice it credits;
        - bill: sum + vat_sum − Σ its receipt rows (what is still payable);
        - prepayment: Σ receipt rows naming it − Σ prepayment_sum of live invoices consuming it.

        A credit invoice is allocated to the invoice it credits for min(|its total|, what was
        open on that invoice on the credit's date), credits taken in date order. A deleted
        document is listed with nothing open."""
        with self._lock:
            records = {m: self._held(m) for m in ("invoices", "bills", "prepayments")}
            cash: dict[tuple[str, int], list[tuple[Any, Decimal]]] = defaultdict(list)
            for group in self._held("receipts"):
                if group["is_deleted"]:
                    continue
                for row in group["receipts"]:
                    if row["prepayment_id"]:
                        key = ("prepayments", row["prepayment_id"])
                    elif row["sales_doc_type"] in ("invoices", "bills"):
                        key = (row["sales_doc_type"], row["invoice_id"])
                    else:
                        continue  # expense claims are not mirrored documents
                    cash[key].append((row["date"], row["sum"]))
        live = {m: {r["id"]: r for r in rows if not r["is_deleted"]} for m, rows in records.items()}
        invoices = live["invoices"]
        received_credit: dict[int, Decimal] = defaultdict(Decimal)
        given_credit: dict[int, Decimal] = {}
        credits = sorted(
            (r for r in invoices.values() if r["credited_invoices"]),
            key=lambda r: (r["date"], r["id"]),
        )
        for credit in credits:
            target = invoices.get(credit["credited_invoices"][0])
            if target is None:
                given_credit[credit["id"]] = ZERO
                continue
            paid_before = sum(
                (s for day, s in cash[("invoices", target["id"])] if day <= credit["date"]),
                ZERO,
            )
            open_then = (
                _total(target)
                - target["prepayment_sum"]
                - paid_before
                - received_credit[target["id"]]
            )
            allocation = max(ZERO, min(-_total(credit), open_then))
            given_credit[credit["id"]] = allocation
            received_credit[target["id"]] += allocation
        consumed: dict[int, Decimal] = defaultdict(Decimal)
        for invoice in invoices.values():
            for prepayment_id in invoice["prepayment_id"]:
                consumed[prepayment_id] += invoice["prepayment_sum"]
        items = []
        for module, rows in records.items():
            for doc in rows:
                paid = sum((s for _, s in cash[(module, doc["id"])]), ZERO)
                set_off = ZERO
                allocated = ZERO
                if module == "invoices":
                    kind = "credit_invoice" if doc["credited_invoices"] else "invoice"
                    set_off = doc["prepayment_sum"]
                    if doc["credited_invoices"]:  # given away: negative
                        allocated = -given_credit.get(doc["id"], ZERO)
                    else:
                        allocated = received_credit[doc["id"]]
                    open_amount = _total(doc) - set_off - paid - allocated
                elif module == "bills":
                    kind, open_amount = "bill", _total(doc) - paid
                else:
                    kind, set_off = "prepayment", consumed[doc["id"]]
                    open_amount = paid - set_off
                items.append(
                    {
                        "tenant_id": self.tenant,
                        "module": module,
                        "type": kind,
                        "id": doc["id"],
                        "no": str(doc["no"]),
                        "company_id": doc["company_id"],
                        "currency": doc["currency"],
                        "currency_rate": doc["currency_rate"],
                        "date": doc["date"],
                        "deadline": doc["deadline"],
                        "total": _total(doc),
                        "paid": paid,
                        "prepayment_set_off": set_off,
                        "credit_allocated": allocated,
                        "open": ZERO if doc["is_deleted"] else open_amount,
                        "is_deleted": bool(doc["is_deleted"]),
                    }
                )
        return items

    def _held(self, module: str) -> list[Record]:
        """The records of ``module`` a mirror holds: live ones, recently deleted ones and
        those deleted long ago that a full sweep flagged."""
        cutoff = self._cutoff()
        out = []
        for index in range(self.count(module)):
            rec = self.current(module, index)
            if rec is None:
                continue
            if "_swept" in rec:
                out.append({**rec["_swept"], "is_deleted": True})
            elif not rec.get("is_deleted") or rec["deleted_date"].timestamp() >= cutoff:
                out.append(rec)
        return out

    # ---- mutations -----------------------------------------------------------------------

    def mutate(
        self,
        changed: int = 5,
        added: int = 3,
        deleted: int = 2,
        seed: int = 7,
        modules: tuple[str, ...] | list[str] | None = None,
    ) -> dict[str, dict[str, list[Any]]]:
        """Change, add and delete records now, in each of ``modules`` (default: contacts,
        products, projects, invoices, bills and receipts); returns their ids per module.
        Documents a changed receipt pays change too."""
        unknown = sorted(set(modules or ()) - set(MUTATED))
        if unknown:
            raise ValueError(f"cannot mutate {', '.join(unknown)}; modules: {', '.join(MUTATED)}")
        with self._lock:
            run = _Mutation(self, random.Random(mix(self.agency.seed, seed, self._mutations)))
            self._mutations += 1
            run.apply(changed, added, deleted, tuple(modules or MUTATED))
            self._version += 1
            return run.result

    def purge(self, module: str = "invoices", count: int = 2, seed: int = 3) -> list[Any]:
        """Delete ``count`` live records of ``module`` as if long ago: never listed again, not
        even with include_deleted, so only a full id sweep finds them. Returns their ids."""
        with self._lock:
            run = _Mutation(self, random.Random(mix(self.agency.seed, seed, self._mutations)))
            self._mutations += 1
            purged = run.purge(module, count)
            self._version += 1
            return purged

    def _put(self, module: str, index: int, record: Record) -> None:
        if index not in self._overlay[module]:
            insort(self._overlay_order[module], index)
        self._overlay[module][index] = record


def _merge(
    j: int,
    start: int,
    n: int,
    irregular: Any,
    overlay: list[int],
    special: list[int],
    limit: int,
) -> list[int]:
    """Up to ``limit`` listed indices from ``j`` on: generated live records at or after
    ``start`` (skipping irregular and overlaid ones) merged with the ``special`` ones."""
    out: list[int] = []
    i = max(j, start)
    xi, oi, si = bisect_left(irregular, i), bisect_left(overlay, i), bisect_left(special, j)
    while len(out) < limit:
        while i < n:
            if xi < len(irregular) and irregular[xi] == i:
                xi += 1
            elif oi < len(overlay) and overlay[oi] == i:
                oi += 1
            else:
                break
            i += 1
        regular = i if i < n else None
        extra = special[si] if si < len(special) else None
        if regular is None and extra is None:
            break
        if extra is None or (regular is not None and regular < extra):
            out.append(i)
            i += 1
        else:
            out.append(extra)
            si += 1
    return out


class _Mutation:
    """One ``mutate`` call: picks records with its own RNG and keeps payments consistent."""

    def __init__(self, company: Company, rng: random.Random) -> None:
        self.co = company
        self.ag = company.agency
        self.rng = rng
        self.now = site_exact(datetime.now(UTC), company.tz)
        self.today = self.now.astimezone(company.tz).date()
        self.result: dict[str, dict[str, list[Any]]] = {
            m: {"changed": [], "added": [], "deleted": []} for m in MUTATED
        }
        self.touched: dict[str, set[int]] = defaultdict(set)

    def apply(
        self, changed: int, added: int, deleted: int, modules: tuple[str, ...] = MUTATED
    ) -> None:
        for module in MUTATED[:-1]:
            if module not in modules:
                continue
            for _ in range(changed):
                self._one(module, "changed", self._change)
            for _ in range(deleted):
                self._one(module, "deleted", self._delete)
            for _ in range(added):
                self._add(module)
        if "receipts" not in modules:
            return
        for _ in range(changed):
            self._one("receipts", "changed", self._change_receipt)
        for _ in range(deleted):
            self._one("receipts", "deleted", self._delete_receipt)
        for k in range(added):
            self._add_receipt("invoices" if k % 3 != 2 else "bills")

    def purge(self, module: str, count: int) -> list[Any]:
        purged = []
        for _ in range(count):
            index = self._pick(module, self._accept(module, "deleted"))
            if index is None:
                break
            rec = copy.deepcopy(self.co.current(module, index))
            assert rec is not None
            swept = {**copy.deepcopy(rec), "is_deleted": True}
            if module == "receipts":
                for row in rec["receipts"]:
                    self._pay(row, -row["sum"])
            long_ago = self.now - 2 * DELETED_WINDOW
            rec.update(is_deleted=True, deleted_date=long_ago, modified_date=long_ago)
            rec["_swept"] = swept
            self.co._put(module, index, rec)
            self.touched[module].add(index)
            purged.append(rec[MODULES[module].key])
        return purged

    # -- picking and storing

    def _pick(self, module: str, accept: Callable[[Record], bool]) -> int | None:
        total = self.co.count(module)
        for _ in range(400):
            index = self.rng.randrange(total)
            if index in self.touched[module]:
                continue
            rec = self.co.current(module, index)
            if rec is not None and not rec.get("is_deleted") and accept(rec):
                return index
        return None

    def _store(self, module: str, index: int, rec: Record, action: str) -> None:
        rec["modified_date"] = self.now
        self.co._put(module, index, rec)
        self.touched[module].add(index)
        record_id = rec[MODULES[module].key]
        lists = self.result[module]
        if action != "changed" or all(record_id not in ids for ids in lists.values()):
            lists[action].append(record_id)

    def _one(self, module: str, action: str, fn: Callable[[str, Record], bool]) -> None:
        index = self._pick(module, self._accept(module, action))
        if index is None:
            return
        rec = copy.deepcopy(self.co.current(module, index))
        assert rec is not None
        if fn(module, rec):
            self._store(module, index, rec, action)

    # -- plain records

    def _change(self, module: str, rec: Record) -> bool:
        if module == "contacts":
            rec["comments"] = f"Updated {self.today.isoformat()}"
            means = rec["means_of_contact"]
            means["phone"] = [*means.get("phone", []), f"+372 5{self.rng.randint(100000, 999999)}"]
        elif module == "products":
            rec["price"] = money(rec["price"] * Decimal("1.05"))
        elif module == "projects":
            rec["status"], rec["status_name"] = "completed", "Completed"
            rec["description"] = f"Closed {self.today.isoformat()}"
        else:
            line = self.rng.choice([ln for ln in rec["lines"] if not ln["is_internal"]])
            line["amount"] += 1
            line["sum"], line["_vat_sum"] = _line_sums(line)
            _retotal(module, rec)
        return True

    def _delete(self, module: str, rec: Record) -> bool:
        rec.update(is_deleted=True, deleted_date=self.now, _seen_alive=True)
        return True

    def _add(self, module: str) -> None:
        index = self.co.count(module)
        rec = copy.deepcopy(self.ag.record(module, index))
        rec.update(created_date=self.now, is_deleted=False, deleted_date=None)
        if "date" in rec and module != "projects":
            rec["date"], rec["deadline"] = self.today, self.today + timedelta(days=14)
            rec["status"] = "unpaid"
            if module == "invoices":
                rec.update(paid_sum=ZERO, receivable_sum=_receivable(rec))
            if module == "bills":
                rec.update(_paid_sum=ZERO, dateofpayment=None)
        self._store(module, index, rec, "added")

    # -- receipts and the documents they pay

    def _add_receipt(self, doc_module: str) -> None:
        doc_index = self._pick(doc_module, _open_document)
        if doc_index is None:
            return
        doc = self.co.current(doc_module, doc_index)
        assert doc is not None
        due = _receivable(doc)
        amount = due if self.rng.random() < 0.7 else money(due / 2) or due
        index = self.co.count("receipts")
        group_id = self.ag.id_of("receipts", index)
        row = self.ag.receipt_row(group_id * 10, doc_module, doc, self.today, amount)
        rec = {
            "id": group_id,
            "date": self.today,
            "contact_id": doc["company_id"],
            "sum": amount,
            "currency": doc["currency"],
            "sales_doc_type": row["sales_doc_type"],
            "receipt_account_id": CURRENCY_ACCOUNT[doc["currency"]],
            "modified_date": self.now,
            "is_deleted": False,
            "deleted_date": None,
            "receipts": [row],
            "custom_fields": self.ag.receipt_fields(group_id),
        }
        self._store("receipts", index, rec, "added")
        self._pay(row, amount)

    def _change_receipt(self, module: str, rec: Record) -> bool:
        row = rec["receipts"][0]
        new = money(row["sum"] * Decimal("0.9"))
        delta = new - row["sum"]
        if delta == 0:
            return False
        row["sum"] = new
        rec["sum"] += delta
        self._pay(row, delta)
        return True

    def _delete_receipt(self, module: str, rec: Record) -> bool:
        rec.update(is_deleted=True, deleted_date=self.now, _seen_alive=True)
        for row in rec["receipts"]:
            self._pay(row, -row["sum"])
        return True

    def _pay(self, row: Record, delta: Decimal) -> None:
        """Move ``delta`` into the paid amount of the document a receipt row pays."""
        module = row["sales_doc_type"]
        index = row["invoice_id"] - ID_BASE[module] - 1
        doc = copy.deepcopy(self.co.current(module, index))
        assert doc is not None
        paid = _paid(doc) + delta
        if module == "invoices":
            doc["paid_sum"] = paid
            doc["receivable_sum"] = due = _receivable(doc)
        else:
            doc["_paid_sum"] = paid
            due = _receivable(doc)
            doc["dateofpayment"] = self.today if due == 0 else None
        doc["status"] = "paid" if due == 0 else "unpaid"
        self._store(module, index, doc, "changed")

    # -- what may change without rewriting history

    def _accept(self, module: str, action: str) -> Callable[[Record], bool]:
        if module == "invoices" and action == "changed":
            return lambda doc: not _in_a_credit(doc)
        if module == "invoices" and action == "deleted":
            return lambda doc: (
                not _in_a_credit(doc) and _paid(doc) == 0 and not doc["prepayment_sum"]
            )
        if module == "bills" and action == "deleted":
            return lambda doc: _paid(doc) == 0
        if module == "receipts":
            return self._plain_payment
        return lambda rec: True

    def _plain_payment(self, group: Record) -> bool:
        """A group paying one invoice or bill in its own currency, neither a credit invoice
        nor a credited one (their allocation depends on what was paid before the credit)."""
        if group["sales_doc_type"] not in ("invoices", "bills") or not group["receipts"]:
            return False
        for row in group["receipts"]:
            if row["prepayment_id"] or not row["invoice_id"]:
                return False
            module = row["sales_doc_type"]
            doc = self.co.current(module, row["invoice_id"] - ID_BASE[module] - 1)
            if doc is None or doc["currency"] != group["currency"] or _in_a_credit(doc):
                return False
        return True


def _line_sums(line: Record) -> tuple[Decimal, Decimal]:
    return line_amounts(
        line["price"], line["amount"], line["amount2"], line["discount"], line["vat"]
    )


def _total(doc: Record) -> Decimal:
    return doc["sum"] + doc["vat_sum"]


def _paid(doc: Record) -> Decimal:
    return doc["paid_sum"] if "paid_sum" in doc else doc.get("_paid_sum", ZERO)


def _receivable(doc: Record) -> Decimal:
    """Scoro's receivable (payable for a bill): gross − prepayment set off − cash − credit
    allocated to it, + for a credit invoice the part allocated to the invoice it credits."""
    return (
        _total(doc)
        - doc.get("prepayment_sum", ZERO)
        - _paid(doc)
        - doc.get("_credit_allocated", ZERO)
        + doc.get("_allocation", ZERO)
    )


def _retotal(module: str, doc: Record) -> None:
    counted = [line for line in doc["lines"] if not line["is_internal"]]
    doc["sum"] = sum((line["sum"] for line in counted), ZERO)
    doc["vat_sum"] = sum((line["_vat_sum"] for line in counted), ZERO)
    due = _receivable(doc)
    doc["status"] = "paid" if due == 0 else "unpaid"
    if module == "invoices":
        doc["receivable_sum"] = due


def _in_a_credit(doc: Record) -> bool:
    """A credit invoice, or an invoice a credit invoice credits."""
    return bool(doc.get("credited_invoices")) or doc.get("_credited_by") is not None


def _open_document(doc: Record) -> bool:
    return not doc.get("credited_invoices") and _receivable(doc) > 0
