"""Incremental ledger models: after the company changes (documents changed in closed months,
added, deleted; products re-priced; receipts changed and deleted) and a re-sync, an incremental
`dbt run` gives the same tables as a full refresh, row for row, and it re-posted only some
documents."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import duckdb

from conftest import dbt_results, run_dbt, sync_into

INCREMENTAL_MODELS = (
    "int_scoro__invoice_double_entry",
    "int_scoro__credit_invoice_double_entry",
    "int_scoro__bill_double_entry",
    "int_scoro__general_ledger",
)
# The ledger and every model it is built from (the marts read it as they read any table).
LEDGER = "+int_scoro__general_ledger"
# Bookkeeping of the incremental build (the newest input sync time and the fingerprint of the
# accounts a row was posted with), not data.
BOOKKEEPING = {"source_synced_at", "source_accounts_fingerprint", "accounts_fingerprint"}


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
    for table, column in rows:
        if column not in BOOKKEEPING:
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


def _compare_with_a_full_refresh(
    path: Path, tmp_path: Path, name: str
) -> duckdb.DuckDBPyConnection:
    """Copy the incrementally built file, fully refresh the copy, and attach both."""
    full = tmp_path / f"{name}_full_refresh.duckdb"
    shutil.copy(path, full)
    _run(["run", "--full-refresh", "--select", LEDGER], full, tmp_path / f"target_{name}")
    con = duckdb.connect(":memory:")
    con.execute(f"attach '{path}' as incremental (read_only)")
    con.execute(f"attach '{full}' as full_refresh (read_only)")
    incremental_tables = _tables(con, "incremental")
    assert incremental_tables == _tables(con, "full_refresh")
    for table in INCREMENTAL_MODELS:
        assert f"staging.{table}" in incremental_tables
    differing = {
        table: n
        for table, columns in incremental_tables.items()
        if (n := _differences(con, table, columns))
    }
    assert not differing, differing
    return con


def test_incremental_build_equals_a_full_refresh_after_changes(simulator, tmp_path: Path) -> None:
    path = tmp_path / "incremental.duckdb"
    target = tmp_path / "target"
    company = simulator.company()
    assert sync_into(path, simulator).complete
    _run(["seed"], path, target)
    _run(["run", "--select", LEDGER], path, target)

    # 1. everything changes: contacts, products (re-priced), projects, documents, receipts
    changes = [company.mutate(changed=15, added=4, deleted=4, seed=s) for s in (1, 2)]
    assert sync_into(path, simulator).complete
    _run(["run", "--select", LEDGER], path, target)
    changed_invoices = {i for c in changes for i in c["invoices"]["changed"]}
    deleted = {i for c in changes for i in c["invoices"]["deleted"] + c["bills"]["deleted"]}
    with _compare_with_a_full_refresh(path, tmp_path, "everything") as con:
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
    _run(["run", "--select", LEDGER], path, target)
    with _compare_with_a_full_refresh(path, tmp_path, "documents") as con:
        for table in INCREMENTAL_MODELS[:-1]:
            ((kept, reposted, documents),) = con.execute(
                "select count(*) filter (where source_synced_at <= ?), "
                "count(distinct document_id) filter (where source_synced_at > ?), "
                f"count(distinct document_id) from incremental.staging.{table}",
                [stamp, stamp],
            ).fetchall()
            assert kept > 0 and reposted < documents / 4, (table, kept, reposted, documents)
