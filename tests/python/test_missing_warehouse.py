"""dbt pointed at a DuckDB file that does not exist stops at once, says what to run, and
creates nothing (profiles.yml loads pipelines/dbt_duckdb_guard.py as a dbt-duckdb plugin).
Commands that never open the database still work without it."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import run_dbt


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One folder for the module, so that dbt's partial parsing carries over between runs."""
    return tmp_path_factory.mktemp("missing")


@pytest.mark.parametrize("command", [["build"], ["run", "--select", "staging"]])
def test_dbt_stops_before_creating_a_missing_warehouse(workdir: Path, command: list[str]) -> None:
    path = workdir / "scoro.duckdb"
    completed = run_dbt(command, path, workdir / "target")
    output = completed.stdout + completed.stderr
    assert completed.returncode != 0, output[-2000:]
    assert f"SCORO_DUCKDB_PATH={path} does not exist" in output, output[-2000:]
    assert "`make demo`" in output and f"scoro-warehouse sync --duckdb {path}" in output
    created = sorted(p.name for p in workdir.iterdir() if p.name.startswith("scoro.duckdb"))
    assert not created, f"dbt {' '.join(command)} created {created}"
    # No misleading later failure: dbt ran no model or test at all.
    assert "unit_test" not in output and "START sql" not in output


def test_parse_needs_no_warehouse(workdir: Path) -> None:
    path = workdir / "scoro.duckdb"
    completed = run_dbt(["parse"], path, workdir / "target")
    assert completed.returncode == 0, completed.stdout[-2000:]
    assert (workdir / "target" / "manifest.json").is_file()
    assert not path.exists()
