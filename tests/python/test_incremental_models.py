"""Incremental ledger models and marts: after the company changes (documents changed in closed
months, added, deleted; products re-priced; receipts changed and deleted; projects, VAT codes,
custom fields and accounts renamed) and a re-sync, an incremental `dbt run` gives the same tables
as a full refresh, row for row, and it re-posted and rebuilt only some documents and entries."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import duckdb

from conftest import dbt_results, run_dbt, sync_into

INCREMENTAL_MODELS = (
    "staging.int_scoro__invoice_double_entry",
    "staging.int_scoro__credit_invoice_double_entry",
    "staging.int_scoro__bill_double_entry",
    "staging.int_scoro__general_ledger",
    "accounting.journal_entries",
    "accounting.profit_and_loss_detail",
    "accounting.general_ledger",
)
# The ledger, the big marts built from it, and every model they are built from.
LEDGER = ["+journal_entries", "+profit_and_loss_detail", "+general_ledger"]
# The general ledger report is a table unless this var makes it incremental (DECISIONLOG.md
# "Scale"): the test builds it incrementally, so that that path is proven too.
VARS = ["--vars", "{scoro_incremental_running_balances: true}"]
# Per mart, a column its incremental build never reads from its own rows, and the value a build
# gives it: the test overwrites it in every row before an incremental run, so that the rows the
# run built again are the ones holding the built value after it (and puts it back before
# comparing with a full refresh).
REBUILT_MARKS = {
    "accounting.journal_entries": ("hg_deleted", "true", "false"),
    "accounting.profit_and_loss_detail": ("hg_deleted", "true", "false"),
    "accounting.general_ledger": (
        "period_month",
        "null",
        "cast(date_trunc('month', transaction_date) as date)",
    ),
}


def _run(args: list[str], path: Path, target: Path) -> None:
    completed = run_dbt(args, path, target)
    failures = [
        f"{r['unique_id']}: {r['status']} {r.get('message') or ''}"
        for r in dbt_results(target)
        if r["status"] not in ("success", "pass", "no-op")
    ]
    assert completed.returncode == 0 and not failures, (
        f"dbt {' '.join(args)} failed:\n" + "\n".join(failures) + completed.stdout[-3000:]
    )


def _tables(con: duckdb.DuckDBPyConnection, catalog: str) -> dict[str, list[str]]:
    """Tables (not views) of schemas staging and accounting, with their data columns."""
    rows = con.execute(
        """
        select c.table_schema || '.' || c.table_name, c.column_name
        from information_schema.columns as c
        join information_schema.tables as t
          on t.table_catalog = c.table_catalog
         and t.table_schema = c.table_schema
         and t.table_name = c.table_name
        where c.table_catalog = ?
          and t.table_type = 'BASE TABLE'
          and c.table_schema in ('staging', 'accounting')
        order by c.table_schema, c.table_name, c.ordinal_position
        """,
        [catalog],
    ).fetchall()
    tables: dict[str, list[str]] = {}
    # every column, the incremental bookkeeping too (sync stamps, fingerprints): a full refresh
    # writes the same values
    for table, column in rows:
        tables.setdefault(table, []).append(column)
    return tables


def _differences(con: duckdb.DuckDBPyConnection, table: str, columns: list[str]) -> int:
    listed = ", ".join(f'"{c}"' for c in columns)
    ((missing,),) = con.execute(
        f"select count(*) from (select {listed} from full_refresh.{table} "
        f"except all select {listed} from incremental.{table})"
    ).fetchall()
    ((extra,),) = con.execute(
        f"select count(*) from (select {listed} from incremental.{table} "
        f"except all select {listed} from full_refresh.{table})"
    ).fetchall()
    return missing + extra


def _mark_rows(path: Path) -> None:
    """Overwrite each mart's marked column in every row (see REBUILT_MARKS)."""
    with duckdb.connect(str(path)) as con:
        for table, (column, mark, _) in REBUILT_MARKS.items():
            con.execute(f"update {table} set {column} = {mark}")


def _rebuilt_rows(path: Path) -> dict[str, tuple[int, int]]:
    """Per mart, (rows the last run built again, rows), then the marked column put back."""
    counts = {}
    with duckdb.connect(str(path)) as con:
        for table, (column, mark, built) in REBUILT_MARKS.items():
            ((rebuilt, rows),) = con.execute(
                f"select count(*) filter (where {column} is not distinct from {built}), count(*) "
                f"from {table}"
            ).fetchall()
            counts[table] = (rebuilt, rows)
            con.execute(
                f"update {table} set {column} = {built} where {column} is not distinct from {mark}"
            )
    return counts


def _rename_dimensions(path: Path) -> dict[str, str]:
    """What a sync writes when a project, a VAT code, a custom field value and a finance account
    are renamed in Scoro and nothing else changes: the raw row with its new value and a new sync
    time (the simulator's mutations change documents, contacts, products and project statuses,
    never these names). Returns the new names."""
    renamed = {
        "project": "Renamed project ★",
        "vat_code": "VAT-RENAMED",
        "custom_field": "Renamed value",
        "account": "Renamed account",
    }
    with duckdb.connect(str(path)) as con:
        synced = "current_timestamp"
        ((project_id, vat_code_id, invoice_id, account_id),) = con.execute(
            "select min(project_id) filter (where document_type = 'invoice'), "
            "min(vat_code_id) filter (where document_type = 'invoice'), "
            "(select min(invoice_id) from scoro_raw.invoice_custom_fields), "
            "min(account_id) filter (where account_classification = 'incomestatement' "
            "and account_id in (select cast(id as varchar) from scoro_raw.finance_accounts)) "
            "from staging.int_scoro__general_ledger"
        ).fetchall()
        con.execute(
            f"update scoro_raw.projects set project_name = ?, _scoro_synced_at = {synced} "
            "where project_id = ?",
            [renamed["project"], project_id],
        )
        con.execute(
            f"update scoro_raw.vat_codes set vat_code = ?, _scoro_synced_at = {synced} "
            "where vat_code_id = ?",
            [renamed["vat_code"], vat_code_id],
        )
        con.execute(
            f"update scoro_raw.invoice_custom_fields set value = ?, _scoro_synced_at = {synced} "
            "where invoice_id = ?",
            [renamed["custom_field"], invoice_id],
        )
        con.execute(
            f"update scoro_raw.finance_accounts set name = ?, _scoro_synced_at = {synced} "
            "where cast(id as varchar) = ?",
            [renamed["account"], account_id],
        )
    return renamed


UNSTAMPED_TEXT = "Line text without a sync time"


def _unstamped_line_text(path: Path) -> None:
    """A posted invoice line's raw row gets a new text and no sync time (a row not written by
    the loader): its document is posted again on every build, and the text reaches the ledger."""
    with duckdb.connect(str(path)) as con:
        con.execute(
            "update scoro_raw.invoice_lines set comment = ?, _scoro_synced_at = null "
            "where id = (select min(id) from scoro_raw.invoice_lines where comment is not null "
            "and invoice_id in (select document_id from staging.int_scoro__general_ledger "
            "where document_type = 'invoice'))",
            [UNSTAMPED_TEXT],
        )


@contextmanager
def _compared_with_a_full_refresh(
    path: Path, target: Path, name: str
) -> Iterator[duckdb.DuckDBPyConnection]:
    """Set the incrementally built file aside, fully refresh the file in its place, and attach
    both; the incrementally built file is back in its place afterwards. Every dbt run of the
    test uses the same file name, target dir and vars, so dbt parses the project only once."""
    incremental = path.with_name(f"{name}_incremental.duckdb")
    full = path.with_name(f"{name}_full_refresh.duckdb")
    shutil.copy(path, incremental)
    _run(["run", "--full-refresh", *VARS, "--select", *LEDGER], path, target)
    path.rename(full)
    incremental.rename(path)
    con = duckdb.connect(":memory:")
    try:
        con.execute(f"attach '{path}' as incremental (read_only)")
        con.execute(f"attach '{full}' as full_refresh (read_only)")
        incremental_tables = _tables(con, "incremental")
        assert incremental_tables == _tables(con, "full_refresh")
        for table in INCREMENTAL_MODELS:
            assert table in incremental_tables
        differing = {
            table: n
            for table, columns in incremental_tables.items()
            if (n := _differences(con, table, columns))
        }
        assert not differing, differing
        yield con
    finally:
        con.close()


def test_incremental_build_equals_a_full_refresh_after_changes(simulator, tmp_path: Path) -> None:
    path = tmp_path / "incremental.duckdb"
    target = tmp_path / "target"
    company = simulator.company()
    assert sync_into(path, simulator).complete
    _run(["seed", *VARS], path, target)
    _run(["run", *VARS, "--select", *LEDGER], path, target)

    # 1. everything changes: contacts, products (re-priced), projects, documents, receipts
    changes = [company.mutate(changed=15, added=4, deleted=4, seed=s) for s in (1, 2)]
    assert sync_into(path, simulator).complete
    _run(["run", *VARS, "--select", *LEDGER], path, target)
    changed_invoices = {i for c in changes for i in c["invoices"]["changed"]}
    deleted = {i for c in changes for i in c["invoices"]["deleted"] + c["bills"]["deleted"]}
    with _compared_with_a_full_refresh(path, target, "everything") as con:
        # the changes reach back into closed months
        ((oldest,),) = con.execute(
            "select cast(min(date) as date) from incremental.staging.stg_scoro__invoices "
            "where id in ?",
            [sorted(changed_invoices)],
        ).fetchall()
        assert oldest < date.today().replace(day=1)
        # no row of a deleted document is left in the ledger
        ((left,),) = con.execute(
            "select count(*) from incremental.staging.int_scoro__general_ledger "
            "where document_type in ('invoice', 'credit_invoice', 'bill') and document_id in ?",
            [sorted(deleted)],
        ).fetchall()
        assert deleted and left == 0
        ((stamp,),) = con.execute(
            "select max(source_synced_at) from incremental.staging.int_scoro__invoice_double_entry"
        ).fetchall()

    # 2. only documents and receipts change: only their documents are posted again
    company.mutate(
        changed=10, added=3, deleted=3, seed=3, modules=("invoices", "bills", "receipts")
    )
    assert sync_into(path, simulator).complete
    _unstamped_line_text(path)
    _mark_rows(path)
    _run(["run", *VARS, "--select", *LEDGER], path, target)
    rebuilt = _rebuilt_rows(path)
    print("rebuilt rows, rows:", rebuilt)
    # journal entries and P&L lines: only the changed documents' entries are built again
    for table in ("accounting.journal_entries", "accounting.profit_and_loss_detail"):
        built, rows = rebuilt[table]
        assert 0 < built < rows / 4, (table, built, rows)
    # running balances: from each changed account's first changed row on, the rows before it kept
    built, rows = rebuilt["accounting.general_ledger"]
    assert 0 < built < rows, ("accounting.general_ledger", built, rows)
    with _compared_with_a_full_refresh(path, target, "documents") as con:
        for table in INCREMENTAL_MODELS[:3]:  # the document models
            ((kept, reposted, documents),) = con.execute(
                "select count(*) filter (where source_synced_at <= ?), "
                "count(distinct document_id) filter (where source_synced_at > ?), "
                f"count(distinct document_id) from incremental.{table}",
                [stamp, stamp],
            ).fetchall()
            assert kept > 0 and reposted < documents / 4, (table, kept, reposted, documents)
        # the unstamped line's new text is in the ledger (so the comparison above compared it)
        ((unstamped,),) = con.execute(
            "select count(*) from incremental.staging.int_scoro__general_ledger "
            "where description = ? and source_synced_at is null",
            [UNSTAMPED_TEXT],
        ).fetchall()
        assert unstamped > 0

    # 3. dimensions renamed, no document changed: the entries that show them are built again
    renamed = _rename_dimensions(path)
    _mark_rows(path)
    _run(["run", *VARS, "--select", *LEDGER], path, target)
    rebuilt = _rebuilt_rows(path)
    print("rebuilt rows, rows:", rebuilt)
    assert all(built > 0 for built, _ in rebuilt.values()), rebuilt
    with _compared_with_a_full_refresh(path, target, "renamed") as con:
        # the new names reached the marts (so the comparison above compared them)
        ((projects, vat_codes, custom_fields, accounts),) = con.execute(
            "select "
            'count(*) filter (where list_contains(list_transform("journalLines", '
            'lambda l: l."projectName"), ?)), '
            'count(*) filter (where list_contains(list_transform("journalLines", '
            'lambda l: l."taxCode"), ?)), '
            'count(*) filter (where list_contains(list_transform("customFields", '
            "lambda f: f.value), ?)), "
            'count(*) filter (where list_contains(list_transform("journalLines", '
            'lambda l: l."accountName"), ?)) '
            "from incremental.accounting.journal_entries",
            [renamed["project"], renamed["vat_code"], renamed["custom_field"], renamed["account"]],
        ).fetchall()
        assert projects and vat_codes and custom_fields and accounts
        ((labelled,),) = con.execute(
            "select count(*) from incremental.accounting.profit_and_loss_detail "
            "where array_to_string(\"Categories\", '|') like ?",
            [f"%{renamed['account']}%"],
        ).fetchall()
        assert labelled > 0
        ((ledger,),) = con.execute(
            "select count(*) from incremental.accounting.general_ledger where account_name = ?",
            [renamed["account"]],
        ).fetchall()
        assert ledger > 0
