"""The staging layer against real synced data: clean data passes every test, and a documented
relationship test catches an orphan the API serves."""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb

from conftest import REPO, TENANT, dbt_results, run_dbt, start_simulator, sync_into

SPEC = REPO / "spec" / "scoro_columns.csv"
ORPHAN_TEST = "relationships_stg_scoro__invoices_company_id__contact_id__ref_stg_scoro__contacts_"


def test_every_documented_relationship_is_a_test(dbt_build) -> None:
    _, target, _ = dbt_build
    import json

    manifest = json.loads((target / "manifest.json").read_text())
    tested = set()
    for node in manifest["nodes"].values():
        meta = node.get("test_metadata") or {}
        if meta.get("name") != "relationships":
            continue
        model = node["attached_node"].split(".")[-1].removeprefix("stg_scoro__")
        kwargs = meta["kwargs"]
        to = kwargs["to"].split("'")[1].removeprefix("stg_scoro__")
        tested.add((model, node["column_name"], to, kwargs["field"]))
    with SPEC.open() as handle:
        documented = {
            (r["table"], r["column"], r["references_table"], r["references_column"])
            for r in csv.DictReader(handle)
            if r["references_table"]
        }
    assert len(documented) == 99
    assert documented - tested == set()


def test_staging_has_every_documented_column_typed(built_warehouse: Path) -> None:
    types = {"long": "BIGINT", "int": "INTEGER", "boolean": "BOOLEAN", "string": "VARCHAR"}
    with duckdb.connect(str(built_warehouse), read_only=True) as connection:
        actual = {
            (t.removeprefix("stg_scoro__"), c): d
            for t, c, d in connection.execute(
                "select table_name, column_name, data_type from information_schema.columns "
                "where table_schema = 'staging' and table_name like 'stg_scoro__%'"
            ).fetchall()
        }
    with SPEC.open() as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 681
    for row in rows:
        data_type = actual.get((row["table"], row["column"]))
        assert data_type is not None, f"{row['table']}.{row['column']} missing"
        if row["type"] in types:
            assert data_type == types[row["type"]], (row, data_type)
        elif row["type"] == "decimal":
            assert data_type.startswith("DECIMAL"), (row, data_type)
        elif row["type"] == "datetime":
            assert data_type.startswith("TIMESTAMP"), (row, data_type)


def test_staging_row_counts_equal_truth(shared_simulator, built_warehouse: Path) -> None:
    truth = shared_simulator.company(TENANT).truth()
    with duckdb.connect(str(built_warehouse), read_only=True) as connection:
        for table in ("invoices", "invoice_lines", "contacts", "bills", "receipt_rows"):
            count = connection.execute(
                f"select count(*) from staging.stg_scoro__{table} where tenant_id = ?", [TENANT]
            ).fetchone()[0]
            assert count == len(truth[table]), table


def test_orphan_invoice_fails_exactly_its_relationship_test(tmp_path: Path) -> None:
    sim = start_simulator()
    try:
        victim = sim.company(TENANT).truth()["invoices"][5]["id"]
        sim.faults.malformed(
            module="invoices", record_id=victim, field="company_id", value=987654321
        )
        path = tmp_path / "orphan.duckdb"
        assert sync_into(path, sim).complete
    finally:
        sim.stop()
    target = tmp_path / "target"
    # cautious: only the tests whose every parent is a staging model
    completed = run_dbt(
        ["build", "--select", "staging", "--indirect-selection", "cautious"], path, target
    )
    assert completed.returncode != 0
    failing = [
        r["unique_id"].split(".")[2]  # test.<project>.<name>.<hash>
        for r in dbt_results(target)
        if r["status"] in ("fail", "error")
    ]
    assert failing == [ORPHAN_TEST], failing
    failure = next(r for r in dbt_results(target) if ORPHAN_TEST in r["unique_id"])
    assert failure["failures"] == 1
