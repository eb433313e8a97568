"""The three-engine run behind `make test-warehouses`: one demo company, two tenants, loaded and
built on DuckDB, Postgres and Spark, then read back for comparison.

- The company is synced twice into DuckDB and into Postgres: a full sync of both tenants, then,
  after the simulator changed, added and deleted records and purged two invoices (deleted long
  ago: only a full id sweep finds them), an incremental sync with the full sweep. Both mirrors
  then hold the merged state, with deletes flagged, of both tenants.
- DuckDB: `sync` into a DuckDB file (the default destination), `dbt build`.
- Postgres: a throwaway server (postgres_cluster.py); `sync --destination postgres` through
  dlt's postgres destination (credentials from DESTINATION__POSTGRES__CREDENTIALS), `dbt build
  --target postgres`.
- Spark: the DuckDB mirror's raw tables exported to parquet (`export-parquet`), registered by
  the on-run-start hook of `dbt build --target spark` (var scoro_raw_parquet_location), Spark in
  local mode inside dbt's process (dbt-spark's session method).

Every build uses the same as-of date for the ageing reports. The three builds run at the same
time (Spark's, the longest, sets the pace). dbt's and Spark's output goes to log files in the
run's folder (kept with SCORO_WAREHOUSES_KEEP=<folder>); the tests' reports (timings, dbt's
PASS/WARN/ERROR counts, the comparison table) are printed at the end of the pytest run.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
# the hostile server and the truth comparison of tests/python, reused against Postgres
sys.path.insert(0, str(REPO / "tests" / "python"))

from engines import DuckDBEngine, PostgresEngine, SparkEngine  # noqa: E402
from postgres_cluster import ThrowawayPostgres, start_throwaway_postgres  # noqa: E402

from pipelines.scoro.parquet_export import export_parquet  # noqa: E402
from pipelines.scoro.sync import SyncResult, sync  # noqa: E402
from pipelines.simulator import Simulator  # noqa: E402

VENV_BIN = Path(sys.executable).parent
TENANTS = {"demo-agency": "demo-api-key-7f3c9e", "second-agency": "second-api-key-51ab0d"}
SITE_TIMEZONE = "Europe/Tallinn"
SYNC_SETTINGS = {"max_requests_per_second": 400.0, "max_workers": 4, "site_timezone": SITE_TIMEZONE}
RAW_SCHEMA = "scoro_raw"
ENGINES = ("duckdb", "postgres", "spark")
REPORTS: list[str] = []
# the comparison tables and dbt's logs, kept after the run (logs/ is not committed)
REPORT_DIR = REPO / "logs" / "warehouses"


def pytest_terminal_summary(terminalreporter) -> None:
    if REPORTS:
        terminalreporter.section("the same models on DuckDB, Postgres and Spark")
        for text in REPORTS:
            terminalreporter.write_line(text)


@pytest.fixture(scope="session")
def report():
    """report(text): printed at the end of the run, after pytest's own summary."""
    return REPORTS.append


@dataclass
class Build:
    engine: str
    seconds: float
    returncode: int
    log: Path
    statuses: Counter = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)
    done_line: str = ""

    @property
    def green(self) -> bool:
        return self.returncode == 0 and not self.failures


@dataclass
class Run:
    workdir: Path
    as_of_date: str
    load_seconds: dict[str, float]
    builds: dict[str, Build]
    engines: dict[str, object]
    # the simulator's truth per tenant after the changes, and what the last syncs reported
    truths: dict[str, dict] = field(default_factory=dict)
    last_syncs: dict[str, dict[str, SyncResult]] = field(default_factory=dict)
    # ids of the purged invoices, and when each mirror's full-sweep syncs ran
    purged: list = field(default_factory=list)
    sweep_window: dict[str, tuple[dt.datetime, dt.datetime]] = field(default_factory=dict)
    postgres_url: str = ""
    # where the comparison tables and dbt's logs are kept after the run (logs/warehouses)
    report_dir: Path = REPORT_DIR


def spark_settings(spark_dir: Path) -> dict[str, str]:
    """The spark target's session settings (profiles.yml) for the comparison's own session."""
    return {
        "spark.master": "local[2]",
        "spark.sql.warehouse.dir": f"{spark_dir}/warehouse",
        "spark.driver.extraJavaOptions": f"-Dderby.system.home={spark_dir}",
        "spark.sql.session.timeZone": "UTC",
        "spark.sql.shuffle.partitions": "2",
        "spark.ui.enabled": "false",
        "spark.ui.showConsoleProgress": "false",
    }


def run_dbt(engine: str, workdir: Path, env: dict[str, str], dbt_vars: dict[str, str]) -> Build:
    target = workdir / f"target-{engine}"
    REPORT_DIR.mkdir(parents=True, exist_ok=True)
    log = REPORT_DIR / f"dbt-build-{engine}.log"
    command = [
        str(VENV_BIN / "dbt"),
        "build",
        "--target",
        engine,
        "--vars",
        json.dumps(dbt_vars),
    ]
    environment = {
        **os.environ,
        **env,
        "DBT_PROFILES_DIR": str(REPO),
        "DBT_TARGET_PATH": str(target),
        "DBT_LOG_PATH": str(target / "logs"),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    started = time.monotonic()
    with log.open("w") as output:
        completed = subprocess.run(
            command,
            cwd=REPO,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
            timeout=3600,
            check=False,
        )
    build = Build(engine, time.monotonic() - started, completed.returncode, log)
    done = re.findall(
        r"Done\. PASS=\d+ WARN=\d+ ERROR=\d+ SKIP=\d+ NO-OP=\d+ TOTAL=\d+", log.read_text()
    )
    build.done_line = done[-1] if done else "(no summary: see the log)"
    results_file = target / "run_results.json"
    if results_file.exists():
        for result in json.loads(results_file.read_text())["results"]:
            build.statuses[result["status"]] += 1
            if result["status"] not in ("success", "pass", "no-op"):
                message = (result.get("message") or "")[:500]
                build.failures.append(f"{result['unique_id']}: {result['status']} {message}")
    return build


def _sync_all(
    simulator: Simulator, duckdb_path: Path, destination: str, **settings
) -> dict[str, SyncResult]:
    results = {}
    for tenant, api_key in TENANTS.items():
        result = sync(
            duckdb_path,
            base_url=simulator.url,
            api_key=api_key,
            company_account_id=tenant,
            destination=destination,
            **{**SYNC_SETTINGS, **settings},
        )
        assert result.complete, result.summary()
        results[tenant] = result
    return results


@pytest.fixture(scope="session")
def postgres() -> Iterator[ThrowawayPostgres]:
    server = start_throwaway_postgres()
    yield server
    server.stop()


@pytest.fixture
def fresh_database(postgres: ThrowawayPostgres, request: pytest.FixtureRequest) -> str:
    """The URL of a new empty database on the throwaway server, for one test."""
    digest = hashlib.sha256(request.node.nodeid.encode()).hexdigest()[:8]
    name = "t_" + re.sub(r"[^a-z0-9]+", "_", request.node.name.lower())[:40] + "_" + digest
    return postgres.create_database(name)


@pytest.fixture(scope="session")
def warehouses(postgres: ThrowawayPostgres) -> Iterator[Run]:
    os.environ["TZ"] = "UTC"
    time.tzset()
    keep = os.environ.get("SCORO_WAREHOUSES_KEEP")
    workdir = Path(keep) if keep else Path(tempfile.mkdtemp(prefix="scoro-warehouses-"))
    workdir.mkdir(parents=True, exist_ok=True)
    duckdb_path = workdir / "scoro.duckdb"
    parquet_dir = workdir / "raw_parquet"
    spark_dir = workdir / "spark"
    spark_dir.mkdir(exist_ok=True)
    as_of = dt.date.today().isoformat()
    os.environ["DESTINATION__POSTGRES__CREDENTIALS"] = postgres.url

    load_seconds: dict[str, float] = {}
    simulator = Simulator(
        scale=1,
        seed=42,
        tenants=TENANTS,
        rate_limit_per_second=500,
        site_timezone=SITE_TIMEZONE,
    )
    simulator.start(port=0)
    mirrors = {"duckdb": duckdb_path, "postgres": workdir / "postgres-state" / "scoro.duckdb"}
    last_syncs: dict[str, dict[str, SyncResult]] = {}
    try:
        for destination, path in mirrors.items():
            started = time.monotonic()
            _sync_all(simulator, path, destination)
            load_seconds[destination] = time.monotonic() - started
        company = simulator.company(next(iter(TENANTS)))
        company.mutate(changed=5, added=3, deleted=2, seed=7)
        purged = company.purge(module="invoices", count=2, seed=3)
        sweep_window = {}
        for destination, path in mirrors.items():
            started, sweep_started = time.monotonic(), dt.datetime.now(dt.UTC)
            last_syncs[destination] = _sync_all(simulator, path, destination, full_sweep=True)
            sweep_window[destination] = (sweep_started, dt.datetime.now(dt.UTC))
            load_seconds[destination] += time.monotonic() - started
        truths = {tenant: simulator.company(tenant).truth() for tenant in TENANTS}
    finally:
        simulator.stop()
    started = time.monotonic()
    export_parquet(duckdb_path, parquet_dir)
    load_seconds["spark"] = time.monotonic() - started

    dbt_vars = {"scoro_as_of_date": as_of}
    envs = {
        "duckdb": {"SCORO_DUCKDB_PATH": str(duckdb_path)},
        "postgres": postgres.env,
        "spark": {"SCORO_SPARK_DIR": str(spark_dir)},
    }
    engine_vars = {
        "duckdb": dbt_vars,
        "postgres": dbt_vars,
        "spark": {**dbt_vars, "scoro_raw_parquet_location": str(parquet_dir)},
    }
    # Spark's build is the longest: start it first, DuckDB's and Postgres's run beside it
    with ThreadPoolExecutor(max_workers=2) as pool:
        spark = pool.submit(run_dbt, "spark", workdir, envs["spark"], engine_vars["spark"])
        others = pool.submit(
            lambda: {
                e: run_dbt(e, workdir, envs[e], engine_vars[e]) for e in ("duckdb", "postgres")
            }
        )
        builds = {**others.result(), "spark": spark.result()}

    engines = {
        "duckdb": DuckDBEngine(duckdb_path),
        "postgres": PostgresEngine(postgres.url),
        "spark": SparkEngine(spark_dir, spark_settings(spark_dir)),
    }
    yield Run(
        workdir,
        as_of,
        load_seconds,
        builds,
        engines,
        truths=truths,
        last_syncs=last_syncs,
        purged=purged,
        sweep_window=sweep_window,
        postgres_url=postgres.url,
    )
    for engine in engines.values():
        engine.close()
    if not keep:
        shutil.rmtree(workdir, ignore_errors=True)
