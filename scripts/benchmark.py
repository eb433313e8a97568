"""`make bench`: the project's speed as ratios, each measured side by side in this one run on
the same data, printed as a table and written to target/bench.json.

    .venv/bin/python scripts/benchmark.py [--scale 100] [--sync-scale 20] [--growth 10 100]
    make bench BENCH_SCALE=925          # 1,000,000 invoice lines (about 1,087 per unit of scale)

--scale is the company of the big measurements (100: about 109,000 invoice lines; 925: about
1,005,000): dbt build ÷ the same SQL bare, peak memory of the fill and of dbt build, and an
incremental build after 1 % of the documents changed ÷ a full build (reported "not measured"
while no model is incremental). The sync is measured over HTTP against a simulator in its own
process at --sync-scale (20, or --scale when smaller); growth compares scale k with 10·k (10
and 100, or --scale/10 and --scale when --scale is under 100).

Seconds on a shared machine are noise; the ratios are what to compare. Each ratio's two sides
run back to back on identical copies of one file"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import dbt as dbt_bench  # noqa: E402
from bench import sync as sync_bench  # noqa: E402
from bench.procs import REPO  # noqa: E402

GB = 1024**3
# a node faster than this at the big scale is too small to judge its growth: its time is the
# fixed cost of a query, not the work on the data
MIN_NODE_SECONDS = 0.02
# growth of 10× the data past which a node is named superlinear (n·log n at this size is ~12×)
SUPERLINEAR = 11.0
# a company this small (about 60 invoices) has the big one's models and tests and almost no
# data: its full `dbt build` is what dbt's fixed cost per node adds to every build
FLOOR_SCALE = 0.2
GOALS = {
    "sync_vs_bare_fetch": ("<=", 1.2),
    "rate_limited_achieved_vs_limit": (">=", 0.9),
    "no_change_resync_requests_vs_minimal": ("<=", 1.05),
    "one_percent_resync_requests_vs_minimal": ("<=", 1.05),
    "dbt_build_vs_bare_sql": ("<=", 1.5),
    "growth_sync": ("<=", 11.0),
    "growth_dbt_run": ("<=", 11.0),
    "growth_worst_node": ("<=", 11.0),
    "peak_rss_sync_gb": ("<=", 4.0),
    "peak_rss_dbt_build_gb": ("<=", 4.0),
    "incremental_vs_full_build": ("<=", 0.15),
}


def machine() -> dict[str, Any]:
    memory = 0
    with open("/proc/meminfo") as meminfo:
        for line in meminfo:
            if line.startswith("MemTotal:"):
                memory = int(line.split()[1]) * 1024
    return {
        "cores": len(os.sched_getaffinity(0)),
        "memory_gb": round(memory / GB, 1),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "load_average_at_start": os.getloadavg(),
        # dbt's threads on DuckDB (profiles.yml: 1 unless SCORO_DBT_THREADS says otherwise)
        "dbt_threads": int(os.environ.get("SCORO_DBT_THREADS", "1")),
    }


def invoice_lines(path: Path) -> int:
    import duckdb

    with duckdb.connect(str(path), read_only=True) as connection:
        return int(connection.execute("select count(*) from scoro_raw.invoice_lines").fetchone()[0])


class Bench:
    def __init__(self, args: argparse.Namespace, workdir: Path) -> None:
        self.args = args
        self.workdir = workdir
        self.as_of: date = args.as_of
        self.filled: dict[float, dict[str, Any]] = {}
        self.built: dict[float, dict[str, Any]] = {}
        self.log: list[str] = []

    def say(self, text: str) -> None:
        stamp = datetime.now().strftime("%H:%M:%S")
        print(f"[{stamp}] {text}", flush=True)

    def fill(self, scale: float) -> dict[str, Any]:
        """The raw file of the company at `scale`, filled in process, with the fill's time and
        peak memory. A fill of the same company kept in --workdir by an earlier run is reused
        (its measurements were taken when it was made; the report says so)."""
        if scale not in self.filled:
            path = self.workdir / f"scale{scale:g}" / "raw" / "scoro.duckdb"
            made = path.parent / "fill.json"
            if self.args.reuse_fills and made.exists() and path.exists():
                kept = json.loads(made.read_text())
                if kept.get("as_of") == self.as_of.isoformat() and kept.get("scale") == scale:
                    self.say(f"fill scale {scale:g}: reused from {kept['made_at']}")
                    self.filled[scale] = {**kept, "path": path, "reused": True}
                    return self.filled[scale]
            self.say(f"fill scale {scale:g} (in process)")
            measured = dbt_bench.fill(path, scale, self.as_of)
            self.filled[scale] = {
                "path": path,
                "scale": scale,
                "as_of": self.as_of.isoformat(),
                "made_at": datetime.now(UTC).isoformat(timespec="seconds"),
                "seconds": measured.seconds,
                "peak_rss_bytes": measured.peak_rss_bytes,
                "invoice_lines": invoice_lines(path),
            }
            made.write_text(
                json.dumps({k: v for k, v in self.filled[scale].items() if k != "path"})
            )
            self.say(
                f"  {measured.seconds:.0f} s, {self.filled[scale]['invoice_lines']} invoice "
                f"lines, peak {measured.peak_rss_bytes / GB:.2f} GB"
            )
        return self.filled[scale]

    def build(self, scale: float, run_too: bool = True) -> dict[str, Any]:
        """`dbt build`, the bare replay and (for growth) `dbt run` at `scale`."""
        if scale not in self.built or (run_too and "dbt_run_seconds" not in self.built[scale]):
            raw = self.fill(scale)["path"]
            also = ", dbt run" if run_too else ""
            self.say(f"dbt build{also} and the bare SQL at scale {scale:g}")
            result = dbt_bench.build_and_replay(
                raw, self.workdir / f"scale{scale:g}", run_too=run_too
            )
            self.built[scale] = result
            self.say(
                f"  dbt build {result['dbt_build_seconds']:.0f} s, bare "
                f"{result['bare_seconds']:.0f} s, dbt run {result.get('dbt_run_seconds', 0):.0f} s"
            )
        return self.built[scale]

    def incremental(self, scale: float) -> dict[str, Any]:
        """1 % of the documents change; the re-sync lands in a built copy; then an incremental
        `dbt build` and a `dbt build --full-refresh` on two copies of that file, and, beside
        them, an incremental `dbt build` of the built file with nothing changed (what a build
        costs whatever the change), and a `dbt build` of a company of FLOOR_SCALE (the same
        nodes on almost no data: dbt's fixed cost, below which no build of this project goes).
        Not measured while no model is incremental (every build is then a full one)."""
        target = self.workdir / f"scale{scale:g}" / "dbt_build" / "target"
        incremental_models = dbt_bench.incremental_models(target)
        if not incremental_models:
            self.say("incremental build: not measured (no model is materialized incremental)")
            return {"measured": False, "reason": "no model is incremental", "ratio": None}
        built = self.workdir / f"scale{scale:g}" / "dbt_build" / "scoro.duckdb"
        folder = self.workdir / f"scale{scale:g}" / "changed"
        changed = dbt_bench.copy_warehouse(built, folder)
        self.say(f"1 % of the documents change at scale {scale:g}; incremental sync")
        resync = dbt_bench.fill(changed, scale, self.as_of, mutate_percent=1.0)
        increment = dbt_bench.copy_warehouse(changed, folder / "incremental")
        full = dbt_bench.copy_warehouse(changed, folder / "full")
        self.say("  incremental dbt build, then dbt build --full-refresh")
        inc = dbt_bench.timed_dbt(["build"], increment, folder / "incremental" / "target")
        ref = dbt_bench.timed_dbt(["build", "--full-refresh"], full, folder / "full" / "target")
        self.say("  incremental dbt build with nothing changed")
        unchanged = dbt_bench.copy_warehouse(built, folder / "unchanged")
        still = dbt_bench.timed_dbt(["build"], unchanged, folder / "unchanged" / "target")
        self.say(f"  dbt build of a scale {FLOOR_SCALE:g} company (the same nodes, no data)")
        tiny = self.fill(FLOOR_SCALE)["path"]
        floor = dbt_bench.copy_warehouse(tiny, folder / "floor")
        bottom = dbt_bench.timed_dbt(["build"], floor, folder / "floor" / "target")
        node_seconds = {
            name: dbt_bench.seconds_by_kind(folder / name / "target")
            for name in ("incremental", "full", "unchanged", "floor")
        }
        shutil.rmtree(folder, ignore_errors=True)
        self.say(
            f"  incremental {inc.seconds:.0f} s, full {ref.seconds:.0f} s, "
            f"nothing changed {still.seconds:.0f} s, scale {FLOOR_SCALE:g} {bottom.seconds:.0f} s"
        )
        return {
            "measured": True,
            "incremental_models": incremental_models,
            "resync_seconds": resync.seconds,
            "incremental_build_seconds": inc.seconds,
            "full_build_seconds": ref.seconds,
            "no_change_build_seconds": still.seconds,
            "no_change_vs_full": still.seconds / ref.seconds,
            "floor_scale": FLOOR_SCALE,
            "floor_build_seconds": bottom.seconds,
            "floor_vs_full": bottom.seconds / ref.seconds,
            "node_seconds_by_kind": node_seconds,
            "ratio": inc.seconds / ref.seconds,
        }

    def growth(self, small: float, big: float) -> dict[str, Any]:
        """time(big) ÷ time(small) of the sync, `dbt run`, `dbt build`, the bare SQL and every
        model and test. A node that seems to grow more than 11× is timed again, its fastest of
        several runs at each scale, before it is named."""
        a, b = self.build(small), self.build(big)
        fa, fb = self.fill(small), self.fill(big)
        nodes: dict[str, Any] = {}
        for unique_id, seconds in b["bare_per_node"].items():
            before = a["bare_per_node"].get(unique_id)
            if before is None or before <= 0:
                continue
            node = {"small_seconds": before, "big_seconds": seconds}
            node["judged"] = seconds >= MIN_NODE_SECONDS
            node["ratio"] = seconds / before
            if node["judged"] and node["ratio"] > SUPERLINEAR:
                node["small_seconds"] = dbt_bench.fastest(a["built_path"], a["nodes"][unique_id])
                node["big_seconds"] = dbt_bench.fastest(b["built_path"], b["nodes"][unique_id])
                node["ratio"] = node["big_seconds"] / node["small_seconds"]
                node["timed_again"] = True
            nodes[unique_id] = node
        judged = {k: v for k, v in nodes.items() if v["judged"]}
        worst = max(judged.items(), key=lambda kv: kv[1]["ratio"], default=(None, None))
        return {
            "scales": [small, big],
            "invoice_lines": [fa["invoice_lines"], fb["invoice_lines"]],
            "data_ratio": fb["invoice_lines"] / fa["invoice_lines"],
            "sync": fb["seconds"] / fa["seconds"],
            "dbt_run": b["dbt_run_seconds"] / a["dbt_run_seconds"],
            "dbt_build": b["dbt_build_seconds"] / a["dbt_build_seconds"],
            "bare_sql": b["bare_seconds"] / a["bare_seconds"],
            "worst_node": worst[0],
            "worst_node_ratio": worst[1]["ratio"] if worst[1] else None,
            "superlinear": sorted(k for k, v in judged.items() if v["ratio"] > SUPERLINEAR),
            "judged": len(judged),
            "too_small_to_judge": sorted(k for k, v in nodes.items() if not v["judged"]),
            "nodes": nodes,
        }


def verdict(name: str, value: float | None) -> str:
    if value is None:
        return "not measured"
    op, goal = GOALS[name]
    met = value <= goal if op == "<=" else value >= goal
    return "yes" if met else "NO"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--scale", type=float, default=100.0, help="big company (100; 925 for 1M invoice lines)"
    )
    parser.add_argument("--sync-scale", type=float, default=None, help="HTTP sync (20)")
    parser.add_argument("--sync-rounds", type=int, default=2, help="sync + bare pairs (2)")
    parser.add_argument("--growth", type=float, nargs=2, default=None, metavar=("K", "10K"))
    parser.add_argument("--rate-limit", type=float, default=25.0, help="server limit R (25/s)")
    parser.add_argument(
        "--rate-limit-scale", type=float, default=1.0, help="company synced under R (1)"
    )
    parser.add_argument(
        "--as-of",
        type=date.fromisoformat,
        default=date.today(),
        help="the simulated companies' last business day (today)",
    )
    parser.add_argument("--workdir", type=Path, default=None, help="keep the files here")
    parser.add_argument(
        "--reuse-fills",
        action="store_true",
        help="reuse raw files an earlier run left in --workdir for the same scale and --as-of",
    )
    parser.add_argument(
        "--only-fill",
        action="store_true",
        help="fill the company at --scale into --workdir and stop (for --reuse-fills later)",
    )
    parser.add_argument(
        "--skip-http", action="store_true", help="leave out the syncs over HTTP and rate limit"
    )
    parser.add_argument("--skip-growth", action="store_true", help="leave out the growth")
    parser.add_argument("--output", type=Path, default=REPO / "target" / "bench.json")
    args = parser.parse_args(argv)
    scale = args.scale
    sync_scale = args.sync_scale or min(20.0, scale)
    growth = args.growth or ((10.0, 100.0) if scale >= 100 else (scale / 10, scale))
    started = time.time()
    report: dict[str, Any] = {
        "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "scale": scale,
        "sync_scale": sync_scale,
        "growth_scales": list(growth),
    }
    temporary = args.workdir is None
    workdir = Path(tempfile.mkdtemp(prefix="scoro-bench-")) if temporary else args.workdir
    workdir.mkdir(parents=True, exist_ok=True)
    bench = Bench(args, workdir)
    if args.only_fill:
        filled = bench.fill(scale)
        print(json.dumps({k: v for k, v in filled.items() if k != "path"}, default=str))
        return 0
    per_node = ("bare_per_node", "nodes", "built_path")

    def save() -> None:
        """Writes what is measured so far (a run cut short still leaves its numbers)."""
        report["machine"]["load_average_at_end"] = os.getloadavg()
        report["minutes"] = round((time.time() - started) / 60, 1)
        report["ratios"] = ratios(report)
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(json.dumps(report, indent=2, default=str))

    try:
        big = bench.fill(scale)
        report["invoice_lines"] = big["invoice_lines"]
        report["fill"] = {k: v for k, v in big.items() if k != "path"}
        save()
        built = bench.build(scale, run_too=scale in growth)
        report["build"] = {k: v for k, v in built.items() if k not in per_node}
        save()
        if args.skip_http:
            bench.say("sync over HTTP and under a rate limit: skipped (--skip-http)")
        else:
            http(bench, report, sync_scale)
            save()
        report["incremental"] = bench.incremental(scale)
        save()
        if args.skip_growth:
            bench.say("growth: skipped (--skip-growth)")
        else:
            report["growth"] = bench.growth(*growth)
            save()
        for built in list(bench.built):  # the built copies are no longer needed
            for folder in (workdir / f"scale{built:g}").iterdir():
                if folder.name != "raw":
                    shutil.rmtree(folder, ignore_errors=True)
    finally:
        if temporary:
            shutil.rmtree(workdir, ignore_errors=True)
    save()
    print_table(report)
    print(f"written to {args.output}")
    return 0


def http(bench: Bench, report: dict[str, Any], sync_scale: float) -> None:
    """The sync over HTTP next to a bare fetch, its re-syncs, and the sync under a rate limit."""
    args = bench.args
    bench.say(f"sync over HTTP vs a bare fetch, scale {sync_scale:g}, {args.sync_rounds} rounds")
    report["sync"] = sync_bench.sync_vs_bare(
        sync_scale, bench.as_of.isoformat(), bench.workdir, args.sync_rounds
    )
    bench.say(f"  ratio {report['sync']['ratio']:.2f}; re-syncs {report['sync']['resync']}")
    bench.say(f"sync under a server rate limit of {args.rate_limit:g}/s")
    report["rate_limit"] = sync_bench.rate_limited(
        args.rate_limit, args.rate_limit_scale, bench.as_of.isoformat(), bench.workdir
    )
    bench.say(f"  achieved {report['rate_limit']['achieved_per_second']:.1f}/s")


def ratios(report: dict[str, Any]) -> dict[str, Any]:
    """The table's ratios from what the report holds; None (not measured) where it has none."""

    def get(*path: str) -> Any:
        value: Any = report
        for key in path:
            if not isinstance(value, dict) or value.get(key) is None:
                return None
            value = value[key]
        return value

    def gb(value: Any) -> float | None:
        return value / GB if value is not None else None

    values = {
        "sync_vs_bare_fetch": get("sync", "ratio"),
        "rate_limited_achieved_vs_limit": get("rate_limit", "ratio"),
        "no_change_resync_requests_vs_minimal": get("sync", "resync", "no_change", "ratio"),
        "one_percent_resync_requests_vs_minimal": get("sync", "resync", "one_percent", "ratio"),
        "dbt_build_vs_bare_sql": get("build", "ratio"),
        "growth_sync": get("growth", "sync"),
        "growth_dbt_run": get("growth", "dbt_run"),
        "growth_worst_node": get("growth", "worst_node_ratio"),
        "peak_rss_sync_gb": gb(get("fill", "peak_rss_bytes")),
        "peak_rss_dbt_build_gb": gb(get("build", "dbt_build_peak_rss_bytes")),
        "incremental_vs_full_build": get("incremental", "ratio"),
    }
    return {
        name: {
            "value": value,
            "goal": f"{GOALS[name][0]} {GOALS[name][1]:g}",
            "met": verdict(name, value),
        }
        for name, value in values.items()
    }


def print_table(report: dict[str, Any]) -> None:
    m = report["machine"]
    print()
    print(
        f"scale {report['scale']:g} ({report.get('invoice_lines', 0):,} invoice lines); "
        f"HTTP sync at scale {report['sync_scale']:g}; growth {report['growth_scales'][0]:g} -> "
        f"{report['growth_scales'][1]:g}; {m['cores']} cores, {m['memory_gb']} GB; load "
        f"{m['load_average_at_start'][0]:.1f} -> {m['load_average_at_end'][0]:.1f}; "
        f"dbt threads {m.get('dbt_threads', '?')}"
    )
    print(f"{'measure':<44} {'value':>9}  {'goal':<8} met   (fill and dbt build: big scale)")
    for name, entry in report["ratios"].items():
        value = entry["value"]
        shown = f"{value:9.3f}" if value is not None else "      n/a"
        print(f"{name:<44} {shown}  {entry['goal']:<8} {entry['met']}")
    incremental = report.get("incremental") or {}
    if incremental.get("no_change_vs_full") is not None:
        print(
            "incremental build with nothing changed / full build: "
            f"{incremental['no_change_vs_full']:.3f} (what every build costs, whatever the change)"
        )
    if incremental.get("floor_vs_full") is not None:
        print(
            f"full build of a scale {incremental['floor_scale']:g} company / full build: "
            f"{incremental['floor_vs_full']:.3f} (dbt's fixed cost of the same nodes, no data)"
        )
    growth = report.get("growth") or {}
    if not growth:
        return
    if growth["worst_node"]:
        print(f"worst-growing node: {growth['worst_node']} ({growth['worst_node_ratio']:.1f}x)")
    print(f"superlinear nodes (> 11x): {', '.join(growth['superlinear']) or 'none'}")
    small = len(growth["too_small_to_judge"])
    print(f"nodes under {MIN_NODE_SECONDS * 1000:g} ms at the big scale (not judged): {small}")


if __name__ == "__main__":
    sys.exit(main())
