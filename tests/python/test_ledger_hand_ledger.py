"""A small company whose ledger was computed by hand, built from raw tables written here.

The raw tables (schema scoro_raw, every column the sources YAML declares) hold the cases the
open-item ledger must get right: unallocated cash, an invoice in USD paid in EUR at another rate, a
credit invoice on a partly paid invoice and one on an unpaid invoice, a prepayment consumed by its
final invoice and one not yet consumed, revenue over an accounting period, a line with amount2 and
an internal line, a bill recognised in the next month, a USD bill paid in EUR, a deleted bill and an
expense receipt. `dbt build` runs on it with the as-of date 2025-03-31 (its models and data tests;
dbt's unit tests run in the session's shared build); every figure below is worked out in the
comments from the documents, not from the SQL.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
import yaml

from conftest import REPO, built_once, dbt_results, run_dbt

TENANT = "hand-agency"
AS_OF = "2025-03-31"
SYNCED = datetime(2025, 4, 1, 12, 0, tzinfo=UTC)
D = Decimal

RAW_TYPES = {
    "text": "varchar",
    "bigint": "bigint",
    "decimal(38, 9)": "decimal(38, 9)",
    "boolean": "boolean",
    "date": "date",
    "timestamp with time zone": "timestamptz",
}


def _declared_columns() -> dict[str, list[tuple[str, str]]]:
    sources = yaml.safe_load((REPO / "models/staging/scoro/_scoro__sources.yml").read_text())
    return {
        table["name"]: [(c["name"], RAW_TYPES[c["data_type"]]) for c in table["columns"]]
        for table in sources["sources"][0]["tables"]
    }


def _line(doc_key: str, doc_id: int, line_id: int, **values) -> dict:
    return {
        doc_key: doc_id,
        "id": line_id,
        "amount": 1,
        "discount": 0,
        "is_internal": False,
        **values,
    }


def _document(doc_id: int, day: str, due: str, net: str, vat: str, **values) -> dict:
    return {
        "id": doc_id,
        "no": str(doc_id),
        "date": day,
        "deadline": due,
        "sum": D(net),
        "vat_sum": D(vat),
        "currency": "EUR",
        "currency_rate": D(1),
        "status": "unpaid",
        "is_deleted": False,
        **values,
    }


def _receipt(
    group_id: int, day: str, total: str, doc_type: str, rows: list[dict], **values
) -> tuple:
    group = {
        "id": group_id,
        "date": day,
        "sum": D(total),
        "currency": "EUR",
        "sales_doc_type": doc_type,
        "receipt_account_id": 1,
        "is_deleted": False,
        **values,
    }
    out = [
        {
            "receipt_group_id": group_id,
            "receipt_id": group_id * 10 + k,
            "date": day,
            "sales_doc_type": doc_type,
            **row,
        }
        for k, row in enumerate(rows)
    ]
    return group, out


def hand_company() -> dict[str, list[dict]]:
    usd_customer, acme, beta, supplier, us_vendor, employee = 501, 500, 502, 600, 601, 900
    tables: dict[str, list[dict]] = {
        name: []
        for name in (
            "contacts",
            "vat_codes",
            "finance_accounts",
            "receipt_accounts",
            "invoices",
            "invoice_lines",
            "invoice_credited_invoices",
            "prepayments",
            "bills",
            "bill_lines",
            "receipts",
            "receipt_rows",
        )
    }
    tables["contacts"] = [
        {
            "contact_id": acme,
            "name": "Acme",
            "search_name": "Acme",
            "contact_type": "company",
            "is_client": True,
        },
        {
            "contact_id": usd_customer,
            "name": "US Client",
            "search_name": "US Client",
            "contact_type": "company",
            "is_client": True,
        },
        {
            "contact_id": beta,
            "name": "Beta",
            "search_name": "Beta",
            "contact_type": "company",
            "is_client": True,
        },
        {
            "contact_id": supplier,
            "name": "Supplier",
            "search_name": "Supplier",
            "contact_type": "company",
            "is_supplier": True,
        },
        {
            "contact_id": us_vendor,
            "name": "US Vendor",
            "search_name": "US Vendor",
            "contact_type": "company",
            "is_supplier": True,
        },
        {
            "contact_id": employee,
            "name": "Mari",
            "lastname": "Tamm",
            "search_name": "Mari Tamm",
            "contact_type": "person",
        },
    ]
    for contact in tables["contacts"]:
        contact.setdefault("is_client", False)
        contact.setdefault("is_supplier", False)
        contact["is_deleted"] = False
    tables["vat_codes"] = [
        {
            "vat_code_id": 1,
            "vat_code": "VAT20",
            "percent": D(20),
            "is_sales": True,
            "is_purchases": False,
        },
        {
            "vat_code_id": 2,
            "vat_code": "VAT24",
            "percent": D(24),
            "is_sales": True,
            "is_purchases": False,
        },
        {
            "vat_code_id": 6,
            "vat_code": "EX0",
            "percent": D(0),
            "is_sales": True,
            "is_purchases": False,
        },
        {
            "vat_code_id": 7,
            "vat_code": "IN20",
            "percent": D(20),
            "is_sales": False,
            "is_purchases": True,
        },
        {
            "vat_code_id": 10,
            "vat_code": "NA",
            "percent": D(0),
            "is_sales": False,
            "is_purchases": True,
        },
    ]
    tables["finance_accounts"] = [
        {
            "id": 10,
            "account_symbol": "3000",
            "name": "Services revenue",
            "is_sales_account": True,
            "is_purchases_account": False,
        },
        {
            "id": 21,
            "account_symbol": "4000",
            "name": "Subcontracting",
            "is_sales_account": False,
            "is_purchases_account": True,
        },
        {
            "id": 22,
            "account_symbol": "4100",
            "name": "Media purchases",
            "is_sales_account": False,
            "is_purchases_account": True,
        },
        {
            "id": 33,
            "account_symbol": "5200",
            "name": "Travel",
            "is_sales_account": False,
            "is_purchases_account": True,
        },
    ]
    tables["receipt_accounts"] = [{"id": 1, "name": "Bank EUR", "type": "bank"}]
    for table in ("vat_codes", "finance_accounts", "receipt_accounts"):
        for row in tables[table]:
            row["is_deleted"] = False

    inv, lines, credited = (
        tables["invoices"],
        tables["invoice_lines"],
        tables["invoice_credited_invoices"],
    )
    # 1: 1000 + 200, paid 1200 by group 10 of 1500: 300 unallocated cash. Open 0.
    inv.append(
        _document(
            1,
            "2025-01-10",
            "2025-01-24",
            "1000",
            "200",
            company_id=acme,
            receivable_sum=D(0),
            status="paid",
        )
    )
    lines.append(
        _line(
            "invoice_id",
            1,
            11,
            price=D(1000),
            sum=D(1000),
            vat=D(20),
            vat_code_id=1,
            finance_account_id=10,
        )
    )
    # 2: USD 1100 at 1.1 (1000.00 EUR), paid by a EUR group of 980.00: realised loss 20.00. Open 0.
    inv.append(
        _document(
            2,
            "2025-01-15",
            "2025-01-29",
            "1100",
            "0",
            company_id=usd_customer,
            currency="USD",
            currency_rate=D("1.1"),
            receivable_sum=D(0),
            status="paid",
        )
    )
    lines.append(
        _line(
            "invoice_id",
            2,
            21,
            price=D(1100),
            sum=D(1100),
            vat=D(0),
            vat_code_id=6,
            finance_account_id=10,
        )
    )
    # 4: 500 + 100, 400 received 10 Feb; credit invoice 3 (−300, 20 Feb) takes the 200 open;
    # the other 100 is refunded 25 Feb.
    inv.append(
        _document(
            4,
            "2025-02-01",
            "2025-02-15",
            "500",
            "100",
            company_id=acme,
            receivable_sum=D(0),
            status="paid",
        )
    )
    lines.append(
        _line(
            "invoice_id",
            4,
            41,
            price=D(500),
            sum=D(500),
            vat=D(20),
            vat_code_id=1,
            finance_account_id=10,
        )
    )
    inv.append(
        _document(
            3, "2025-02-20", "2025-02-20", "-250", "-50", company_id=acme, receivable_sum=D(0)
        )
    )
    lines.append(
        _line(
            "invoice_id",
            3,
            31,
            price=D(250),
            amount=-1,
            sum=D(-250),
            vat=D(20),
            vat_code_id=1,
            finance_account_id=10,
        )
    )
    credited.append({"invoice_id": 3, "credited_invoice_id": 4})
    # 6: 1000 + 200 unpaid, credit invoice 7 (−120, 5 March) on it: open 1080, credit 7 used up.
    inv.append(
        _document(
            6, "2025-03-01", "2025-03-15", "1000", "200", company_id=acme, receivable_sum=D(1080)
        )
    )
    lines.append(
        _line(
            "invoice_id",
            6,
            61,
            price=D(1000),
            sum=D(1000),
            vat=D(20),
            vat_code_id=1,
            finance_account_id=10,
        )
    )
    inv.append(
        _document(
            7, "2025-03-05", "2025-03-05", "-100", "-20", company_id=acme, receivable_sum=D(0)
        )
    )
    lines.append(
        _line(
            "invoice_id",
            7,
            71,
            price=D(100),
            amount=-1,
            sum=D(-100),
            vat=D(20),
            vat_code_id=1,
            finance_account_id=10,
        )
    )
    credited.append({"invoice_id": 7, "credited_invoice_id": 6})
    # 5: final invoice 2000 + 480 consuming prepayment 9 (1240 received):
    # open 2480 − 1240 − 240 paid = 1000.
    inv.append(
        _document(
            5,
            "2025-03-10",
            "2025-03-24",
            "2000",
            "480",
            company_id=beta,
            prepayment_id="[9]",
            prepayment_sum=D(1240),
            receivable_sum=D(1000),
        )
    )
    lines.append(
        _line(
            "invoice_id",
            5,
            51,
            price=D(2000),
            sum=D(2000),
            vat=D(24),
            vat_code_id=2,
            finance_account_id=10,
        )
    )
    # 10: 300 + 60 for February to April, dated 31 January: 100 of revenue a month;
    # 100 still deferred at 31 March.
    inv.append(
        _document(
            10,
            "2025-01-31",
            "2025-02-14",
            "300",
            "60",
            company_id=beta,
            receivable_sum=D(360),
            accounting_period_from="2025-02-01",
            accounting_period_to="2025-04-30",
        )
    )
    lines.append(
        _line(
            "invoice_id",
            10,
            101,
            price=D(300),
            sum=D(300),
            vat=D(20),
            vat_code_id=1,
            finance_account_id=10,
        )
    )
    # 11: 50 × 3 people × 2 days = 300 (amount2) + 20%; an internal line of 80 is not part of it.
    # Open 360.
    inv.append(
        _document(
            11, "2025-03-25", "2025-04-08", "300", "60", company_id=acme, receivable_sum=D(360)
        )
    )
    lines.append(
        _line(
            "invoice_id",
            11,
            111,
            price=D(50),
            amount=3,
            amount2=2,
            sum=D(300),
            vat=D(20),
            vat_code_id=1,
            finance_account_id=10,
            finance_object_id=4,
            finance_object_name="Studio",
        )
    )
    lines.append(
        _line(
            "invoice_id",
            11,
            112,
            price=D(80),
            sum=D(80),
            vat=D(20),
            vat_code_id=1,
            finance_account_id=10,
            is_internal=True,
        )
    )

    # prepayments: 9 (1000 + 240) fully received and consumed by invoice 5;
    # 8 (500 + 120) half received: 310 held.
    tables["prepayments"] = [
        _document(
            9,
            "2025-01-05",
            "2025-01-12",
            "1000",
            "240",
            company_id=beta,
            vat_code_id=2,
            status="paid",
        ),
        _document(8, "2025-03-01", "2025-03-08", "500", "120", company_id=beta, vat_code_id=2),
    ]

    bills, bill_lines = tables["bills"], tables["bill_lines"]
    # 20: 400 + 80, dated 31 January, recognised 15 February: February's cost. Unpaid: AP 480.
    bills.append(
        _document(
            20,
            "2025-01-31",
            "2025-02-14",
            "400",
            "80",
            company_id=supplier,
            recognition_date="2025-02-15",
        )
    )
    bill_lines.append(
        _line(
            "bill_id",
            20,
            201,
            price=D(400),
            sum=D(400),
            vat=D(20),
            vat_code_id=7,
            finance_account_id=21,
        )
    )
    # 21: USD 525 at 1.05 (500.00 EUR), paid by a EUR group of 490.00: realised gain 10.00. AP 0.
    bills.append(
        _document(
            21,
            "2025-02-01",
            "2025-02-15",
            "525",
            "0",
            company_id=us_vendor,
            currency="USD",
            currency_rate=D("1.05"),
            recognition_date="2025-02-01",
            status="paid",
        )
    )
    bill_lines.append(
        _line(
            "bill_id",
            21,
            211,
            price=D(525),
            sum=D(525),
            vat=D(0),
            vat_code_id=10,
            finance_account_id=22,
        )
    )
    # 22: deleted: Void, balance 0, posts nothing.
    bills.append(
        _document(
            22,
            "2025-02-05",
            "2025-02-19",
            "100",
            "20",
            company_id=supplier,
            is_deleted=True,
            deleted_date="2025-02-06T10:00:00+00:00",
            recognition_date="2025-02-05",
        )
    )
    # 23: 200 travel, 31 March, unpaid: AP 200.
    bills.append(
        _document(
            23,
            "2025-03-31",
            "2025-04-14",
            "200",
            "0",
            company_id=supplier,
            recognition_date="2025-03-31",
        )
    )
    bill_lines.append(
        _line(
            "bill_id",
            23,
            231,
            price=D(200),
            sum=D(200),
            vat=D(0),
            vat_code_id=10,
            finance_account_id=33,
        )
    )

    receipts = [
        _receipt(
            10,
            "2025-01-20",
            "1500",
            "invoices",
            [{"invoice_id": 1, "sum": D(1200)}],
            contact_id=acme,
        ),
        _receipt(
            11,
            "2025-02-10",
            "980",
            "invoices",
            [{"invoice_id": 2, "sum": D(1100)}],
            contact_id=usd_customer,
        ),
        _receipt(
            12, "2025-02-10", "400", "invoices", [{"invoice_id": 4, "sum": D(400)}], contact_id=acme
        ),
        _receipt(
            13,
            "2025-02-25",
            "-100",
            "invoices",
            [{"invoice_id": 3, "sum": D(-100)}],
            contact_id=acme,
        ),
        _receipt(
            14,
            "2025-01-08",
            "1240",
            "invoices",
            [{"invoice_id": 0, "prepayment_id": 9, "sum": D(1240)}],
            contact_id=beta,
        ),
        _receipt(
            15,
            "2025-03-02",
            "310",
            "invoices",
            [{"invoice_id": 0, "prepayment_id": 8, "sum": D(310)}],
            contact_id=beta,
        ),
        _receipt(
            16, "2025-03-20", "240", "invoices", [{"invoice_id": 5, "sum": D(240)}], contact_id=beta
        ),
        _receipt(
            30,
            "2025-02-20",
            "490",
            "bills",
            [{"invoice_id": 21, "sum": D(525)}],
            contact_id=us_vendor,
        ),
        _receipt(
            40,
            "2025-03-15",
            "45.50",
            "expenses",
            [
                {
                    "invoice_id": 77,
                    "sum": D("45.50"),
                    "contact_id": employee,
                    "contact_name": "Mari Tamm",
                }
            ],
            contact_id=employee,
        ),
    ]
    for group, rows in receipts:
        tables["receipts"].append(group)
        tables["receipt_rows"].extend(rows)
    return tables


def write_raw(path: Path, tables: dict[str, list[dict]]) -> None:
    declared = _declared_columns()
    connection = duckdb.connect(str(path))
    connection.execute("create schema if not exists scoro_raw")
    for table, rows in tables.items():
        columns = declared[table]
        names = {name for name, _ in columns}
        connection.execute(
            f"create table scoro_raw.{table} ({', '.join(f'{n} {t}' for n, t in columns)})"
        )
        for row in rows:
            values = {"tenant_id": TENANT, "_scoro_synced_at": SYNCED, **row}
            unknown = set(values) - names
            assert not unknown, f"{table}: columns not declared in the sources YAML: {unknown}"
            keys = list(values)
            connection.execute(
                f"insert into scoro_raw.{table} ({', '.join(keys)})"
                f" values ({', '.join('?' for _ in keys)})",
                [values[k] for k in keys],
            )
    connection.close()


@pytest.fixture(scope="module")
def hand_ledger(tmp_path_factory: pytest.TempPathFactory) -> duckdb.DuckDBPyConnection:
    """The hand company's raw tables, `dbt build` green on them (once per run, whichever worker
    asks first: conftest.built_once), opened read-only."""

    def build(workdir: Path) -> None:
        path = workdir / "hand.duckdb"
        write_raw(path, hand_company())
        target = workdir / "target"
        # dbt's unit tests check the models on their own fixture rows, whatever company the
        # file holds: the session's shared `dbt build` (conftest.dbt_build) runs them
        as_of = f"{{scoro_as_of_date: '{AS_OF}'}}"
        completed = run_dbt(
            ["build", "--vars", as_of, "--exclude", "resource_type:unit_test"], path, target
        )
        failures = [
            f"{r['unique_id']}: {r['status']} {r.get('message') or ''}"
            for r in dbt_results(target)
            if r["status"] in ("error", "fail")
        ]
        assert completed.returncode == 0 and not failures, (
            "\n".join(failures) + completed.stdout[-3000:]
        )

    path = built_once(tmp_path_factory, "hand-ledger", build) / "hand.duckdb"
    connection = duckdb.connect(str(path), read_only=True)
    yield connection
    connection.close()


def _one(connection, sql: str):
    return connection.execute(sql, [TENANT]).fetchone()[0]


def _map(connection, sql: str) -> dict:
    return dict(connection.execute(sql, [TENANT]).fetchall())


def _balance(connection, account: str) -> Decimal:
    return _one(
        connection,
        f"""select coalesce(sum(signed_amount_base), 0) from staging.int_scoro__general_ledger
        where tenant_id = ? and account_id = '{account}' and transaction_date <= date '{AS_OF}'""",
    )


def test_amount_due_and_remaining_credit_of_every_document(hand_ledger) -> None:
    due = _map(
        hand_ledger,
        'select cast(id as bigint), "amountDue" from accounting.invoices where tenant_id = ?',
    )
    assert due == {1: 0, 2: 0, 4: 0, 5: 1000, 6: 1080, 10: 360, 11: 360}
    credit = _map(
        hand_ledger,
        'select cast(id as bigint), "remainingCredit" from accounting.credit_notes'
        " where tenant_id = ?",
    )
    assert credit == {3: 0, 7: 0}
    # amountDue equals Scoro's receivable_sum on every invoice and credit invoice
    receivable = _map(
        hand_ledger,
        "select id, receivable_sum from staging.stg_scoro__invoices where tenant_id = ?",
    )
    assert {k: v for k, v in receivable.items() if k in due} == due


def test_ar_ap_and_prepayment_liability_at_the_as_of_date(hand_ledger) -> None:
    # AR: 1000 (invoice 5) + 1080 (6) + 360 (10) + 360 (11); AP: 480 (bill 20) + 200 (bill 23)
    assert _balance(hand_ledger, "accounts_receivable") == D("2800.00")
    assert -_balance(hand_ledger, "accounts_payable") == D("680.00")
    # prepayment 9: 1240 received, 1240 set off; prepayment 8: 310 held
    assert -_balance(hand_ledger, "customer_prepayments") == D("310.00")
    # the 60.00 of VAT the 310 contains (310 × 120 / 620) is declared; prepayment 9's was released
    assert _balance(hand_ledger, "prepayment_vat") == D("60.00")
    assert -_balance(hand_ledger, "unallocated_receipts") == D("300.00")
    ageing = _map(
        hand_ledger,
        "select cast(document_id as bigint), ageing_bucket from accounting.ar_ageing"
        " where tenant_id = ?",
    )
    assert ageing == {5: "1-30", 6: "1-30", 10: "31-60", 11: "current"}
    assert _map(
        hand_ledger,
        "select cast(document_id as bigint), amount_due from accounting.ap_ageing"
        " where tenant_id = ?",
    ) == {
        20: 480,
        23: 200,
    }


def test_balances_of_customers_vendors_and_bills(hand_ledger) -> None:
    customers = _map(
        hand_ledger,
        "select cast(id as bigint), balance from accounting.customers where tenant_id = ?",
    )
    assert customers == {500: D("1440.00"), 501: 0, 502: D("1360.00")}
    bills = hand_ledger.execute(
        'select cast(id as bigint), balance, "currencyBalance", status from accounting.bills'
        " where tenant_id = ? order by 1",
        [TENANT],
    ).fetchall()
    assert bills == [
        (20, D("480.00"), 480, "Submitted"),
        (21, 0, 0, "Paid"),
        (22, 0, 0, "Void"),
        (23, D("200.00"), 200, "Submitted"),
    ]
    vendors = _map(
        hand_ledger,
        "select cast(id as bigint), balance from accounting.vendors where tenant_id = ?",
    )
    assert vendors == {600: D("680.00"), 601: 0}


def test_fx_deferred_revenue_and_monthly_expense(hand_ledger) -> None:
    # realised: invoice 2 loss 20.00, bill 21 gain 10.00
    assert _balance(hand_ledger, "fx_gain_loss") == D("10.00")
    # unrealised: invoice 2 at 31 January (1100 / 1.0393 = 1058.40 − 1000.00 = 58.40 gain),
    # reversed 1 February
    revalued = _one(
        hand_ledger,
        """select -sum(signed_amount_base) from staging.int_scoro__general_ledger
        where tenant_id = ? and account_id = 'fx_unrealised_gain_loss'
        and transaction_date = date '2025-01-31'""",
    )
    assert revalued == D("58.40")
    assert _balance(hand_ledger, "fx_unrealised_gain_loss") == 0
    # invoice 10: April's 100 is still deferred
    assert -_balance(hand_ledger, "deferred_revenue") == D("100.00")
    expense = _map(
        hand_ledger,
        """select strftime(period_month, '%Y-%m'), sum(amount_base)
        from accounting.profit_and_loss_by_month
        where tenant_id = ? and account_type in ('Expense', 'Cost of Goods Sold') group by 1""",
    )
    # February: bill 20 recognised (400.00) + bill 21 (525 / 1.05 = 500.00);
    # March: bill 23 200.00 + expense claim 45.50
    assert expense == {"2025-02": D("900.00"), "2025-03": D("245.50")}


def test_lines_amount2_internal_and_finance_object(hand_ledger) -> None:
    quantity, total, class_name = hand_ledger.execute(
        """select li.quantity, li."totalPrice", li."className"
        from accounting.invoices, unnest("lineItems") as t(li)
        where tenant_id = ? and id = '11'""",
        [TENANT],
    ).fetchall()[0]
    assert (quantity, total, class_name) == (6, 300, "Studio")
    assert (
        _one(
            hand_ledger,
            'select count(*) from accounting.invoices, unnest("lineItems")'
            " where tenant_id = ? and id = '11'",
        )
        == 1
    )
    department = _one(
        hand_ledger,
        """select max("Department") from accounting.profit_and_loss_detail
        where tenant_id = ? and journal_entry_id = 'invoice-11'""",
    )
    assert department == "Studio"
