"""Benchmarks, printed as ratios: how sync and dbt build time grow with the company's size, and
what a no-change re-sync costs next to a full one.

    .venv/bin/python scripts/benchmark.py [--scales 1 5] [--no-dbt]

Timings are wall-clock on this machine; compare ratios, not seconds, across machines.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from pipelines.scoro.sync import sync  # noqa: E402
from pipelines.simulator import Simulator  # noqa: E402

TENANT, KEY = "bench-agency", "bench-key"


def measure(scale: int, workdir: Path, run_dbt: bool) -> dict[str, float]:
    simulator = Simulator(scale=scale, seed=42, tenants={TENANT: KEY}, rate_limit_per_second=10_000)
    simulator.start(port=0)
    path = workdir / f"scale{scale}.duckdb"
    settings = {"max_requests_per_second": 5_000.0, "max_workers": 4}
    try:
        started = time.perf_counter()
        full = sync(
            path, base_url=simulator.url, api_key=KEY, company_account_id=TENANT, **settings
        )
        full_seconds = time.perf_counter() - started
        started = time.perf_counter()
        again = sync(
            path, base_url=simulator.url, api_key=KEY, company_account_id=TENANT, **settings
        )
        resync_seconds = time.perf_counter() - started
    finally:
        simulator.stop()
    rows = sum(n for t, n in full.rows_loaded.items() if not t.startswith("_dlt"))
    result = {
        "rows": float(rows),
        "requests": float(sum(full.requests.values())),
        "full_sync_s": full_seconds,
        "resync_s": resync_seconds,
        "resync_requests": float(sum(again.requests.values())),
    }
    if run_dbt:
        env = {**os.environ, "SCORO_DUCKDB_PATH": str(path), "DBT_PROFILES_DIR": str(REPO)}
        env["DBT_TARGET_PATH"] = str(workdir / f"target{scale}")
        started = time.perf_counter()
        subprocess.run(
            [str(Path(sys.executable).parent / "dbt"), "build", "--quiet"],
            cwd=REPO,
            env=env,
            check=False,
            capture_output=True,
        )
        result["dbt_build_s"] = time.perf_counter() - started
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 5])
    parser.add_argument("--no-dbt", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        results = {s: measure(s, Path(tmp), not args.no_dbt) for s in args.scales}
    base = results[args.scales[0]]
    print(f"{'scale':>6} {'rows':>9} {'requests':>9} {'rows/s':>9} {'resync/full':>12}")
    for scale, r in results.items():
        print(
            f"{scale:>6} {r['rows']:>9.0f} {r['requests']:>9.0f} "
            f"{r['rows'] / r['full_sync_s']:>9.0f} {r['resync_s'] / r['full_sync_s']:>12.3f}"
        )
    for scale, r in results.items():
        if scale == args.scales[0]:
            continue
        rows_ratio = r["rows"] / base["rows"]
        print(
            f"scale {scale} vs {args.scales[0]}: {rows_ratio:.1f}x rows, "
            f"{r['full_sync_s'] / base['full_sync_s']:.1f}x sync time"
            + (
                f", {r['dbt_build_s'] / base['dbt_build_s']:.1f}x dbt build time"
                if "dbt_build_s" in r
                else ""
            )
        )
    for scale, r in results.items():
        print(
            f"scale {scale}: a no-change re-sync makes {r['resync_requests']:.0f} requests "
            f"({r['resync_requests'] / r['requests']:.3f} of a full sync's)"
        )


if __name__ == "__main__":
    main()
