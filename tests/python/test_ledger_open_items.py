"""The open-item ledger against an oracle computed in Python from the simulator's own records.

The oracle reads the simulator's company (documents and receipt groups as the simulator holds them,
not the warehouse) and applies the wire conventions (coord CONVENTIONS.md, DECISIONLOG.md sections
17-20) in plain Decimal arithmetic: money received, prepayments set off, credit invoices allocated
in date order to what the credited invoice still has open. It shares no code with the dbt models.
The built marts must equal it to the cent: invoices.amountDue, credit_notes.remainingCredit,
bills.balance / currencyBalance (deleted bills: 0 and Void), customers.balance, vendors.balance,
the GL's AR, AP and customer prepayments, and the cost of bills per recognition month.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import duckdb
import pytest

from conftest import REPO, TENANT

CENT = Decimal("0.01")
ZERO = Decimal("0")
BASE = "EUR"
NON_POSTING = {"draft", "void", "cancelled"}


def to_base(amount: Decimal, rate: Decimal) -> Decimal:
    """amount / rate to cents, ties away from zero (what Decimal's ROUND_HALF_UP does)."""
    return (amount / rate).quantize(CENT, rounding=ROUND_HALF_UP)


def _day(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


@dataclass
class Document:
    kind: str  # invoice, credit_invoice, bill, prepayment
    id: int
    currency: str
    rate: Decimal
    total: Decimal
    day: date
    party: int | None
    settled: Decimal = ZERO  # what lowered the open amount (money, set-offs, credits)
    received: Decimal = ZERO  # prepayments: money received
    consumed: Decimal = ZERO  # prepayments: set off by final invoices
    used: Decimal = ZERO  # credit invoices: allocated to invoices
    rows: list[tuple[date, Decimal]] = field(default_factory=list)
    # every settlement leg: (date, order, allocation id, amount, money's base value or None)
    legs: list[tuple[date, int, str, Decimal, Decimal | None]] = field(default_factory=list)

    def leg_bases(self) -> dict[str, Decimal]:
        """Each leg's base amount at the document's rate, cumulative in (date, order, id) order."""
        out, cumulative = {}, ZERO
        for _day, _order, key, amount, _cash in sorted(self.legs, key=lambda leg: leg[:3]):
            before = to_base(cumulative, self.rate)
            cumulative += amount
            out[key] = to_base(cumulative, self.rate) - before
        return out

    @property
    def open(self) -> Decimal:
        if self.kind == "prepayment":
            return self.received - self.consumed
        if self.kind == "credit_invoice":
            return self.total + self.used - self.settled
        return self.total - self.settled

    @property
    def open_base(self) -> Decimal:
        if self.kind == "prepayment":
            return to_base(self.open, self.rate)
        return to_base(self.total, self.rate) - to_base(self.total - self.open, self.rate)


def _records(company: Any, module: str) -> list[dict]:
    out = []
    for index in range(company.count(module)):
        record = company.current(module, index)
        if record is not None:
            out.append(record)
    return out


def _rate(record: dict) -> Decimal:
    currency = (record.get("currency") or BASE).upper()
    rate = record.get("currency_rate")
    if currency == BASE or rate is None or Decimal(rate) <= 0:
        return Decimal(1)
    return Decimal(rate)


def _ids(value: Any) -> list[int]:
    if value is None or value == "":
        return []
    items = value if isinstance(value, list | tuple) else [value]
    return [int(item) for item in items if item not in (None, "", 0, "0")]


@dataclass
class Oracle:
    documents: dict[tuple[str, int], Document]
    deleted_bills: set[int]
    bill_cost_by_month: dict[str, Decimal]
    deferred_revenue: Decimal = ZERO

    def realised_fx(self) -> Decimal:
        """Debit-positive realised exchange difference: money or set-off worth another base amount
        than the documents it settles, at their own rates."""
        total = ZERO
        pairs: dict[str, list[tuple[Document, Decimal]]] = defaultdict(list)
        for doc in self.documents.values():
            bases = doc.leg_bases()
            sign = -1 if doc.kind == "bill" else 1
            for _day, _order, key, _amount, cash in doc.legs:
                if cash is not None:
                    total += sign * (bases[key] - cash)
                elif not key.startswith("receipt_row"):
                    pairs[key].append((doc, bases[key]))
        for legs in pairs.values():
            # the settled leg (+) is credited at its rate, the other (−) debited at its own
            total += sum((base for _doc, base in legs), ZERO)
        return total


def build_oracle(company: Any) -> Oracle:
    documents: dict[tuple[str, int], Document] = {}
    invoices = _records(company, "invoices")
    deleted_bills: set[int] = set()
    for inv in invoices:
        if inv.get("is_deleted") or str(inv.get("status", "")).lower() in NON_POSTING:
            continue
        kind = "credit_invoice" if _ids(inv.get("credited_invoices")) else "invoice"
        documents[(kind, inv["id"])] = Document(
            kind,
            inv["id"],
            (inv.get("currency") or BASE).upper(),
            _rate(inv),
            Decimal(inv["sum"]) + Decimal(inv["vat_sum"]),
            _day(inv["date"]),
            inv.get("company_id") or inv.get("person_id"),
        )
    sales = {doc.id: doc for doc in documents.values()}
    bill_cost: dict[str, Decimal] = defaultdict(Decimal)
    for bill in _records(company, "bills"):
        if bill.get("is_deleted"):
            deleted_bills.add(bill["id"])
            continue
        documents[("bill", bill["id"])] = Document(
            "bill",
            bill["id"],
            (bill.get("currency") or BASE).upper(),
            _rate(bill),
            Decimal(bill["sum"]) + Decimal(bill["vat_sum"]),
            _day(bill["date"]),
            bill.get("company_id") or bill.get("person_id"),
        )
        recognised = bill.get("recognition_date") or bill["date"]
        if not isinstance(recognised, date):
            recognised = bill["date"]
        lines = [line for line in bill.get("lines") or [] if not line.get("is_internal")]
        cost = sum((to_base(Decimal(line["sum"]), _rate(bill)) for line in lines), ZERO)
        header_difference = Decimal(bill["sum"]) - sum(
            (Decimal(line["sum"]) for line in lines), ZERO
        )
        cost += to_base(header_difference, _rate(bill))
        bill_cost[recognised.isoformat()[:7]] += cost
    for pre in _records(company, "prepayments"):
        if pre.get("is_deleted") or str(pre.get("status", "")).lower() in NON_POSTING:
            continue
        documents[("prepayment", pre["id"])] = Document(
            "prepayment",
            pre["id"],
            (pre.get("currency") or BASE).upper(),
            _rate(pre),
            ZERO,
            _day(pre["date"]),
            pre.get("company_id") or pre.get("person_id"),
        )

    # money: receipt rows of live groups on posting documents
    rates = _seed_rates()
    for group in _records(company, "receipts"):
        if group.get("is_deleted"):
            continue
        paying: list[tuple[dict, Document, Decimal, date]] = []
        for row in group.get("receipts") or []:
            amount = Decimal(row["sum"] or 0)
            day = _day(row.get("date") or group["date"])
            doc_type = row.get("sales_doc_type") or group.get("sales_doc_type")
            if _ids(row.get("prepayment_id")):
                doc = documents.get(("prepayment", _ids(row["prepayment_id"])[0]))
            elif doc_type == "bills":
                doc = documents.get(("bill", row["invoice_id"]))
            elif doc_type == "invoices":
                doc = sales.get(row["invoice_id"])
            else:
                continue  # expense claims are not open items
            if doc is not None and amount:
                paying.append((row, doc, amount, day))
        cash = _cash_bases(group, paying, rates)
        for row, doc, amount, day in paying:
            if doc.kind == "prepayment":
                doc.received += amount
            else:
                doc.settled += amount
            doc.rows.append((day, amount))
            key = f"receipt_row-{group['id']}-{row['receipt_id']}"
            doc.legs.append((day, 2, key, amount, cash.get(row["receipt_id"])))

    # prepayment set-offs: the final invoice's prepayment_sum over the prepayments it lists
    finals = sorted(
        (
            inv
            for inv in invoices
            if ("invoice", inv["id"]) in documents and Decimal(inv.get("prepayment_sum") or 0)
        ),
        key=lambda inv: (_day(inv["date"]), inv["id"]),
    )
    for inv in finals:
        final = documents[("invoice", inv["id"])]
        left = Decimal(inv["prepayment_sum"])
        listed = [
            documents[("prepayment", p)]
            for p in _ids(inv.get("prepayment_id"))
            if ("prepayment", p) in documents
        ]
        listed.sort(key=lambda p: (p.day, p.id))
        for k, pre in enumerate(listed):
            held = sum((a for d, a in pre.rows if d <= final.day), ZERO) - pre.consumed
            take = left if k == len(listed) - 1 else min(left, max(held, ZERO))
            pre.consumed += take
            final.settled += take
            left -= take
            key = f"prepayment_setoff-{final.id}-{pre.id}"
            final.legs.append((final.day, 1, key, take, None))
            pre.legs.append((final.day, 1, key, -take, None))

    # credit allocations, in credit date order, each up to what the credited invoice has open then
    credits = sorted(
        (doc for doc in documents.values() if doc.kind == "credit_invoice"),
        key=lambda d: (d.day, d.id),
    )
    by_id = {inv["id"]: inv for inv in invoices}
    for credit in credits:
        left = -credit.total
        for target_id in sorted(_ids(by_id[credit.id].get("credited_invoices"))):
            target = documents.get(("invoice", target_id))
            if target is None or target.currency != credit.currency or left <= 0:
                continue
            later_money = sum((a for d, a in target.rows if d > credit.day), ZERO)
            open_then = target.total - (target.settled - later_money)
            take = min(left, max(open_then, ZERO))
            target.settled += take
            credit.used += take
            left -= take
            if take:
                key = f"credit_allocation-{credit.id}-{target.id}"
                target.legs.append((credit.day, 3, key, take, None))
                credit.legs.append((credit.day, 3, key, -take, None))
    return Oracle(documents, deleted_bills, dict(bill_cost), _deferred_revenue(invoices, documents))


def _seed_rates() -> dict[str, list[tuple[date, Decimal]]]:
    """The shipped rates (seeds/scoro_currency_rates.csv, rows for every tenant), by currency."""
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


def _cash_bases(group: dict, paying: list, rates: dict) -> dict[int, Decimal]:
    """Rows of a group whose money is in another currency than the documents it pays: the money's
    base value per row (the group sum spread pro rata over the rows, cumulative cents)."""
    currency = (group.get("currency") or "").upper()
    doc_currencies = {doc.currency for _row, doc, _a, _d in paying}
    total = sum((amount for _row, _doc, amount, _d in paying), ZERO)
    money = Decimal(group.get("sum") or 0)
    if (
        not currency
        or len(doc_currencies) != 1
        or currency in doc_currencies
        or not total
        or not money
    ):
        return {}
    if currency == BASE:
        money_base = money
    else:
        rate = _rate_on(rates, currency, _day(group["date"]))
        if rate is None:
            return {}
        money_base = to_base(money, rate)
    out, cumulative = {}, ZERO
    for row, _doc, amount, _paid_on in sorted(paying, key=lambda item: item[0]["receipt_id"]):
        before = (money_base * cumulative / total).quantize(CENT, rounding=ROUND_HALF_UP)
        cumulative += amount
        after = (money_base * cumulative / total).quantize(CENT, rounding=ROUND_HALF_UP)
        out[row["receipt_id"]] = after - before
    return out


def _month_end(day: date, months_later: int) -> date:
    month = day.month - 1 + months_later
    year, month = day.year + month // 12, month % 12 + 1
    following = date(year + (month == 12), month % 12 + 1, 1)
    return following - timedelta(days=1)


def _deferred_revenue(invoices: list[dict], documents: dict) -> Decimal:
    """Revenue of invoices with an accounting period not yet recognised today: each line's base
    amount less its equal monthly shares of the month ends passed (cumulative cents)."""
    today, deferred = date.today(), ZERO
    for inv in invoices:
        kind = "credit_invoice" if _ids(inv.get("credited_invoices")) else "invoice"
        start, end = inv.get("accounting_period_from"), inv.get("accounting_period_to")
        if (
            (kind, inv["id"]) not in documents
            or not isinstance(start, date)
            or not isinstance(end, date)
        ):
            continue
        day = _day(inv["date"])
        if (
            start > end
            or (start.replace(day=1) == end.replace(day=1) == day.replace(day=1))
            or day > today
        ):
            continue
        months = (end.year - start.year) * 12 + end.month - start.month + 1
        passed = sum(1 for k in range(months) if _month_end(start, k) <= today)
        rate = _rate(inv)
        lines = [line for line in inv.get("lines") or [] if not line.get("is_internal")]
        amounts = [Decimal(line["sum"]) for line in lines]
        amounts.append(Decimal(inv["sum"]) - sum(amounts, ZERO))
        for amount in amounts:
            base = to_base(amount, rate)
            deferred += base - (base * passed / months).quantize(CENT, rounding=ROUND_HALF_UP)
    return deferred


@pytest.fixture(scope="module")
def oracle(shared_simulator) -> Oracle:
    return build_oracle(shared_simulator.company(TENANT))


@pytest.fixture(scope="module")
def warehouse(built_warehouse: Path):
    connection = duckdb.connect(str(built_warehouse), read_only=True)
    yield connection
    connection.close()


def _rows(connection, sql: str) -> list[tuple]:
    return connection.execute(sql, [TENANT]).fetchall()


def _differences(expected: dict, actual: dict) -> list[str]:
    keys = sorted(set(expected) | set(actual), key=str)
    return [
        f"{k}: expected {expected.get(k)}, built {actual.get(k)}"
        for k in keys
        if expected.get(k, ZERO) != actual.get(k, ZERO)
    ]


def test_invoice_amount_due_matches_the_oracle(oracle: Oracle, warehouse) -> None:
    expected = {d.id: d.open for d in oracle.documents.values() if d.kind == "invoice"}
    actual = dict(
        _rows(
            warehouse,
            'select cast(id as bigint), "amountDue" from accounting.invoices where tenant_id = ?',
        )
    )
    assert expected, "the simulator's company has no invoices"
    assert not _differences(expected, actual)


def test_credit_note_remaining_credit_matches_the_oracle(oracle: Oracle, warehouse) -> None:
    expected = {d.id: -d.open for d in oracle.documents.values() if d.kind == "credit_invoice"}
    actual = dict(
        _rows(
            warehouse,
            'select cast(id as bigint), "remainingCredit" from accounting.credit_notes'
            " where tenant_id = ?",
        )
    )
    assert expected, "the simulator's company has no credit invoices"
    assert not _differences(expected, actual)


def test_bill_balances_match_the_oracle_and_deleted_bills_are_void(
    oracle: Oracle, warehouse
) -> None:
    built = _rows(
        warehouse,
        'select cast(id as bigint), "currencyBalance", balance, status, hg_deleted'
        " from accounting.bills where tenant_id = ?",
    )
    live = {row[0]: (row[1], row[2]) for row in built if not row[4]}
    expected = {d.id: (d.open, d.open_base) for d in oracle.documents.values() if d.kind == "bill"}
    assert not _differences(expected, live)
    deleted = [row for row in built if row[4]]
    assert {row[0] for row in deleted} <= oracle.deleted_bills
    assert all(row[1] == 0 and row[2] == 0 and row[3] == "Void" for row in deleted), deleted


def test_customer_and_vendor_balances_match_the_oracle(oracle: Oracle, warehouse) -> None:
    customers: dict[int, Decimal] = defaultdict(Decimal)
    vendors: dict[int, Decimal] = defaultdict(Decimal)
    for doc in oracle.documents.values():
        if doc.kind in ("invoice", "credit_invoice"):
            customers[doc.party] += doc.open_base
        elif doc.kind == "bill":
            vendors[doc.party] += doc.open_base
    built_customers = dict(
        _rows(
            warehouse,
            "select cast(id as bigint), balance from accounting.customers where tenant_id = ?",
        )
    )
    built_vendors = dict(
        _rows(
            warehouse,
            "select cast(id as bigint), balance from accounting.vendors where tenant_id = ?",
        )
    )
    # customers and vendors keep contacts deleted in Scoro: every party with a balance is listed
    owing_customers = {k for k, v in customers.items() if v}
    owed_vendors = {k for k, v in vendors.items() if v}
    assert owing_customers <= set(built_customers), owing_customers - set(built_customers)
    assert owed_vendors <= set(built_vendors), owed_vendors - set(built_vendors)
    assert not _differences(customers, built_customers)
    assert not _differences(vendors, built_vendors)


def test_ledger_ar_ap_and_prepayment_liability_match_the_oracle(oracle: Oracle, warehouse) -> None:
    balances = dict(
        _rows(
            warehouse,
            """
            select account_id, sum(signed_amount_base)
            from staging.int_scoro__general_ledger
            where
                tenant_id = ?
                and account_id in (
                    'accounts_receivable', 'accounts_payable', 'customer_prepayments'
                )
            group by account_id
            """,
        )
    )
    docs = oracle.documents.values()
    assert balances.get("accounts_receivable", ZERO) == sum(
        (d.open_base for d in docs if d.kind in ("invoice", "credit_invoice")), ZERO
    )
    assert -balances.get("accounts_payable", ZERO) == sum(
        (d.open_base for d in docs if d.kind == "bill"), ZERO
    )
    assert -balances.get("customer_prepayments", ZERO) == sum(
        (d.open_base for d in docs if d.kind == "prepayment"), ZERO
    )
    per_prepayment = dict(
        _rows(
            warehouse,
            """
            select document_id, -sum(signed_amount)
            from staging.int_scoro__general_ledger
            where tenant_id = ? and account_id = 'customer_prepayments'
            group by document_id
            """,
        )
    )
    expected = {d.id: d.open for d in docs if d.kind == "prepayment" and (d.received or d.consumed)}
    assert not _differences(expected, per_prepayment)


def test_bill_cost_lands_in_the_recognition_month(oracle: Oracle, warehouse) -> None:
    built = dict(
        _rows(
            warehouse,
            """
            select strftime(transaction_date, '%Y-%m'), sum(signed_amount_base)
            from staging.int_scoro__general_ledger
            where
                tenant_id = ? and document_type = 'bill'
                and account_classification = 'incomestatement'
                and account_id <> 'fx_rounding'
            group by 1
            """,
        )
    )
    assert oracle.bill_cost_by_month
    assert not _differences(oracle.bill_cost_by_month, built)


def test_realised_fx_and_deferred_revenue_match_the_oracle(oracle: Oracle, warehouse) -> None:
    balances = dict(
        _rows(
            warehouse,
            """
            select account_id, sum(signed_amount_base)
            from staging.int_scoro__general_ledger
            where
                tenant_id = ? and account_id in ('fx_gain_loss', 'deferred_revenue')
                and transaction_date <= current_date
                -- the year-end close moves closed years' results to retained earnings
                and document_type <> 'year_end_close'
            group by account_id
            """,
        )
    )
    assert balances.get("fx_gain_loss", ZERO) == oracle.realised_fx()
    assert -balances.get("deferred_revenue", ZERO) == oracle.deferred_revenue


def test_the_simulator_truth_of_open_items_matches_the_marts_and_the_oracle(
    shared_simulator, oracle: Oracle, warehouse
) -> None:
    """Company.open_items() is the simulator's own statement of what is open on every document
    (its currency): the marts and this file's oracle both agree with it, document by document."""
    truth = shared_simulator.company(TENANT).open_items()
    assert {item["type"] for item in truth} >= {"invoice", "credit_invoice", "bill", "prepayment"}
    expected = {
        (item["type"], item["id"]): Decimal(str(item["open"]))
        for item in truth
        if item["tenant_id"] == TENANT and not item["is_deleted"]
    }
    built: dict[tuple[str, int], Decimal] = {}
    for document_id, due in _rows(
        warehouse,
        'select cast(id as bigint), "amountDue" from accounting.invoices where tenant_id = ?',
    ):
        built[("invoice", document_id)] = due
    for document_id, remaining in _rows(
        warehouse,
        'select cast(id as bigint), "remainingCredit" from accounting.credit_notes'
        " where tenant_id = ?",
    ):
        built[("credit_invoice", document_id)] = -remaining
    for document_id, balance in _rows(
        warehouse,
        'select cast(id as bigint), "currencyBalance" from accounting.bills'
        " where tenant_id = ? and not hg_deleted",
    ):
        built[("bill", document_id)] = balance
    for document_id, held in _rows(
        warehouse,
        """
        select document_id, -sum(signed_amount)
        from staging.int_scoro__general_ledger
        where tenant_id = ? and account_id = 'customer_prepayments'
        group by document_id
        """,
    ):
        built[("prepayment", document_id)] = held
    assert not _differences(expected, built)
    oracle_open = {(d.kind, d.id): d.open for d in oracle.documents.values()}
    assert not _differences(expected, oracle_open)
    # the oracle and the marts also agree with Scoro's receivable_sum on every invoice
    company = shared_simulator.company(TENANT)
    receivable = {
        (
            ("credit_invoice" if _ids(inv.get("credited_invoices")) else "invoice"),
            inv["id"],
        ): Decimal(inv["receivable_sum"])
        for inv in _records(company, "invoices")
        if not inv.get("is_deleted")
    }
    assert not _differences(receivable, {k: v for k, v in oracle_open.items() if k in receivable})
