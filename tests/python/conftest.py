"""Shared fixtures: a real simulator server on 127.0.0.1, real DuckDB files, real dbt runs."""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
import sys
import traceback
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from pipelines.scoro.sync import sync
from pipelines.simulator import Shapes, Simulator

REPO = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
TENANT = "demo-agency"
# The unified objects of schema accounting (the Profit and Loss Detail report among them).
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


# What the session shares (the shared company's sync and `dbt build`, and the module fixtures
# that build a warehouse or a site of their own) is built once per test run, whichever pytest-xdist
# worker needs it first; the other workers wait for it and use the same files (read-only). Tests
# go to the workers one at a time (`make test`: `--dist loadgroup`), longest first. (xdist_group
# marks cannot keep tests together: pytest 9 keeps a test's id where pytest-xdist 3.8 no longer
# adds the group to it.)
def built_once(
    tmp_path_factory: pytest.TempPathFactory, name: str, build: Callable[[Path], None]
) -> Path:
    """The folder `build(folder)` filled, built by the first worker of this run that asks (the
    others wait on a file lock); if that build failed, the others fail with its error."""
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # the run's folder, which holds each worker's own
    folder, failure = root / f"built-once-{name}", root / f"built-once-{name}.failed"
    with open(root / f"built-once-{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if failure.exists():
            pytest.fail(f"building {name} failed earlier in this run:\n{failure.read_text()}")
        if not (folder / ".built").exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            try:
                build(folder)
            except BaseException:
                failure.write_text(traceback.format_exc()[-6000:])
                raise
            (folder / ".built").touch()
    return folder


# The tests that take longest, started first so that no worker is left running one at the end:
# their own syncs and dbt runs, the first use of the shared builds, and the tests that mostly wait
# (for a server's rate limit, a timeout), which go first beside lint (`make test`); then whole
# modules whose tests each sync a company; the rest keep their order. xdist's loadgroup hands
# each worker two tests to start with (even and odd places here), then one at a time.
LONGEST_FIRST = (
    "test_docs_site.py::test_area_diagrams_cover_the_staging_layer",  # shared sync, build, docs
    "test_sync.py::test_sync_survives_429_storm_5xx_timeouts_and_truncated_bodies",
    "test_staging.py::test_orphan_invoice_fails_exactly_its_relationship_test",
    "test_sync.py::test_rate_limit_is_respected",
    "test_incremental_models.py::test_incremental_build_equals_a_full_refresh_after_changes",
    "test_ledger_hand_ledger.py::test_amount_due_and_remaining_credit_of_every_document",
    "test_sync.py::test_killed_sync_rerun_ends_equal_to_truth",
    "test_hostile_transport.py::test_a_reader_taking_the_file_during_the_sync_is_waited_for_or_named",
    "test_sync.py",
    "test_fill.py",
    "test_missing_warehouse.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    def rank(item: pytest.Item) -> int:
        for name in (f"{item.path.name}::{item.name}", item.path.name):
            if name in LONGEST_FIRST:
                return LONGEST_FIRST.index(name)
        return len(LONGEST_FIRST)

    items.sort(key=rank)  # stable: the others keep their order


@pytest.fixture
def simulator() -> Iterator[Simulator]:
    """A fresh company per test, for tests that change it."""
    sim = start_simulator()
    yield sim
    sim.stop()


@pytest.fixture(scope="session")
def shared_simulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Simulator]:
    """One company for the read-only tests of the whole session: never mutate it. Each worker
    serves its own, as of the day the run's first worker chose: the same company (same seed)."""

    def choose_the_day(folder: Path) -> None:
        today = datetime.now(ZoneInfo(SITE_TIMEZONE)).date()
        (folder / "as_of").write_text(today.isoformat())

    folder = built_once(tmp_path_factory, "shared-company", choose_the_day)
    sim = start_simulator(as_of=date.fromisoformat((folder / "as_of").read_text()))
    yield sim
    sim.stop()


@pytest.fixture(scope="session")
def synced_warehouse(shared_simulator: Simulator, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A DuckDB file holding one full sync of the shared company (synced once per run)."""

    def sync_the_company(folder: Path) -> None:
        result = sync_into(folder / "scoro.duckdb", shared_simulator)
        assert result.complete, result.summary()

    return built_once(tmp_path_factory, "synced", sync_the_company) / "scoro.duckdb"


def dbt_env(duckdb_path: Path, target_path: Path, **more: str) -> dict[str, str]:
    """The environment of a dbt run (or of a script calling dbt) on `duckdb_path`, its target
    folder and logs in `target_path`."""
    return {
        **os.environ,
        "SCORO_DUCKDB_PATH": str(duckdb_path),
        "DBT_PROFILES_DIR": str(REPO),
        "DBT_TARGET_PATH": str(target_path),
        "DBT_LOG_PATH": str(target_path / "logs"),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        **more,
    }


def run_in_repo(command: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        command, cwd=REPO, env=env, capture_output=True, text=True, timeout=1800, check=False
    )


def run_dbt(args: list[str], duckdb_path: Path, target_path: Path) -> subprocess.CompletedProcess:
    return run_in_repo([str(VENV_BIN / "dbt"), *args], dbt_env(duckdb_path, target_path))


def dbt_results(target_path: Path) -> list[dict]:
    return json.loads((target_path / "run_results.json").read_text())["results"]


@pytest.fixture(scope="session")
def dbt_build(synced_warehouse: Path, tmp_path_factory: pytest.TempPathFactory):
    """`dbt build` on a copy of the synced file, once per run: (duckdb path, target dir,
    completed process)."""

    def build(folder: Path) -> None:
        shutil.copy(synced_warehouse, folder / "scoro.duckdb")
        completed = run_dbt(["build"], folder / "scoro.duckdb", folder / "target")
        (folder / "completed.json").write_text(
            json.dumps({"args": completed.args, "returncode": completed.returncode})
        )
        (folder / "stdout.txt").write_text(completed.stdout)
        (folder / "stderr.txt").write_text(completed.stderr)

    folder = built_once(tmp_path_factory, "built", build)
    recorded = json.loads((folder / "completed.json").read_text())
    completed = subprocess.CompletedProcess(
        recorded["args"],
        recorded["returncode"],
        (folder / "stdout.txt").read_text(),
        (folder / "stderr.txt").read_text(),
    )
    return folder / "scoro.duckdb", folder / "target", completed


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
