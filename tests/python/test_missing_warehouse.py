"""dbt pointed at a DuckDB file that does not exist stops at once, says what to run, and
creates nothing (profiles.yml loads pipelines/dbt_duckdb_guard.py as a dbt-duckdb plugin).
Commands that never open the database still work without it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import built_once, run_dbt


@pytest.fixture(scope="module")
def parsed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One folder per run (conftest.built_once) whose scoro.duckdb is never created, and what
    `dbt parse` pointed at it did there: its target dir and outcome. The tests' own dbt runs copy
    that target dir and point at the same path, so that dbt's partial parsing carries over."""

    def parse(folder: Path) -> None:
        completed = run_dbt(["parse"], folder / "scoro.duckdb", folder / "target")
        outcome = {"returncode": completed.returncode, "stdout": completed.stdout[-2000:]}
        (folder / "parse.json").write_text(json.dumps(outcome))

    return built_once(tmp_path_factory, "missing-warehouse", parse)


def created(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("scoro.duckdb"))


@pytest.mark.parametrize("command", [["build"], ["run", "--select", "staging"]])
def test_dbt_stops_before_creating_a_missing_warehouse(
    parsed: Path, tmp_path: Path, command: list[str]
) -> None:
    path = parsed / "scoro.duckdb"
    shutil.copytree(parsed / "target", tmp_path / "target")
    completed = run_dbt(command, path, tmp_path / "target")
    output = completed.stdout + completed.stderr
    assert completed.returncode != 0, output[-2000:]
    assert f"SCORO_DUCKDB_PATH={path} does not exist" in output, output[-2000:]
    assert "`make demo`" in output and f"scoro-warehouse sync --duckdb {path}" in output
    assert not created(parsed), f"dbt {' '.join(command)} created {created(parsed)}"
    # No misleading later failure: dbt ran no model or test at all.
    assert "unit_test" not in output and "START sql" not in output


def test_parse_needs_no_warehouse(parsed: Path) -> None:
    outcome = json.loads((parsed / "parse.json").read_text())
    assert outcome["returncode"] == 0, outcome["stdout"]
    assert (parsed / "target" / "manifest.json").is_file()
    assert not (parsed / "scoro.duckdb").exists()
