"""scoro-warehouse: sync a Scoro account into DuckDB, or serve the simulator."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

DEFAULT_DUCKDB = "data/scoro.duckdb"
EXIT_DAILY_LIMIT = 3


def _sync(args: argparse.Namespace) -> int:
    from pipelines.scoro.sync import sync

    settings = {
        "site_timezone": args.site_timezone,
        "lookback_minutes": args.lookback_minutes,
        "full_sweep": args.full_sweep or None,
        "modules": args.modules.split(",") if args.modules else None,
        "max_requests_per_second": args.max_requests_per_second,
        "max_workers": args.max_workers,
        "request_timeout": args.request_timeout,
    }
    result = sync(
        args.duckdb,
        base_url=args.base_url,
        api_key=args.api_key,
        company_account_id=args.company_account_id,
        destination=args.destination,
        **{k: v for k, v in settings.items() if v is not None},
    )
    print(result.summary())
    return 0 if result.complete else EXIT_DAILY_LIMIT


def _export_parquet(args: argparse.Namespace) -> int:
    from pipelines.scoro.parquet_export import export_parquet, summary

    print(summary(export_parquet(args.duckdb, args.to), args.to))
    return 0


def _simulate(args: argparse.Namespace) -> int:
    from pipelines.simulator import Simulator

    tenants = dict(pair.split(":", 1) for pair in args.tenant) or {"demo-agency": "demo-api-key"}
    simulator = Simulator(
        scale=args.scale,
        seed=args.seed,
        tenants=tenants,
        rate_limit_per_second=args.rate_limit,
    )
    print(
        f"Scoro simulator on http://127.0.0.1:{args.port} (scale {args.scale}, "
        f"tenants {', '.join(tenants)})",
        flush=True,
    )
    simulator.serve_forever(args.port)
    return 0


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="scoro-warehouse", description=__doc__)
    commands = root.add_subparsers(dest="command", required=True)

    sync = commands.add_parser(
        "sync",
        help="mirror every Scoro module into a DuckDB file",
        description="Settings not given as flags come from dlt's config: .dlt/config.toml, "
        ".dlt/secrets.toml ([sources.scoro]) or SOURCES__SCORO__* environment variables.",
    )
    sync.add_argument("--base-url", help="e.g. https://yourcompany.scoro.com")
    sync.add_argument("--api-key", help="prefer SOURCES__SCORO__API_KEY or .dlt/secrets.toml")
    sync.add_argument("--company-account-id", help="the Scoro company_account_id (tenant)")
    sync.add_argument(
        "--duckdb",
        type=Path,
        default=Path(os.environ.get("SCORO_DUCKDB_PATH", DEFAULT_DUCKDB)),
        help="DuckDB file (default $SCORO_DUCKDB_PATH or data/scoro.duckdb)",
    )
    sync.add_argument(
        "--destination",
        choices=("duckdb", "postgres"),
        default="duckdb",
        help="where the raw tables go (duckdb); postgres reads its credentials from dlt's "
        "config: DESTINATION__POSTGRES__CREDENTIALS or [destination.postgres] in .dlt/secrets.toml",
    )
    sync.add_argument("--site-timezone", help="zone of the site's zone-less datetimes (UTC)")
    sync.add_argument("--lookback-minutes", type=int, help="re-list window (60)")
    sync.add_argument(
        "--full-sweep",
        action="store_true",
        help="list every id to flag records deleted more than 30 days ago",
    )
    sync.add_argument("--modules", help="comma-separated subset, e.g. invoices,contacts")
    sync.add_argument("--max-requests-per-second", type=float, help="client-side pace (10)")
    sync.add_argument("--max-workers", type=int, help="view calls in flight (4)")
    sync.add_argument("--request-timeout", type=float, help="seconds per request (30)")
    sync.set_defaults(handler=_sync)

    export = commands.add_parser(
        "export-parquet",
        help="write the raw tables of a DuckDB file as parquet, for Spark (see README)",
    )
    export.add_argument(
        "--duckdb", type=Path, default=Path(os.environ.get("SCORO_DUCKDB_PATH", DEFAULT_DUCKDB))
    )
    export.add_argument("--to", type=Path, required=True, help="folder: one subfolder per table")
    export.set_defaults(handler=_export_parquet)

    simulate = commands.add_parser("simulate", help="serve the Scoro API simulator")
    simulate.add_argument("--port", type=int, default=8765)
    simulate.add_argument("--scale", type=int, default=1)
    simulate.add_argument("--seed", type=int, default=42)
    simulate.add_argument("--rate-limit", type=float, default=50.0, help="requests per second")
    simulate.add_argument(
        "--tenant",
        action="append",
        default=[],
        metavar="ACCOUNT_ID:API_KEY",
        help="a hosted company (repeatable); default demo-agency:demo-api-key",
    )
    simulate.set_defaults(handler=_simulate)
    return root


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    # the REST client logs request bodies at DEBUG; the key is added after logging, but keep
    # third-party request logging at INFO or above regardless
    logging.getLogger("dlt").setLevel(max(logging.INFO, logging.getLogger("dlt").level))
    args = parser().parse_args(argv)
    try:
        return int(args.handler(args))
    except KeyboardInterrupt:
        return 130
    except Exception as error:  # one clear line, no traceback full of arguments
        print(f"scoro-warehouse {args.command}: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
