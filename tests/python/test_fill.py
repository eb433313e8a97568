"""The in-process fill: the same loader over a transport that hands each request to the
simulator in this process. Its raw tables must be the ones a sync over HTTP writes."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import duckdb

from conftest import FAST, TENANT, VENV_BIN, start_simulator, sync_into
from mirror import differences, row_counts
from pipelines.fill import sync_in_process

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


def test_in_process_fill_writes_the_rows_a_sync_over_http_writes(tmp_path: Path) -> None:
    simulator = start_simulator()
    try:
        over_http = tmp_path / "http.duckdb"
        in_process = tmp_path / "in_process.duckdb"
        assert sync_into(over_http, simulator).complete
        simulator.stats.reset()
        result = sync_in_process(in_process, simulator, TENANT, **FAST)
        assert result.complete, result.summary()
        # the requests went to the simulator's own handling, counted there like HTTP ones
        assert simulator.stats.count() == sum(result.requests.values()) > 0
        expected, got = raw_tables(over_http), raw_tables(in_process)
        assert sorted(got) == sorted(expected)
        for table, content in expected.items():
            assert got[table]["columns"] == content["columns"], table
            assert got[table]["rows"] == content["rows"], table
        assert differences(in_process, simulator.company(TENANT).truth(), TENANT) == []
    finally:
        simulator.stop()


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
