"""Expected cash-basis income, bank balances and project margins, from the simulator's own records.

The oracle of the issue-12 reports. It reads the simulator's company (its documents, receipt
groups, finance accounts and products as the simulator holds them, never the warehouse) and
applies the rules of DECISIONLOG.md sections 31-33 in plain Decimal arithmetic; it shares no
code with the dbt models. The settlement legs of each document (money, prepayments set off,
credits allocated, in date order) come from ``build_oracle`` of test_ledger_open_items.py, the
open-item oracle, itself computed from the simulator's records.

- A posted document's components: each line's base amount (document currency at its rate,
  rounded per line), all its VAT (per VAT code, plus the header's VAT difference), the header
  difference (or the whole header when it has no lines), and the currency-rounding cents that
  make them add up to the document's total in base currency.
- A settlement leg settles F(c, A(k)) − F(c, A(k−1)) of component c: A the base amount settled
  so far (clamped to [0, total]), F = round(c × A / total, 2), the plug component (largest, then
  line id, account) taking the cents.
- Bank movements: every live receipt row on a posted document or an expense claim, and every
  group's sum beyond its rows, valued as the ledger values money (section 18).
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from test_ledger_open_items import Oracle, build_oracle

from conftest import REPO

CENT = Decimal("0.01")
ZERO = Decimal("0")
BASE = "EUR"
NON_POSTING = {"draft", "void", "cancelled"}
SIDES = {"invoice": 1, "credit_invoice": 1, "bill": -1}


def to_base(amount: Decimal, rate: Decimal) -> Decimal:
    return (amount / rate).quantize(CENT, rounding=ROUND_HALF_UP)


def rounded(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def month(day: date) -> str:
    return day.isoformat()[:7]


def records(company: Any, module: str) -> list[dict]:
    out = []
    for index in range(company.count(module)):
        record = company.current(module, index)
        if record is not None:
            out.append(record)
    return out


def rate_of(record: dict) -> Decimal:
    currency = (record.get("currency") or BASE).upper()
    rate = record.get("currency_rate")
    if currency == BASE or rate is None or Decimal(rate) <= 0:
        return Decimal(1)
    return Decimal(rate)


def ids(value: Any) -> list[int]:
    if value is None or value == "":
        return []
    items = value if isinstance(value, list | tuple) else [value]
    return [int(item) for item in items if item not in (None, "", 0, "0")]


def project(value: Any) -> int | None:
    return int(value) if value not in (None, "") and int(value) > 0 else None


def day_of(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


@dataclass(frozen=True)
class Component:
    line_id: int | None
    account: str
    project: int | None
    base: Decimal
    kind: str  # line, vat, adjustment, rounding

    def order(self) -> tuple:
        """The plug is the first in this order (the SQL's component_rank)."""
        return (
            -abs(self.base),
            self.line_id is None,
            self.line_id or 0,
            self.account,
            self.project is None,
            self.project or 0,
        )


@dataclass
class PostedDocument:
    kind: str
    id: int
    day: date
    rate: Decimal
    total: Decimal  # base currency
    components: list[Component]
    internal_cost: list[tuple[int | None, Decimal]] = field(default_factory=list)

    def settled(self, amount: Decimal) -> dict[Component, Decimal]:
        """F(c, A) of every component once ``amount`` (base) of the document is settled."""
        total = self.total
        if total > 0:
            applied = min(max(amount, ZERO), total)
        elif total < 0:
            applied = max(min(amount, ZERO), total)
        else:
            applied = ZERO
        plug = min(self.components, key=Component.order) if self.components else None
        out = {
            c: (rounded(c.base * applied / total) if total else ZERO)
            for c in self.components
            if c is not plug
        }
        if plug is not None:
            out[plug] = applied - sum(out.values(), ZERO)
        return out


class LineAccounts:
    """The ledger's account of a line: its finance account, else its product's, else the default."""

    def __init__(self, company: Any) -> None:
        self.finance_accounts = {fa["id"] for fa in records(company, "financeAccounts")}
        self.products = {p["product_id"]: p for p in records(company, "products")}

    def __call__(self, line: dict, product_column: str, default: str) -> str:
        if line.get("finance_account_id") in self.finance_accounts:
            return str(line["finance_account_id"])
        product = self.products.get(line.get("product_id"))
        if product and product.get(product_column) in self.finance_accounts:
            return str(product[product_column])
        return default


def posted_document(kind: str, doc: dict, accounts: LineAccounts) -> PostedDocument:
    sale = kind != "bill"
    rate = rate_of(doc)
    doc_project = project(doc.get("project_id"))
    lines = [line for line in doc.get("lines") or [] if not line.get("is_internal")]
    net, vat = Decimal(doc["sum"]), Decimal(doc["vat_sum"])
    components: list[Component] = []
    vat_base = ZERO
    if lines:
        vat_by_code: dict[Any, Decimal] = defaultdict(Decimal)
        for line in lines:
            amount = Decimal(line["sum"])
            account = accounts(
                line,
                "sales_finance_account_id" if sale else "purchases_finance_account_id",
                "sales_default" if sale else "purchases_default",
            )
            line_project = project(line.get("project_id")) or doc_project
            components.append(
                Component(line["id"], account, line_project, to_base(amount, rate), "line")
            )
            vat_by_code[line.get("vat_code_id")] += rounded(
                amount * Decimal(line.get("vat") or 0) / 100
            )
        vat_base = sum((to_base(v, rate) for v in vat_by_code.values()), ZERO)
        vat_base += to_base(vat - sum(vat_by_code.values(), ZERO), rate)
        adjustment = to_base(net - sum((Decimal(line["sum"]) for line in lines), ZERO), rate)
        adjustment_account = "sales_discounts" if sale else "purchase_discounts"
    else:
        vat_base = to_base(vat, rate)
        adjustment = to_base(net, rate)
        adjustment_account = "sales_default" if sale else "purchases_default"
    components.append(
        Component(None, "vat_output" if sale else "vat_input", doc_project, vat_base, "vat")
    )
    components.append(Component(None, adjustment_account, doc_project, adjustment, "adjustment"))
    total = to_base(net + vat, rate)
    rounding = total - sum((c.base for c in components), ZERO)
    components.append(Component(None, "fx_rounding", doc_project, rounding, "rounding"))
    internal = [
        (
            project(line.get("project_id")) or doc_project,
            to_base(Decimal(line["cost"] if line.get("cost") is not None else line["sum"]), rate),
        )
        for line in doc.get("lines") or []
        if line.get("is_internal")
    ]
    return PostedDocument(
        kind,
        doc["id"],
        day_of(doc["date"]),
        rate,
        total,
        [c for c in components if c.base != 0],
        internal,
    )


@dataclass
class Share:
    day: date
    document: PostedDocument
    component: Component
    amount: Decimal  # in the sign of the document's open item


@dataclass
class ReportOracle:
    ledger: Oracle
    documents: dict[tuple[str, int], PostedDocument]
    bank_movements: list[tuple[date, str, Decimal]]  # (day, ledger bank account, debit-positive)

    def shares(self) -> Iterator[Share]:
        """Every settlement leg's share of every component of the document it settles."""
        for key, doc in self.documents.items():
            ledger_doc = self.ledger.documents[key]
            bases = ledger_doc.leg_bases()
            settled_before = ZERO
            before = doc.settled(ZERO)
            for leg_day, _order, leg_key, _amount, _cash in sorted(
                ledger_doc.legs, key=lambda leg: leg[:3]
            ):
                settled_before += bases[leg_key]
                after = doc.settled(settled_before)
                for component in doc.components:
                    share = after[component] - before[component]
                    if share:
                        yield Share(leg_day, doc, component, share)
                before = after

    def cash_basis_income(self) -> dict[str, Decimal]:
        """Per month: the settled part of invoices' and credit invoices' lines and header
        differences (their income), credit-positive."""
        out: dict[str, Decimal] = defaultdict(Decimal)
        for share in self.shares():
            if share.document.kind != "bill" and share.component.kind in ("line", "adjustment"):
                out[month(share.day)] += share.amount
        return dict(out)

    def cash_basis_income_by_account(self) -> dict[str, Decimal]:
        out: dict[str, Decimal] = defaultdict(Decimal)
        for share in self.shares():
            if share.document.kind != "bill" and share.component.kind in ("line", "adjustment"):
                out[share.component.account] += share.amount
        return dict(out)

    def accrual_income_by_account(self) -> dict[str, Decimal]:
        """Invoices' and credit invoices' lines and header differences over all time."""
        out: dict[str, Decimal] = defaultdict(Decimal)
        for doc in self.documents.values():
            if doc.kind != "bill":
                for c in doc.components:
                    if c.kind in ("line", "adjustment"):
                        out[c.account] += c.base
        return dict(out)

    def bank_closing_balances(self) -> dict[tuple[str, str], Decimal]:
        """(ledger bank account, month) → balance at the month's end, for every month from the
        account's first movement to the last movement of the company."""
        by_month: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
        for day, bank, amount in self.bank_movements:
            by_month[(bank, month(day))] += amount
        months = sorted({m for _b, m in by_month})
        out = {}
        for bank in sorted({b for b, _m in by_month}):
            balance, started = ZERO, False
            for m in _month_range(months[0], months[-1]):
                started = started or (bank, m) in by_month
                balance += by_month.get((bank, m), ZERO)
                if started:
                    out[(bank, m)] = balance
        return out

    def bank_movements_by_month(self) -> dict[tuple[str, str], Decimal]:
        out: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
        for day, bank, amount in self.bank_movements:
            out[(bank, month(day))] += amount
        return dict(out)

    def project_margins(self) -> dict[tuple[int, str], tuple[Decimal, Decimal]]:
        """(project, basis) → (revenue, cost) over all time. Revenue: the non-VAT components of
        invoices and credit invoices with the project; cost: those of bills, plus internal
        lines' cost (both bases)."""
        out: dict[tuple[int, str], list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])
        for doc in self.documents.values():
            for c in doc.components:
                if c.kind != "vat" and c.project is not None:
                    slot = 0 if doc.kind != "bill" else 1
                    out[(c.project, "accrual")][slot] += c.base
            for internal_project, cost in doc.internal_cost:
                if internal_project is not None:
                    out[(internal_project, "accrual")][1] += cost
                    out[(internal_project, "cash")][1] += cost
        for share in self.shares():
            c = share.component
            if c.kind != "vat" and c.project is not None:
                slot = 0 if share.document.kind != "bill" else 1
                out[(c.project, "cash")][slot] += share.amount
        return {key: (value[0], value[1]) for key, value in out.items()}


def _month_range(first: str, last: str) -> Iterator[str]:
    year, mon = int(first[:4]), int(first[5:7])
    while f"{year:04d}-{mon:02d}" <= last:
        yield f"{year:04d}-{mon:02d}"
        year, mon = (year + 1, 1) if mon == 12 else (year, mon + 1)


def _seed_rates() -> dict[str, list[tuple[date, Decimal]]]:
    rates: dict[str, list[tuple[date, Decimal]]] = defaultdict(list)
    with (REPO / "seeds" / "scoro_currency_rates.csv").open() as handle:
        for row in csv.DictReader(handle):
            if not row["tenant_id"]:
                rates[row["currency"].upper()].append(
                    (date.fromisoformat(row["rate_date"]), Decimal(row["rate"]))
                )
    return {currency: sorted(values) for currency, values in rates.items()}


def _rate_on(rates: dict, currency: str, day: date) -> Decimal | None:
    known = [rate for start, rate in rates.get(currency, []) if start <= day]
    return known[-1] if known else None


def _bank_movements(company: Any, ledger: Oracle) -> list[tuple[date, str, Decimal]]:
    """Money in (+) and out (−) of each ledger bank account, valued as the ledger values it."""
    receipt_accounts = {ra["id"] for ra in records(company, "receiptAccounts")}
    rates = _seed_rates()
    moves: list[tuple[date, str, Decimal]] = []
    leg_bases = {key: doc.leg_bases() for key, doc in ledger.documents.items()}
    cash_of: dict[str, tuple[tuple[str, int], Decimal | None]] = {}
    for key, doc in ledger.documents.items():
        for _day, _order, leg_key, _amount, cash in doc.legs:
            if leg_key.startswith("receipt_row-"):
                cash_of[leg_key] = (key, cash)
    claims: dict[int, list[tuple[date, str, Decimal, Decimal, str]]] = defaultdict(list)
    for group in records(company, "receipts"):
        if group.get("is_deleted"):
            continue
        bank = (
            f"bank_{group['receipt_account_id']}"
            if group.get("receipt_account_id") in receipt_accounts
            else "bank_default"
        )
        currency = (group.get("currency") or "").upper() or None
        rows = [row for row in group.get("receipts") or [] if not row.get("is_deleted")]
        paying_currencies: set[str] = set()
        paying_total = ZERO
        for row in rows:
            amount = Decimal(row["sum"] or 0)
            day = day_of(row.get("date") or group["date"])
            leg_key = f"receipt_row-{group['id']}-{row['receipt_id']}"
            doc_type = row.get("sales_doc_type") or group.get("sales_doc_type")
            if leg_key in cash_of:
                doc_key, cash = cash_of[leg_key]
                sign = -1 if doc_key[0] == "bill" else 1
                base = cash if cash is not None else leg_bases[doc_key][leg_key]
                moves.append((day, bank, sign * base))
                paying_currencies.add(ledger.documents[doc_key].currency)
                paying_total += amount
            elif doc_type == "expenses" and not ids(row.get("prepayment_id")) and amount:
                claim_currency = currency or BASE
                claims[int(row["invoice_id"])].append(
                    (day, leg_key, amount, _claim_rate(rates, claim_currency, day), bank)
                )
                paying_currencies.add(claim_currency)
                paying_total += amount
        group_sum = Decimal(group.get("sum") or 0)
        cross = (
            len(paying_currencies) == 1
            and currency is not None
            and currency not in paying_currencies
            and paying_total != 0
            and group_sum != 0
        )
        live_total = sum((Decimal(row["sum"] or 0) for row in rows), ZERO)
        if len(paying_currencies) <= 1 and not cross and group_sum != live_total:
            money_currency = currency or next(iter(paying_currencies), BASE)
            rate = (
                Decimal(1)
                if money_currency == BASE
                else _rate_on(rates, money_currency, day_of(group["date"]))
            )
            sign = -1 if group.get("sales_doc_type") in ("bills", "expenses") else 1
            moves.append(
                (
                    day_of(group["date"]),
                    bank,
                    sign * to_base(group_sum - live_total, rate or Decimal(1)),
                )
            )
    for rows in claims.values():
        cumulative = ZERO
        for day, _key, amount, rate, bank in sorted(rows, key=lambda r: (r[0], r[1])):
            before = to_base(cumulative, rate)
            cumulative += amount
            moves.append((day, bank, -(to_base(cumulative, rate) - before)))
    return moves


def _claim_rate(rates: dict, currency: str, day: date) -> Decimal:
    if currency == BASE:
        return Decimal(1)
    return _rate_on(rates, currency, day) or Decimal(1)


def build_report_oracle(company: Any) -> ReportOracle:
    ledger = build_oracle(company)
    accounts = LineAccounts(company)
    documents: dict[tuple[str, int], PostedDocument] = {}
    for inv in records(company, "invoices"):
        if inv.get("is_deleted") or str(inv.get("status", "")).lower() in NON_POSTING:
            continue
        kind = "credit_invoice" if ids(inv.get("credited_invoices")) else "invoice"
        documents[(kind, inv["id"])] = posted_document(kind, inv, accounts)
    for bill in records(company, "bills"):
        if bill.get("is_deleted") or str(bill.get("status", "")).lower() in NON_POSTING:
            continue
        documents[("bill", bill["id"])] = posted_document("bill", bill, accounts)
    return ReportOracle(ledger, documents, _bank_movements(company, ledger))
