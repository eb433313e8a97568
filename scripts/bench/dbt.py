"""dbt against the same SQL run bare: fills, builds, and a replay of every executed node's
compiled SQL in one DuckDB connection, node by node."""

from __future__ import annotations

import json
import os
import shutil
import time
from datetime import date
from pathlib import Path
from typing import Any

import duckdb

from bench.procs import BIN, REPO, TENANT, Measured, measure

# runs of a node whose growth looks superlinear, timed again for its fastest time (a query of
# a few tens of ms on a shared machine is otherwise too noisy to tell)
RETIME_RUNS = 7
# the memory profiles.yml gives dbt's DuckDB, given to the bare connection too
MEMORY_LIMIT = os.environ.get("SCORO_DUCKDB_MEMORY_LIMIT", "3GB")
DBT_ENV = {"DBT_PROFILES_DIR": str(REPO), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}


def fill(path: Path, scale: float, as_of: date, mutate_percent: float | None = None) -> Measured:
    """`scoro-warehouse simulate --fill`: the in-process sync of the simulator's company (a
    second fill of the same company with `mutate_percent` changes that share of its
    documents first, and syncs incrementally)."""
    command = [
        str(BIN / "scoro-warehouse"),
        "simulate",
        "--fill",
        str(path),
        "--scale",
        str(scale),
        "--as-of",
        as_of.isoformat(),
        "--tenant",
        f"{TENANT}=bench-api-key",
    ]
    if mutate_percent is not None:
        command += ["--mutate-percent", str(mutate_percent)]
    path.parent.mkdir(parents=True, exist_ok=True)
    return measure(command).check("fill")


def copy_warehouse(source: Path, folder: Path) -> Path:
    """A copy of the file under the same name (DuckDB names the database after the file, and
    compiled SQL names the database) in `folder`, without the loader's working folder."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / source.name
    shutil.copyfile(source, target)
    return target


def dbt(args: list[str], path: Path, target: Path, *, check: bool = True) -> Measured:
    env = {
        **DBT_ENV,
        "SCORO_DUCKDB_PATH": str(path),
        "DBT_TARGET_PATH": str(target),
        "DBT_LOG_PATH": str(target / "logs"),
    }
    measured = measure([str(BIN / "dbt"), *args], env)
    return measured.check(f"dbt {' '.join(args)}") if check else measured


def timed_dbt(args: list[str], path: Path, target: Path) -> Measured:
    """`dbt <args>` timed with its project already parsed into `target` (partial parsing, as a
    user's repeated builds run): the time is the build's, not the first parse's."""
    dbt(["parse"], path, target)
    return dbt(args, path, target)


def incremental_models(target: Path) -> list[str]:
    """The models of the project (as the build in `target` parsed it) materialized
    incremental."""
    manifest = json.loads((target / "manifest.json").read_text())
    return sorted(
        node["name"]
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model"
        and node.get("config", {}).get("materialized") == "incremental"
    )


def failures(target: Path) -> list[str]:
    results = json.loads((target / "run_results.json").read_text())["results"]
    return [
        f"{r['unique_id']}: {r['status']}"
        for r in results
        if r["status"] not in ("success", "pass", "skipped", "no-op")
    ]


def seconds_by_kind(target: Path) -> dict[str, float]:
    """The build's node times summed per kind (model, test, unit_test, seed, ...), from its
    run_results.json: where a build's time went."""
    results = json.loads((target / "run_results.json").read_text())["results"]
    kinds: dict[str, float] = {}
    for result in results:
        kind = result["unique_id"].split(".", 1)[0]
        kinds[kind] = kinds.get(kind, 0.0) + result["execution_time"]
    return {kind: round(seconds, 3) for kind, seconds in sorted(kinds.items())}


def _relation(node: dict[str, Any]) -> str:
    return node.get("relation_name") or (
        f'"{node["database"]}"."{node["schema"]}"."{node.get("alias") or node["name"]}"'
    )


def executed_nodes(target: Path) -> list[dict[str, Any]]:
    """The nodes the build executed, in an order that respects their dependencies (the order
    they completed in: dbt starts a node only once its parents completed), each with its
    compiled SQL and materialization."""
    manifest = json.loads((target / "manifest.json").read_text())
    results = json.loads((target / "run_results.json").read_text())["results"]
    catalogue = {
        **manifest["nodes"],
        **manifest.get("unit_tests", {}),
    }

    def completed(result: dict[str, Any]) -> str:
        ends = [t.get("completed_at") or "" for t in result.get("timing", [])]
        return max(ends) if ends else ""

    nodes = []
    for result in sorted(results, key=completed):
        if result["status"] in ("skipped",):
            continue
        node = catalogue.get(result["unique_id"])
        if node is None:
            continue
        kind = node["resource_type"]
        materialized = node.get("config", {}).get("materialized")
        if kind == "model" and materialized == "ephemeral":
            continue
        nodes.append(
            {
                "unique_id": result["unique_id"],
                "resource_type": kind,
                "materialized": materialized,
                "relation": _relation(node) if kind in ("model", "seed") else None,
                "schema": node.get("schema"),
                "database": node.get("database"),
                "sql": result.get("compiled_code") or node.get("compiled_code") or "",
                "dbt_seconds": result.get("execution_time", 0.0),
            }
        )
    return nodes


def bare_replay(path: Path, nodes: list[dict[str, Any]], built: Path) -> dict[str, float]:
    """Runs every node's compiled SQL in one DuckDB connection on `path`: models as `create
    or replace table/view ... as`, tests and unit tests as `select count(*) from (...)`, seeds
    copied from the dbt-built file `built`. Returns seconds per node. A checkpoint (untimed)
    before each model keeps the write-ahead log of the models before it out of its time."""
    seconds: dict[str, float] = {}
    with duckdb.connect(str(path), config={"memory_limit": MEMORY_LIMIT}) as connection:
        connection.execute(f"attach '{built}' as dbt_built (read_only)")
        schemas = {(n["database"], n["schema"]) for n in nodes if n["relation"]}
        for database, schema in sorted(schemas):
            connection.execute(f'create schema if not exists "{database}"."{schema}"')
        for node in nodes:
            statement = _statement(node)
            if statement is None:
                continue
            if node["resource_type"] == "model":
                connection.execute("checkpoint")
            started = time.perf_counter()
            connection.execute(statement).fetchall()
            seconds[node["unique_id"]] = time.perf_counter() - started
    return seconds


def fastest(path: Path, node: dict[str, Any], runs: int = RETIME_RUNS) -> float:
    """The fastest of `runs` runs of a node's query on a built file, read only: a test as in
    the replay, a model's SQL as `select count(*) from (...)` (its query without the write)."""
    sql = node["sql"].rstrip().rstrip(";")
    statement = f"select count(*) from (\n{sql}\n) as bare_query"
    times = []
    config = {"memory_limit": MEMORY_LIMIT}
    with duckdb.connect(str(path), read_only=True, config=config) as connection:
        for _ in range(runs):
            started = time.perf_counter()
            connection.execute(statement).fetchall()
            times.append(time.perf_counter() - started)
    return min(times)


def _statement(node: dict[str, Any]) -> str | None:
    kind, sql = node["resource_type"], node["sql"].rstrip().rstrip(";")
    if kind == "seed":
        name = node["relation"].split(".", 1)[1]
        return f"create or replace table {node['relation']} as select * from dbt_built.{name}"
    if kind == "model":
        view = node["materialized"] == "view"
        what = "view" if view else "table"
        return f"create or replace {what} {node['relation']} as (\n{sql}\n)"
    if kind in ("test", "unit_test") and sql:
        return f"select count(*) from (\n{sql}\n) as bare_test"
    return None


def build_and_replay(raw: Path, workdir: Path, *, run_too: bool = True) -> dict[str, Any]:
    """On copies of one raw file: `dbt build` (timed, peak memory), `dbt run` (timed), and the
    bare replay of the build's nodes. Returns their times and the per-node bare times."""
    built = copy_warehouse(raw, workdir / "dbt_build")
    build = timed_dbt(["build"], built, workdir / "dbt_build" / "target")
    out: dict[str, Any] = {
        "dbt_build_seconds": build.seconds,
        "dbt_build_peak_rss_bytes": build.peak_rss_bytes,
        "dbt_build_failures": failures(workdir / "dbt_build" / "target"),
    }
    if run_too:
        ran = copy_warehouse(raw, workdir / "dbt_run")
        dbt(["seed"], ran, workdir / "dbt_run" / "target")  # `dbt run` reads the seeds
        out["dbt_run_seconds"] = timed_dbt(["run"], ran, workdir / "dbt_run" / "target").seconds
        (workdir / "dbt_run" / ran.name).unlink()
    nodes = executed_nodes(workdir / "dbt_build" / "target")
    bare = copy_warehouse(raw, workdir / "bare")
    per_node = bare_replay(bare, nodes, built)
    out["bare_seconds"] = sum(per_node.values())
    out["bare_model_seconds"] = sum(
        s
        for n in nodes
        if n["resource_type"] in ("model", "seed")
        for s in [per_node.get(n["unique_id"], 0)]
    )
    out["bare_per_node"] = per_node
    out["nodes"] = {n["unique_id"]: n for n in nodes if n["unique_id"] in per_node}
    out["built_path"] = built
    out["ratio"] = build.seconds / out["bare_seconds"]
    bare.unlink()
    return out
