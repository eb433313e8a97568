"""Shared fixtures: a real simulator server on 127.0.0.1, real DuckDB files, real dbt runs."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipelines.scoro.sync import sync
from pipelines.simulator import Shapes, Simulator

REPO = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
TENANT = "demo-agency"
API_KEY = "demo-api-key-7f3c9e"
SECOND_TENANT = "second-agency"
SECOND_API_KEY = "second-api-key-51ab0d"
SITE_TIMEZONE = "Europe/Tallinn"
FAST = {"max_requests_per_second": 400.0, "max_workers": 4, "site_timezone": SITE_TIMEZONE}
# The simulator's default shapes: what a real account sends (product, receipt and line custom
# fields, birthdays without a year). test_sync.py also syncs a company with every alternative
# shape switched on; the simulator's own tests check each shape's wire form without the loader.
LOADER_SHAPES = Shapes()


def start_simulator(**kwargs: object) -> Simulator:
    settings: dict[str, object] = {
        "scale": 1,
        "seed": 42,
        "tenants": {TENANT: API_KEY, SECOND_TENANT: SECOND_API_KEY},
        "rate_limit_per_second": 500,
        "site_timezone": SITE_TIMEZONE,
        "shapes": LOADER_SHAPES,
    }
    settings.update(kwargs)
    simulator = Simulator(**settings)  # type: ignore[arg-type]
    simulator.start(port=0)
    return simulator


def sync_into(path: Path, simulator: Simulator, tenant: str = TENANT, **settings: object):
    key = {TENANT: API_KEY, SECOND_TENANT: SECOND_API_KEY}[tenant]
    return sync(
        path,
        base_url=simulator.url,
        api_key=key,
        company_account_id=tenant,
        **{**FAST, **settings},
    )


# The session's shared company and what is built from it: with pytest-xdist (`make test` runs
# `-n auto --dist loadgroup`), every test that needs them runs in one worker, so the sync and
# the dbt build happen once, while the other workers run the tests with servers of their own.
# (Only speed depends on it: a worker that needs them anyway builds its own.) The last three
# fetch `built_warehouse` with `request.getfixturevalue`, which pytest cannot see ahead.
SHARED_FIXTURES = frozenset(
    {"shared_simulator", "synced_warehouse", "dbt_build", "built_warehouse"}
    | {"docs_warehouse", "readme_warehouse", "warehouse"}
)
SHARED_GROUP = "shared-warehouse"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if SHARED_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.xdist_group(SHARED_GROUP))


@pytest.fixture
def simulator() -> Iterator[Simulator]:
    """A fresh company per test, for tests that change it."""
    sim = start_simulator()
    yield sim
    sim.stop()


@pytest.fixture(scope="session")
def shared_simulator() -> Iterator[Simulator]:
    """One company for the read-only tests of the whole session: never mutate it."""
    sim = start_simulator()
    yield sim
    sim.stop()


@pytest.fixture(scope="session")
def synced_warehouse(shared_simulator: Simulator, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A DuckDB file holding one full sync of the shared company."""
    path = tmp_path_factory.mktemp("synced") / "scoro.duckdb"
    result = sync_into(path, shared_simulator)
    assert result.complete, result.summary()
    return path


def run_dbt(args: list[str], duckdb_path: Path, target_path: Path) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "SCORO_DUCKDB_PATH": str(duckdb_path),
        "DBT_PROFILES_DIR": str(REPO),
        "DBT_TARGET_PATH": str(target_path),
        "DBT_LOG_PATH": str(target_path / "logs"),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    return subprocess.run(
        [str(VENV_BIN / "dbt"), *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
    )


def dbt_results(target_path: Path) -> list[dict]:
    return json.loads((target_path / "run_results.json").read_text())["results"]


@pytest.fixture(scope="session")
def dbt_build(synced_warehouse: Path, tmp_path_factory: pytest.TempPathFactory):
    """`dbt build` on a copy of the synced file: (duckdb path, target dir, completed process)."""
    workdir = tmp_path_factory.mktemp("built")
    path = workdir / "scoro.duckdb"
    shutil.copy(synced_warehouse, path)
    target = workdir / "target"
    completed = run_dbt(["build"], path, target)
    return path, target, completed


@pytest.fixture(scope="session")
def built_warehouse(dbt_build) -> Path:
    """A DuckDB file on which `dbt build` ran green."""
    path, target, completed = dbt_build
    failures = [
        f"{r['unique_id']}: {r['status']} {r.get('message') or ''}"
        for r in dbt_results(target)
        if r["status"] not in ("success", "pass", "no-op")
    ]
    assert completed.returncode == 0 and not failures, (
        "dbt build failed:\n" + "\n".join(failures) + "\n" + completed.stdout[-3000:]
    )
    return path
