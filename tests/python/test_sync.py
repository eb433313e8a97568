"""The dlt sync against a real simulator server: the mirror must equal the simulator's truth."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb

from conftest import (
    API_KEY,
    FAST,
    REPO,
    SECOND_API_KEY,
    SECOND_TENANT,
    SITE_TIMEZONE,
    TENANT,
    start_simulator,
    sync_into,
)
from mirror import differences, read_table, row_counts, snapshot
from pipelines.scoro import schema
from pipelines.simulator import Shapes


def test_full_sync_equals_truth(shared_simulator, synced_warehouse: Path) -> None:
    truth = shared_simulator.company(TENANT).truth()
    counts = row_counts(synced_warehouse, TENANT)
    for table, rows in truth.items():
        assert counts[table] == len(rows), f"{table}: {counts[table]} rows, truth {len(rows)}"
    # every value of every row, typed: decimals, dates, timestamps, booleans
    assert differences(synced_warehouse, truth, TENANT) == []
    # and the company is not trivially small
    assert counts["invoices"] >= 100 and counts["invoice_lines"] >= 200
    assert counts["receipt_rows"] > 0 and counts["bill_lines"] > 0


def test_every_sdk_shape_at_once_syncs_equal_to_truth(tmp_path: Path) -> None:
    """Module objects, position-keyed lists, custom fields as a record, and the view-only
    custom fields and yearless birthdays, all switched on: the mirror still equals the truth."""
    simulator = start_simulator(shapes=Shapes.every())
    try:
        path = tmp_path / "shapes.duckdb"
        result = sync_into(path, simulator)
        assert result.complete, result.summary()
        truth = simulator.company(TENANT).truth()
        counts = row_counts(path, TENANT)
        for table, rows in truth.items():
            assert counts[table] == len(rows), f"{table}: {counts[table]} rows, truth {len(rows)}"
        assert differences(path, truth, TENANT) == []
        assert counts["custom_field_modules"] > 0 and counts["product_custom_fields"] > 0
        assert counts["invoice_line_custom_fields"] > 0 and counts["receipt_custom_fields"] > 0
    finally:
        simulator.stop()


def test_money_is_exact_decimal_and_times_are_utc(synced_warehouse: Path) -> None:
    with duckdb.connect(str(synced_warehouse), read_only=True) as connection:
        types = dict(
            connection.execute(
                "select column_name, data_type from information_schema.columns "
                "where table_schema = 'scoro_raw' and table_name = 'invoices'"
            ).fetchall()
        )
    assert types["sum"].startswith("DECIMAL") and types["vat_sum"].startswith("DECIMAL")
    assert types["modified_date"] == "TIMESTAMP WITH TIME ZONE"
    assert types["date"] == "DATE" and types["is_sent"] == "BOOLEAN"


def test_resync_without_change_makes_no_view_call_and_changes_no_row(
    simulator, tmp_path: Path
) -> None:
    path = tmp_path / "scoro.duckdb"
    sync_into(path, simulator)
    before = snapshot(path)
    simulator.stats.reset()
    result = sync_into(path, simulator)
    assert simulator.stats.count(action="view") == 0
    assert result.requests["view"] == 0
    list_calls = simulator.stats.count(action="list")
    assert list_calls == len(schema.MODULES)  # one page per module, nothing changed
    assert snapshot(path) == before


def test_mutations_update_add_and_flag_exactly(simulator, tmp_path: Path) -> None:
    path = tmp_path / "scoro.duckdb"
    sync_into(path, simulator)
    company = simulator.company(TENANT)
    changes = company.mutate(changed=5, added=3, deleted=2, seed=7)
    simulator.stats.reset()
    sync_into(path, simulator)
    assert differences(path, company.truth(), TENANT) == []
    # views only for what changed or was added (a deleted record has no view)
    for module, ids in changes.items():
        spec = schema.MODULES[module]
        if spec.needs_view:
            expected = sorted(int(i) for i in ids["changed"] + ids["added"])
            assert sorted(simulator.stats.view_ids(module)) == expected, module
    deleted = changes["invoices"]["deleted"]
    rows = {r["id"]: r for r in read_table(path, "invoices", TENANT)}
    assert deleted and all(rows[int(i)]["is_deleted"] for i in deleted)
    # lines of a deleted invoice are kept as last seen
    lines = read_table(path, "invoice_lines", TENANT)
    assert any(line["invoice_id"] == int(deleted[0]) for line in lines)


def test_no_duplicates_after_repeated_syncs(simulator, tmp_path: Path) -> None:
    path = tmp_path / "scoro.duckdb"
    for seed in (1, 2):
        sync_into(path, simulator)
        simulator.company(TENANT).mutate(changed=3, added=2, deleted=1, seed=seed)
    sync_into(path, simulator, lookback_minutes=24 * 60)
    with duckdb.connect(str(path), read_only=True) as connection:
        for spec in schema.MODULES.values():
            found = connection.execute(
                "select count(*) from information_schema.tables "
                "where table_schema = 'scoro_raw' and table_name = ?",
                [spec.table],
            ).fetchone()[0]
            if not found:
                continue
            dupes = connection.execute(
                f'select count(*) from (select tenant_id, "{spec.primary_key}" '
                f"from scoro_raw.{spec.table} group by all having count(*) > 1)"
            ).fetchone()[0]
            assert dupes == 0, spec.table
    assert differences(path, simulator.company(TENANT).truth(), TENANT) == []


def test_sync_survives_429_storm_5xx_timeouts_and_truncated_bodies(
    simulator, tmp_path: Path
) -> None:
    path = tmp_path / "scoro.duckdb"
    # faults hit the next requests in turn, so the first call meets all of them: 25 rate
    # limits, then 7 other failures, within its budget of 8 non-429 attempts
    simulator.faults.storm_429(25)
    simulator.faults.error_5xx(3)
    simulator.faults.truncate(2)
    simulator.faults.slow(2, 2.5)
    result = sync_into(path, simulator, request_timeout=1.0)
    assert result.complete
    assert differences(path, simulator.company(TENANT).truth(), TENANT) == []


def test_rate_limit_is_respected(tmp_path: Path) -> None:
    """With a tight server limit, the client paces itself: few or no 429s, and a full mirror."""
    sim = start_simulator(rate_limit_per_second=25)
    try:
        path = tmp_path / "scoro.duckdb"
        started = time.monotonic()
        result = sync_into(path, sim, max_requests_per_second=20.0, modules=["invoices"])
        elapsed = time.monotonic() - started
        total = sim.stats.count()
        assert result.complete
        # 20 requests a second at most, so the sync cannot have been faster than that
        assert elapsed >= (total - 20) / 20.0
        truth = {
            t: rows for t, rows in sim.company(TENANT).truth().items() if t.startswith("invoice")
        }
        assert differences(path, truth, TENANT) == []
    finally:
        sim.stop()


def test_killed_sync_rerun_ends_equal_to_truth(tmp_path: Path) -> None:
    sim = start_simulator(rate_limit_per_second=40)
    try:
        path = tmp_path / "scoro.duckdb"
        command = [
            str(Path(sys.executable).parent / "scoro-warehouse"),
            "sync",
            "--base-url",
            sim.url,
            "--company-account-id",
            TENANT,
            "--duckdb",
            str(path),
            "--site-timezone",
            SITE_TIMEZONE,
            "--max-requests-per-second",
            "30",
        ]
        env = {**os.environ, "SOURCES__SCORO__API_KEY": API_KEY}
        process = subprocess.Popen(
            command, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + 60
        while sim.stats.count(action="view") < 40 and time.monotonic() < deadline:
            time.sleep(0.1)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        assert process.returncode != 0  # it really was cut short
        # the rerun need not be slow (the slow pace was for killing it mid-way)
        sim.rate_limit_per_second = 500
        rerun = subprocess.run(
            [*command[:-1], "400"], cwd=REPO, env=env, capture_output=True, text=True
        )
        assert rerun.returncode == 0, rerun.stderr[-2000:]
        assert differences(path, sim.company(TENANT).truth(), TENANT) == []
    finally:
        sim.stop()


def test_daily_limit_stops_cleanly_and_next_run_resumes(tmp_path: Path) -> None:
    sim = start_simulator(daily_limit=60)
    try:
        path = tmp_path / "scoro.duckdb"
        first = sync_into(path, sim)
        assert not first.complete and first.stopped_by_daily_limit is not None
        loaded_before = sum(row_counts(path, TENANT).values())
        assert loaded_before > 0  # what was fetched before the limit is kept
        sim.daily_limit = None
        second = sync_into(path, sim)
        assert second.complete
        assert differences(path, sim.company(TENANT).truth(), TENANT) == []
    finally:
        sim.stop()


def test_two_tenants_share_one_file_without_collision(simulator, tmp_path: Path) -> None:
    path = tmp_path / "scoro.duckdb"
    sync_into(path, simulator, TENANT)
    sync_into(path, simulator, SECOND_TENANT)
    first = simulator.company(TENANT).truth()
    second = simulator.company(SECOND_TENANT).truth()
    assert differences(path, first, TENANT) == []
    assert differences(path, second, SECOND_TENANT) == []
    total = len(read_table(path, "invoices"))
    assert total == len(first["invoices"]) + len(second["invoices"])
    # the same invoice ids exist in both accounts, as separate rows
    ids_first = {r["id"] for r in first["invoices"]}
    ids_second = {r["id"] for r in second["invoices"]}
    assert ids_first & ids_second


def test_api_key_never_appears_in_logs_tables_or_files(tmp_path: Path) -> None:
    sim = start_simulator()
    try:
        path = tmp_path / "scoro.duckdb"
        env = {
            **os.environ,
            "RUNTIME__LOG_LEVEL": "DEBUG",
            "SOURCES__SCORO__BASE_URL": sim.url,
            "SOURCES__SCORO__COMPANY_ACCOUNT_ID": TENANT,
        }
        completed = subprocess.run(
            [
                str(Path(sys.executable).parent / "scoro-warehouse"),
                "sync",
                "--api-key",
                API_KEY,
                "--duckdb",
                str(path),
                "--modules",
                "invoices,contacts",
                "--max-requests-per-second",
                "400",  # the default pace (10) would make this test wait 40 s for nothing
            ],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
        )
        assert completed.returncode == 0, completed.stderr[-2000:]
        assert "invoices" in completed.stdout  # it did log and print
        assert API_KEY not in completed.stdout and API_KEY not in completed.stderr
        with duckdb.connect(str(path), read_only=True) as connection:
            columns = connection.execute(
                "select table_schema, table_name, column_name from information_schema.columns "
                "where data_type = 'VARCHAR'"
            ).fetchall()
            for table_schema, table, column in columns:
                hits = connection.execute(
                    f'select count(*) from "{table_schema}"."{table}" where "{column}" like ?',
                    [f"%{API_KEY}%"],
                ).fetchone()[0]
                assert hits == 0, f"{table}.{column}"
        for file in tmp_path.rglob("*"):
            if file.is_file() and file.suffix != ".duckdb":
                assert API_KEY.encode() not in file.read_bytes(), file
    finally:
        sim.stop()


def test_malformed_value_is_flagged_and_nothing_else_is_lost(simulator, tmp_path: Path) -> None:
    company = simulator.company(TENANT)
    truth = company.truth()
    victim = truth["invoices"][3]["id"]
    simulator.faults.malformed(module="invoices", record_id=victim, field="sum", value="twelve")
    path = tmp_path / "scoro.duckdb"
    result = sync_into(path, simulator)
    assert result.issues == 1
    issues = read_table(path, "_scoro_load_issues", TENANT)
    assert [(i["module"], i["record_id"], i["field"], i["raw_value"]) for i in issues] == [
        ("invoices", str(victim), "sum", "twelve")
    ]
    rows = {r["id"]: r for r in read_table(path, "invoices", TENANT)}
    assert rows[victim]["sum"] is None  # flagged value, row kept
    for row in truth["invoices"]:
        if row["id"] == victim:
            row["sum"] = None
    assert differences(path, truth, TENANT) == []


def test_full_sweep_flags_records_deleted_long_ago(simulator, tmp_path: Path) -> None:
    path = tmp_path / "scoro.duckdb"
    sync_into(path, simulator)
    company = simulator.company(TENANT)
    purged = company.purge(module="invoices", count=2, seed=3)
    sync_into(path, simulator)  # an incremental sync cannot see them
    rows = {r["id"]: r for r in read_table(path, "invoices", TENANT)}
    assert not any(rows[int(i)]["is_deleted"] for i in purged)
    result = sync_into(path, simulator, full_sweep=True)
    assert result.swept_deleted.get("invoices") == len(purged)
    rows = {r["id"]: r for r in read_table(path, "invoices", TENANT)}
    assert all(rows[int(i)]["is_deleted"] for i in purged)
    live = [r for r in rows.values() if not r["is_deleted"]]
    assert len(live) == len([r for r in company.truth()["invoices"] if not r.get("is_deleted")])


def test_second_tenant_key_is_rejected_for_first_account(simulator, tmp_path: Path) -> None:
    """A wrong key is a clear error, not an empty mirror."""
    from pipelines.scoro.sync import sync

    try:
        sync(
            tmp_path / "x.duckdb",
            base_url=simulator.url,
            api_key=SECOND_API_KEY,
            company_account_id=TENANT,
            **FAST,
        )
    except Exception as error:  # dlt wraps the step failure
        message = str(error)
        assert "401" in message or "403" in message
        assert SECOND_API_KEY not in message
    else:
        raise AssertionError("a wrong API key must fail the sync")
