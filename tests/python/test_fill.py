"""The in-process fill: the same loader over a transport that hands each request to the
simulator in this process. Its raw tables must be the ones a sync over HTTP writes."""

from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path
from typing import Any

import duckdb

from conftest import FAST, TENANT, VENV_BIN, start_simulator
from mirror import differences, row_counts
from pipelines.fill import sync_in_process
from pipelines.simulator import Simulator

# columns that name the load, not the data: a load id, a row id, the moment of the sync
_LOAD_COLUMNS = {"_dlt_load_id", "_dlt_id", "_scoro_synced_at", "listed_at"}


def raw_tables(path: Path) -> dict[str, Any]:
    """Every raw table of the file: its columns with their types, and its rows without the
    load's own columns, sorted."""
    out: dict[str, Any] = {}
    with duckdb.connect(str(path), read_only=True) as connection:
        tables = connection.execute(
            "select table_name from information_schema.tables "
            "where table_schema = 'scoro_raw' and table_name not like '_dlt%' order by 1"
        ).fetchall()
        for (table,) in tables:
            columns = connection.execute(
                "select column_name, data_type from information_schema.columns "
                "where table_schema = 'scoro_raw' and table_name = ? order by column_name",
                [table],
            ).fetchall()
            kept = [name for name, _ in columns if name not in _LOAD_COLUMNS]
            selected = ", ".join(f'"{name}"' for name in kept)
            rows = connection.execute(
                f'select {selected} from scoro_raw."{table}" order by all'
            ).fetchall()
            out[table] = {"columns": columns, "rows": rows}
    return out


def fingerprint(tables: dict[str, Any]) -> dict[str, tuple[int, str]]:
    """Per table: its row count and a hash of its columns, their types and every value."""
    return {
        table: (
            len(content["rows"]),
            hashlib.sha256(repr((content["columns"], content["rows"])).encode()).hexdigest()[:16],
        )
        for table, content in tables.items()
    }


def test_in_process_fill_writes_the_rows_a_sync_over_http_writes(
    shared_simulator: Simulator, synced_warehouse: Path, tmp_path: Path
) -> None:
    """The same company synced over HTTP (the session's warehouse) and filled in process:
    the same tables, row counts and content, row for row."""
    in_process = tmp_path / "in_process.duckdb"
    requests_before = shared_simulator.stats.count()
    result = sync_in_process(in_process, shared_simulator, TENANT, **FAST)
    assert result.complete, result.summary()
    # the requests went to the simulator's own handling, counted there like HTTP ones
    made = shared_simulator.stats.count() - requests_before
    assert made == sum(result.requests.values()) > 0
    expected, got = raw_tables(synced_warehouse), raw_tables(in_process)
    assert fingerprint(got) == fingerprint(expected)
    for table, content in expected.items():  # which rows differ, should the hashes not match
        assert got[table]["columns"] == content["columns"], table
        assert got[table]["rows"] == content["rows"], table
    assert row_counts(in_process, TENANT)["invoice_lines"] > 0


def test_in_process_fill_survives_the_simulators_faults(tmp_path: Path) -> None:
    """429s, 5xx and bodies cut in half reach the loader in process as over HTTP: retried."""
    simulator = start_simulator()
    try:
        simulator.faults.storm_429(3)
        simulator.faults.error_5xx(3)
        simulator.faults.truncate(3)
        path = tmp_path / "faults.duckdb"
        result = sync_in_process(path, simulator, TENANT, **FAST, max_retry_wait=0.05)
        assert result.complete, result.summary()
        assert simulator.faults.state()["truncate"] == 0
        truth = simulator.company(TENANT).truth()
        assert differences(path, truth, TENANT) == []
        assert row_counts(path, TENANT)["invoice_lines"] == len(truth["invoice_lines"])
    finally:
        simulator.stop()


def test_cli_fills_a_warehouse_in_process(tmp_path: Path) -> None:
    path = tmp_path / "filled.duckdb"
    completed = subprocess.run(
        [
            str(VENV_BIN / "scoro-warehouse"),
            "simulate",
            "--fill",
            str(path),
            "--scale",
            "0.2",
            "--as-of",
            "2026-06-30",
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-2000:]
    assert "demo-agency" in completed.stdout and "invoice_lines" in completed.stdout
    with duckdb.connect(str(path), read_only=True) as connection:
        (lines,) = connection.execute("select count(*) from scoro_raw.invoice_lines").fetchone()
    assert lines > 0
