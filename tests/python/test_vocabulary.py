"""One vocabulary across schema ``accounting``: names, types, spellings, deleted records.

Every model in schema ``accounting`` is checked, whatever its name (unified objects, reports and
the seeds built there), so a model added later is held to the same rules (DECISIONLOG.md
section 16, "Vocabulary"):

- **one type per name**: a column or nested field name (``lineItems.unitPrice``, ``balance``,
  ``account_id``) has one type wherever it occurs, walking STRUCT and LIST types; a nested
  list compares as ``LIST<STRUCT>`` and its fields one by one;
- **type rules**: every id is text; ``*_base`` amounts are ``decimal(38, 2)``, other amounts
  ``decimal(38, 9)``; report dates are ``date``; no floating point;
- **spellings**: the classification, category, posting side, document and transaction types,
  statuses and currency codes hold only the chosen values; and no SQL of the project compares
  against a retired spelling (``'income_statement'``, ``'debit'``, ...);
- **deleted records**: every unified object has ``hg_deleted``; a deleted record is inactive, a
  deleted document owes nothing and is Void; Σ customers.balance = Accounts Receivable and
  Σ vendors.balance = Accounts Payable in the general ledger, deleted contacts included;
- **account numbers**: each number shown anywhere names one account of the tenant, and the id
  or name shown beside it is that account's.

The built file comes from the ``built_warehouse`` fixture (tests/python/conftest.py); if the
environment variable ``SCORO_BUILT_DUCKDB`` names a file, that file is used instead.
"""

from __future__ import annotations

import os
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from duckdb.sqltypes import DuckDBPyType

from conftest import REPO

SCHEMA = "accounting"
UNIFIED_OBJECTS = (
    "accounts",
    "bank_accounts",
    "bills",
    "credit_notes",
    "customers",
    "invoices",
    "items",
    "journal_entries",
    "profit_and_loss_detail",
    "projects",
    "vendors",
)
# Shared names the demo warehouse must have at least (a guard against checking nothing).
MIN_SHARED_NAMES = 60

CLASSIFICATIONS = {"incomestatement", "balancesheet"}
CATEGORIES = {
    "Income",
    "Cost of Goods Sold",
    "Expense",
    "Other Income",
    "Other Expense",
    "Asset",
    "Liability",
    "Equity",
}
SIDES = {"Debit", "Credit"}
DOCUMENT_TYPES = {
    "invoice",
    "credit_invoice",
    "bill",
    "invoice_receipt",
    "bill_payment",
    "prepayment",
    "prepayment_setoff",
    "credit_allocation",
    "expense_receipt",
    "unallocated_cash",
    "fx_revaluation",
    "year_end_close",
}
TRANSACTION_TYPES = {
    "Invoice",
    "Credit Note",
    "Bill",
    "Payment",
    "Bill Payment",
    "Prepayment",
    "Prepayment Set-off",
    "Credit Allocation",
    "Expense",
    "Unallocated Payment",
    "Currency Revaluation",
    "Year-end Close",
}
STATUSES = {"Draft", "Submitted", "PartiallyPaid", "Paid", "Void", "Unknown"}

# Column or field name -> the values it may hold, in every model of the schema.
VOCABULARY: dict[str, set[str]] = {
    "account_classification": CLASSIFICATIONS,
    "classification": CLASSIFICATIONS,
    "account_type": CATEGORIES,
    "posting_type": SIDES,
    "postingType": SIDES,
    "account_normal_balance": SIDES,
    "normal_balance": SIDES,
    "normalBalance": SIDES,
    "document_type": DOCUMENT_TYPES,
    "documentType": DOCUMENT_TYPES,
    "transaction_type": TRANSACTION_TYPES,
    "transactionType": TRANSACTION_TYPES,
    "TransactionType": TRANSACTION_TYPES,
    "status": STATUSES,
    "unified_status": STATUSES,
    "entity_type": {"Customer", "Vendor"},
    "ageing_bucket": {"current", "1-30", "31-60", "61-90", "90+"},
}
# Names whose vocabulary depends on the object (the documented property `type`, `category`).
OBJECT_VOCABULARY: dict[tuple[str, str], set[str]] = {
    ("accounts", "type"): CLASSIFICATIONS,
    ("accounts", "category"): CATEGORIES,
    ("items", "type"): {"Service", "Inventory", "NonInventory"},
    ("credit_notes", "paymentAllocations.type"): {"Invoice", "Refund"},
    ("customers", "customerType"): {"Person", "Company"},
}
CURRENCY_NAMES = {"currency", "base_currency"}
CURRENCY_CODE = re.compile(r"^[A-Z]{3}$")

# Spellings no SQL may compare against any more (DECISIONLOG.md section 16, "Vocabulary").
RETIRED_SPELLINGS = ("'income_statement'", "'balance_sheet'", "'debit'", "'credit'")

# Names that differ only in case and mean different things (DuckDB folds unquoted names):
# P&L Detail's documented "Amount" is in the base currency; `amount` elsewhere in the document's.
CASE_ONLY_HOMONYMS = {"amount"}
# Documented as an object, not an id: bills.externalId = {name, value}.
NOT_IDS = {("bills", "externalId")}
BASE_MONEY = "DECIMAL(38,2)"
DOCUMENT_MONEY = "DECIMAL(38,9)"
# Base-currency amounts the unified schema names without a `_base` suffix.
BASE_MONEY_PROPERTIES = {"balance", "Amount"}
# Percent points are rounded like base amounts; a fiscal year's first month is a number 1-12.
PERCENT = BASE_MONEY
MONTH_NUMBER = "INTEGER"


@dataclass(frozen=True)
class Field:
    """One column, or one field nested in a STRUCT or a LIST of STRUCTs, of a model."""

    model: str
    path: str
    dtype: DuckDBPyType

    @property
    def name(self) -> str:
        return self.path.rsplit(".", 1)[-1]

    @property
    def shape(self) -> str:
        return _shape(self.dtype)


def _shape(dtype: DuckDBPyType) -> str:
    """The type as compared: scalars in full, a STRUCT as STRUCT (its fields compare apart)."""
    if dtype.id == "list":
        return f"LIST<{_shape(dtype.child)}>"
    if dtype.id == "struct":
        return "STRUCT"
    return str(dtype)


def _struct_of(dtype: DuckDBPyType) -> DuckDBPyType | None:
    while dtype.id == "list":
        dtype = dtype.child
    return dtype if dtype.id == "struct" else None


def _walk(model: str, path: str, dtype: DuckDBPyType) -> Iterator[Field]:
    yield Field(model, path, dtype)
    struct = _struct_of(dtype)
    if struct is not None:
        for name, child in struct.children:
            yield from _walk(model, f"{path}.{name}", child)


@pytest.fixture(scope="module")
def warehouse(request: pytest.FixtureRequest) -> Path:
    """The built DuckDB file: $SCORO_BUILT_DUCKDB if set, else the ``built_warehouse`` fixture."""
    override = os.environ.get("SCORO_BUILT_DUCKDB")
    if override:
        path = Path(override)
        assert path.is_file(), f"SCORO_BUILT_DUCKDB={override} is not a file"
        return path
    return Path(request.getfixturevalue("built_warehouse"))


@pytest.fixture(scope="module")
def con(warehouse: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        yield connection


@pytest.fixture(scope="module")
def models(con: duckdb.DuckDBPyConnection) -> dict[str, dict[str, DuckDBPyType]]:
    """Every table and view of schema accounting: its columns and their DuckDB types."""
    names = [
        name
        for (name,) in con.execute(
            "select table_name from information_schema.tables where table_schema = ?"
            " order by table_name",
            [SCHEMA],
        ).fetchall()
    ]
    found = {}
    for name in names:
        relation = con.sql(f'select * from "{SCHEMA}"."{name}" limit 0')
        found[name] = dict(zip(relation.columns, relation.dtypes, strict=True))
    return found


@pytest.fixture(scope="module")
def fields(models: dict[str, dict[str, DuckDBPyType]]) -> list[Field]:
    return [
        field
        for model, columns in models.items()
        for column, dtype in columns.items()
        for field in _walk(model, column, dtype)
    ]


def _by(fields: list[Field], key) -> dict[str, dict[str, set[str]]]:
    grouped: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for field in fields:
        grouped[key(field)][field.shape].add(f"{field.model}.{field.path}")
    return grouped


def _conflicts(grouped: dict[str, dict[str, set[str]]]) -> list[str]:
    return [
        f"{name}: " + "; ".join(f"{shape} in {sorted(where)}" for shape, where in shapes.items())
        for name, shapes in sorted(grouped.items())
        if len(shapes) > 1
    ]


def test_every_unified_object_is_in_the_schema(models: dict) -> None:
    missing = [obj for obj in UNIFIED_OBJECTS if obj not in models]
    assert not missing, f"not in schema {SCHEMA}: {missing}"


def test_a_shared_column_has_one_type_in_every_model(fields: list[Field]) -> None:
    """The same column name (or nested path) has the same type in every model that has it."""
    by_path = _by(fields, lambda f: f.path)
    shared = {path: shapes for path, shapes in by_path.items() if _occurrences(shapes) > 1}
    assert len(shared) >= MIN_SHARED_NAMES, f"only {len(shared)} shared names: checking too little"
    assert not _conflicts(shared), "\n".join(_conflicts(shared))


def test_a_field_name_has_one_type_at_any_depth(fields: list[Field]) -> None:
    """`unitPrice` in lineItems, billItem and invoiceItem; `id` anywhere; `amount` in any list."""
    assert not _conflicts(_by(fields, lambda f: f.name)), "\n".join(
        _conflicts(_by(fields, lambda f: f.name))
    )


def test_names_that_differ_only_in_case_have_one_type(fields: list[Field]) -> None:
    """DuckDB resolves `amount` and "Amount" alike: such names must agree, or be listed."""
    grouped = _by(
        [f for f in fields if f.name.lower() not in CASE_ONLY_HOMONYMS], lambda f: f.name.lower()
    )
    assert not _conflicts(grouped), "\n".join(_conflicts(grouped))


def _occurrences(shapes: dict[str, set[str]]) -> int:
    return sum(len(where) for where in shapes.values())


def _is_id(field: Field) -> bool:
    name = field.name
    return name == "id" or name.endswith("_id") or (name.endswith("Id") and name != "Id")


def test_every_id_is_text(fields: list[Field]) -> None:
    """Ids are text in every model of the schema, reports and seeds included (PHASE 2 rule)."""
    wrong = [
        f"{f.model}.{f.path}: {f.dtype}"
        for f in fields
        if _is_id(f) and (f.model, f.path) not in NOT_IDS and f.shape != "VARCHAR"
    ]
    wrong += [
        f"{f.model}.{f.path}: {f.dtype}"
        for f in fields
        if f.name.endswith("Ids") and f.shape != "LIST<VARCHAR>"
    ]
    assert not wrong, wrong


def test_money_and_dates_follow_the_type_rules(fields: list[Field]) -> None:
    """*_base amounts decimal(38, 2), other amounts decimal(38, 9), report dates date, no floats."""
    wrong = []
    for f in fields:
        shape = f.shape
        if f.name.endswith("_base") and shape != BASE_MONEY:
            wrong.append(f"{f.model}.{f.path}: {shape}, base amounts are {BASE_MONEY}")
        if shape.startswith("DECIMAL") and shape not in (BASE_MONEY, DOCUMENT_MONEY):
            wrong.append(f"{f.model}.{f.path}: {shape}")
        if f.name.endswith("_percent") and shape != PERCENT:
            wrong.append(f"{f.model}.{f.path}: {shape}, percentages are {PERCENT}")
        if shape == BASE_MONEY and not (
            f.name.endswith(("_base", "_percent")) or f.name in BASE_MONEY_PROPERTIES
        ):
            wrong.append(f"{f.model}.{f.path}: {shape} but not named as a base amount")
        if f.name.endswith("_start_month"):
            if shape != MONTH_NUMBER:
                wrong.append(f"{f.model}.{f.path}: {shape}, month numbers are {MONTH_NUMBER}")
        elif re.search(r"(^|_)(date|month)$", f.name) and shape != "DATE":
            wrong.append(f"{f.model}.{f.path}: {shape}, report dates are DATE")
        if shape in ("FLOAT", "DOUBLE"):
            wrong.append(f"{f.model}.{f.path}: floating point")
    assert not wrong, "\n".join(wrong)


def _values(con: duckdb.DuckDBPyConnection, field: Field) -> set:
    """The distinct values of a column, or of a field nested one list or struct deep."""
    head, *rest = field.path.split(".")
    table = f'"{SCHEMA}"."{field.model}"'
    if not rest:
        sql = f'select distinct "{head}" from {table}'
    elif len(rest) == 1:
        parent = con.sql(f'select "{head}" from {table} limit 0').dtypes[0]
        if parent.id == "list":
            sql = f'select distinct u."{rest[0]}" from {table}, unnest({table}."{head}") as t(u)'
        else:
            sql = f'select distinct "{head}"."{rest[0]}" from {table}'
    else:
        raise AssertionError(f"{field.model}.{field.path}: nested too deep for a vocabulary")
    return {value for (value,) in con.execute(sql).fetchall() if value is not None}


def _vocabulary(field: Field) -> set[str] | None:
    return OBJECT_VOCABULARY.get((field.model, field.path)) or VOCABULARY.get(field.name)


def test_vocabulary_columns_hold_only_the_chosen_spellings(
    con: duckdb.DuckDBPyConnection, fields: list[Field]
) -> None:
    checked, wrong = [], []
    for field in fields:
        allowed = _vocabulary(field)
        if allowed is None or field.shape != "VARCHAR":
            continue
        values = _values(con, field)
        checked.append(f"{field.model}.{field.path}")
        if values - allowed:
            wrong.append(f"{field.model}.{field.path}: {sorted(values - allowed)}")
    assert len(checked) >= 20, checked
    assert not wrong, "\n".join(wrong)


def test_pnl_detail_sections_are_account_categories(con: duckdb.DuckDBPyConnection) -> None:
    sections = {
        row[0]
        for row in con.execute(
            f'select distinct "Categories"[1] from "{SCHEMA}".profit_and_loss_detail'
        ).fetchall()
    }
    assert sections and sections <= CATEGORIES - {"Asset", "Liability", "Equity"}, sections


def test_currency_codes_are_upper_case_iso(
    con: duckdb.DuckDBPyConnection, fields: list[Field]
) -> None:
    wrong = []
    for field in fields:
        if field.name in CURRENCY_NAMES and field.shape == "VARCHAR":
            bad = {v for v in _values(con, field) if not CURRENCY_CODE.match(v)}
            if bad:
                wrong.append(f"{field.model}.{field.path}: {sorted(bad)}")
    assert not wrong, wrong


def _project_sql() -> Iterator[tuple[Path, str]]:
    for folder in ("models", "macros", "tests"):
        for path in sorted((REPO / folder).rglob("*.sql")):
            yield path, path.read_text()
    readme = (REPO / "README.md").read_text()
    for number, block in enumerate(re.findall(r"^```sql\n(.*?)^```", readme, re.S | re.M), 1):
        yield REPO / f"README.md (sql block {number})", block


def test_no_sql_compares_against_a_retired_spelling() -> None:
    """A model or test written against income_statement / debit would silently select nothing."""
    found = []
    for path, text in _project_sql():
        code = "\n".join(line.split("--", 1)[0] for line in text.splitlines())
        found += [f"{path.relative_to(REPO)}: {s}" for s in RETIRED_SPELLINGS if s in code]
    assert not found, found


# --- deleted records -----------------------------------------------------------------------


def test_every_unified_object_flags_deleted_records(
    con: duckdb.DuckDBPyConnection, models: dict
) -> None:
    wrong = []
    for obj in UNIFIED_OBJECTS:
        columns = models.get(obj, {})
        if "hg_deleted" not in columns or columns["hg_deleted"].id != "boolean":
            wrong.append(f"{obj}: no boolean hg_deleted")
            continue
        nulls = con.execute(
            f'select count(*) from "{SCHEMA}"."{obj}" where hg_deleted is null'
        ).fetchone()[0]
        if nulls:
            wrong.append(f"{obj}: {nulls} rows with hg_deleted null")
        if "active" in columns:
            active = con.execute(
                f'select count(*) from "{SCHEMA}"."{obj}" where hg_deleted and active'
            ).fetchone()[0]
            if active:
                wrong.append(f"{obj}: {active} deleted rows still active")
    assert not wrong, wrong


OPEN_AMOUNTS = ("amountDue", "remainingCredit", "currencyBalance", "balance")


def test_deleted_documents_are_void_and_owe_nothing(
    con: duckdb.DuckDBPyConnection, models: dict
) -> None:
    documents = [obj for obj in UNIFIED_OBJECTS if "status" in models.get(obj, {})]
    assert set(documents) == {"invoices", "bills", "credit_notes"}, documents
    deleted_total, wrong = 0, []
    for obj in documents:
        amounts = [c for c in OPEN_AMOUNTS if c in models[obj]]
        condition = " or ".join(f'"{c}" <> 0' for c in amounts) + " or status <> 'Void'"
        deleted_total += con.execute(
            f'select count(*) from "{SCHEMA}"."{obj}" where hg_deleted'
        ).fetchone()[0]
        bad = con.execute(
            f'select id from "{SCHEMA}"."{obj}" where hg_deleted and ({condition})'
        ).fetchall()
        if bad:
            wrong.append(f"{obj}: deleted {[r[0] for r in bad]} owe something or are not Void")
    assert deleted_total > 0, "the demo company has no deleted documents: nothing was checked"
    assert not wrong, wrong


def _ledger_balance(con: duckdb.DuckDBPyConnection, account_id: str) -> Decimal:
    return con.execute(
        f'select coalesce(sum(signed_amount_base), 0) from "{SCHEMA}".general_ledger'
        " where account_id = ?",
        [account_id],
    ).fetchone()[0]


def test_customer_and_vendor_balances_add_up_to_the_ledger_deleted_included(
    con: duckdb.DuckDBPyConnection,
) -> None:
    customers, deleted_owing = con.execute(
        f"""select sum(balance), sum(balance) filter (where hg_deleted)
        from "{SCHEMA}".customers"""
    ).fetchone()
    assert customers == _ledger_balance(con, "accounts_receivable")
    # the demo company has customers deleted in Scoro whose invoices are still open
    assert deleted_owing, "no deleted customer owes anything: the rule is not exercised"
    vendors = con.execute(f'select sum(balance) from "{SCHEMA}".vendors').fetchone()[0]
    assert vendors == -_ledger_balance(con, "accounts_payable")
    bills = con.execute(f'select sum(balance) from "{SCHEMA}".bills').fetchone()[0]
    assert bills == vendors


def test_every_document_names_a_listed_customer_or_vendor(con: duckdb.DuckDBPyConnection) -> None:
    for sql in (
        """select count(*) from accounting.invoices as i
        where i."customerId" is not null and not exists (select 1 from accounting.customers as c
            where c.tenant_id = i.tenant_id and c.id = i."customerId")""",
        """select count(*) from accounting.ar_ageing as a
        where a.customer_id is not null and not exists (select 1 from accounting.customers as c
            where c.tenant_id = a.tenant_id and c.id = a.customer_id)""",
        """select count(*) from accounting.ap_ageing as a
        where a.vendor_id is not null and not exists (select 1 from accounting.vendors as v
            where v.tenant_id = a.tenant_id and v.id = a.vendor_id)""",
        """select count(*) from accounting.general_ledger as g
        where g.customer_id is not null and not exists (select 1 from accounting.customers as c
            where c.tenant_id = g.tenant_id and c.id = g.customer_id)""",
    ):
        assert con.execute(sql).fetchone()[0] == 0, sql


# --- account numbers -----------------------------------------------------------------------

NUMBER_NAMES = ("accountNumber", "account_number", "Num", "accountCode")
# A vendor's own bank account (its IBAN), not one of the ledger's accounts.
NOT_LEDGER_ACCOUNTS = {"vendors.bankAccounts"}
ID_NAMES = ("accountId", "account_id")
NAME_NAMES = ("accountName", "account_name")


@dataclass(frozen=True)
class Shown:
    where: str
    tenant: str
    number: str
    account_id: str | None
    name: str | None


def _levels(model: str, columns: dict[str, DuckDBPyType]) -> Iterator[tuple[str, str, list[str]]]:
    """(label, SQL giving tenant_id and a struct-like row, field names) for each row level."""
    table = f'"{SCHEMA}"."{model}"'
    yield model, f"select tenant_id, * from {table}", list(columns)
    for column, dtype in columns.items():
        struct = _struct_of(dtype)
        if struct is None:
            continue
        names = [name for name, _ in struct.children]
        if dtype.id == "list":
            sql = f'select {table}.tenant_id, u.* from {table}, unnest({table}."{column}") as t(u)'
        else:
            sql = f'select tenant_id, "{column}".* from {table}'
        yield f"{model}.{column}", sql, names


def _shown_account_numbers(con, models: dict) -> list[Shown]:
    shown = []
    for model, columns in models.items():
        if "tenant_id" not in columns or model == "accounts":
            continue
        for label, sql, names in _levels(model, columns):
            number = next((n for n in NUMBER_NAMES if n in names), None)
            if number is None or label in NOT_LEDGER_ACCOUNTS:
                continue
            id_name = next((n for n in ID_NAMES if n in names), None)
            name_name = next((n for n in NAME_NAMES if n in names), None)
            picked = ", ".join(f'"{n}"' if n else "null" for n in (number, id_name, name_name))
            rows = con.execute(f"select distinct tenant_id, {picked} from ({sql})").fetchall()
            shown += [
                Shown(f"{label}.{number}", tenant, num, account_id, name)
                for tenant, num, account_id, name in rows
                if num is not None
            ]
    return shown


def test_an_account_number_names_one_account_wherever_it_is_shown(
    con: duckdb.DuckDBPyConnection, models: dict
) -> None:
    accounts = con.execute(
        f'select tenant_id, "accountNumber", id, name, hg_deleted from "{SCHEMA}".accounts'
        ' where "accountNumber" is not null'
    ).fetchall()
    by_number: dict[tuple[str, str], list[tuple[str, str, bool]]] = defaultdict(list)
    for tenant, number, account_id, name, deleted in accounts:
        by_number[(tenant, number)].append((account_id, name, deleted))
    duplicates = {k: v for k, v in by_number.items() if len([a for a in v if not a[2]]) > 1}
    assert not duplicates, f"live accounts sharing a number: {duplicates}"

    shown = _shown_account_numbers(con, models)
    places = {s.where for s in shown}
    assert len(places) >= 8, f"account numbers found in too few places: {sorted(places)}"
    wrong = []
    ids_per_number: dict[tuple[str, str], set[str]] = defaultdict(set)
    for s in shown:
        candidates = by_number.get((s.tenant, s.number), [])
        if not candidates:
            wrong.append(f"{s.where}: {s.number} is no account of {s.tenant}")
        elif s.account_id is not None and s.account_id not in {c[0] for c in candidates}:
            wrong.append(f"{s.where}: {s.number} shown with account {s.account_id}")
        elif (
            s.account_id is None and s.name is not None and s.name not in {c[1] for c in candidates}
        ):
            wrong.append(f"{s.where}: {s.number} shown with name {s.name!r}")
        if s.account_id is not None:
            ids_per_number[(s.tenant, s.number)].add(s.account_id)
    wrong += [f"{k}: shown for accounts {v}" for k, v in ids_per_number.items() if len(v) > 1]
    assert not wrong, "\n".join(sorted(set(wrong))[:30])
