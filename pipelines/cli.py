"""scoro-warehouse: sync a Scoro account into DuckDB (or Postgres), export its raw tables as
parquet for Spark, or serve the simulator."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

DEFAULT_DUCKDB = "data/scoro.duckdb"
EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_DAILY_LIMIT = 3
EXIT_REFUSED = 4
EXIT_LOCKED = 5
DEFAULT_WAIT_SECONDS = 300.0

EXIT_CODES = f"""exit codes:
  {EXIT_OK}  the sync completed
  {EXIT_ERROR}  an error: a module failed (the others are loaded; the next sync retries it), the
     server could not be reached, or a step failed (the message says which)
  {EXIT_USAGE}  usage: a bad flag or an unknown --modules name
  {EXIT_DAILY_LIMIT}  stopped by the daily request limit: what came is loaded, the next sync resumes
  {EXIT_REFUSED}  the API refused the credentials (HTTP 401, or 403 on every module)
  {EXIT_LOCKED}  the DuckDB file is locked by another process (see --wait)
"""


def _version() -> str:
    try:
        return version("scoro-warehouse")
    except PackageNotFoundError:
        return "unknown"


def _sync(args: argparse.Namespace) -> int:
    from pipelines.scoro.sync import sync

    settings = {
        "site_timezone": args.site_timezone,
        "lookback_minutes": args.lookback_minutes,
        "full_sweep": args.full_sweep or None,
        "modules": args.modules,
        "max_requests_per_second": args.max_requests_per_second,
        "max_workers": args.max_workers,
        "request_timeout": args.request_timeout,
        "max_attempts": args.max_attempts,
        "max_retry_wait": args.max_retry_wait,
        "max_pages": args.max_pages,
    }
    result = sync(
        args.duckdb,
        base_url=args.base_url,
        api_key=args.api_key,
        company_account_id=args.company_account_id,
        wait=args.wait,
        destination=args.destination,
        **{k: v for k, v in settings.items() if v is not None},
    )
    print(result.summary())
    if result.failures:
        for failure in result.failures:
            print(f"scoro-warehouse sync: {failure.message}", file=sys.stderr)
        return EXIT_ERROR
    if result.stopped_by_daily_limit is not None:
        return EXIT_DAILY_LIMIT
    return EXIT_OK


def _export_parquet(args: argparse.Namespace) -> int:
    from pipelines.scoro.parquet_export import export_parquet, summary

    print(summary(export_parquet(args.duckdb, args.to), args.to))
    return 0


def _simulate(args: argparse.Namespace) -> int:
    from pipelines.simulator.__main__ import simulator_from

    simulator = simulator_from(args)
    if args.fill is not None:
        return _fill(args, simulator)
    print(
        f"Scoro simulator on http://{args.host}:{args.port} (scale {args.scale}, "
        f"tenants {', '.join(simulator.tenants)})",
        flush=True,
    )
    simulator.serve_forever(args.port, args.host)
    return 0


def _fill(args: argparse.Namespace, simulator: object) -> int:
    from pipelines.fill import fill, mutate_documents

    if args.rate_limit is None:
        simulator.rate_limit_per_second = 10**9  # type: ignore[attr-defined]
    if args.mutate_percent:
        changed = mutate_documents(simulator, args.mutate_percent)  # type: ignore[arg-type]
        print(
            "changed before the sync: "
            + ", ".join(f"{count} {module}" for module, count in sorted(changed.items())),
            flush=True,
        )
    results = fill(args.fill, simulator, wait=args.wait)  # type: ignore[arg-type]
    for result in results:
        print(result.summary())
    if any(result.failures for result in results):
        return EXIT_ERROR
    if any(result.stopped_by_daily_limit is not None for result in results):
        return EXIT_DAILY_LIMIT
    return EXIT_OK


def _modules(value: str) -> list[str]:
    from pipelines.scoro.source import module_names

    names = [name.strip() for name in value.split(",") if name.strip()]
    unknown = [name for name in names if name not in module_names()]
    if unknown or not names:
        raise argparse.ArgumentTypeError(
            f"unknown module name(s) {', '.join(unknown) or '(none given)'}; valid names: "
            f"{', '.join(module_names())}"
        )
    return names


def _add_duckdb_argument(command: argparse.ArgumentParser, use: str) -> None:
    command.add_argument(
        "--duckdb",
        type=Path,
        default=Path(os.environ.get("SCORO_DUCKDB_PATH", DEFAULT_DUCKDB)),
        help=f"DuckDB file (default $SCORO_DUCKDB_PATH or data/scoro.duckdb); {use}",
    )


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(
        prog="scoro-warehouse",
        description=__doc__,
        epilog=EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    root.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    commands = root.add_subparsers(dest="command", required=True)

    sync = commands.add_parser(
        "sync",
        help="mirror every Scoro module into a DuckDB file (or a Postgres database)",
        description="Mirror every Scoro module of one account into a DuckDB file, or with "
        "--destination postgres into a Postgres database. Settings not "
        "given as flags come from dlt's config: .dlt/config.toml, .dlt/secrets.toml "
        "([sources.scoro]) or SOURCES__SCORO__* environment variables (e.g. "
        "SOURCES__SCORO__MAX_ATTEMPTS).",
        epilog=EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sync.add_argument("--base-url", help="e.g. https://yourcompany.scoro.com")
    sync.add_argument("--api-key", help="prefer SOURCES__SCORO__API_KEY or .dlt/secrets.toml")
    sync.add_argument("--company-account-id", help="the Scoro company_account_id (tenant)")
    _add_duckdb_argument(
        sync, "with --destination postgres, the pipeline's local folder goes beside it"
    )
    sync.add_argument(
        "--destination",
        choices=("duckdb", "postgres"),
        default="duckdb",
        help="where the raw tables go (duckdb); postgres reads its credentials from dlt's "
        "config: DESTINATION__POSTGRES__CREDENTIALS or [destination.postgres] in "
        ".dlt/secrets.toml, and has no file lock (--wait does not apply)",
    )
    sync.add_argument("--site-timezone", help="zone of the site's zone-less datetimes (UTC)")
    sync.add_argument("--lookback-minutes", type=int, help="re-list window (60)")
    sync.add_argument(
        "--full-sweep",
        action="store_true",
        help="list every id to flag records deleted more than 30 days ago",
    )
    sync.add_argument(
        "--modules",
        type=_modules,
        help="comma-separated subset, API or table names, e.g. invoices,contacts",
    )
    sync.add_argument(
        "--max-requests-per-second",
        type=float,
        help="a cap of the client's own on requests per second (default: none; the pace the "
        "server announces in its x-ratelimit headers, 10 while it announces none)",
    )
    sync.add_argument("--max-workers", type=int, help="view calls in flight (4)")
    sync.add_argument(
        "--request-timeout",
        type=float,
        help="seconds for one request, reading its whole answer included (30)",
    )
    sync.add_argument(
        "--max-attempts",
        type=int,
        help="tries of one request that fails with a 5xx, a timeout or a cut body (8)",
    )
    sync.add_argument(
        "--max-retry-wait",
        type=float,
        help="longest wait before one retry, whatever the server asks (30 s)",
    )
    sync.add_argument(
        "--max-pages",
        type=int,
        help="pages one listing may take (default: twice the mirror's size plus 100 pages)",
    )
    sync.add_argument(
        "--wait",
        type=float,
        nargs="?",
        const=DEFAULT_WAIT_SECONDS,
        metavar="SECONDS",
        help="if another process (a reader, dbt) holds the DuckDB file, wait for it up to "
        f"SECONDS ({DEFAULT_WAIT_SECONDS:g} when no value is given) instead of failing",
    )
    sync.set_defaults(handler=_sync)

    export = commands.add_parser(
        "export-parquet",
        help="write the raw tables of a DuckDB file as parquet, for Spark (see README)",
    )
    _add_duckdb_argument(export, "its raw tables are written")
    export.add_argument("--to", type=Path, required=True, help="folder: one subfolder per table")
    export.set_defaults(handler=_export_parquet)

    simulate = commands.add_parser(
        "simulate",
        help="serve the Scoro API simulator",
        description="Serve a local Scoro API v2 with a synthetic agency, for demos and tests; "
        "or, with --fill, sync its company into a DuckDB file in this process, without HTTP "
        "(the same loader over an in-process transport: the raw tables a sync over HTTP "
        "writes, at any scale).",
        epilog=EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    from pipelines.simulator.__main__ import add_arguments as add_simulator_arguments

    add_simulator_arguments(simulate)
    simulate.add_argument(
        "--fill",
        type=Path,
        metavar="DUCKDB",
        help="instead of serving, sync every tenant's company into this DuckDB file in "
        "process (no server, no socket; not rate limited unless --rate-limit is given); "
        "run it again after a change to sync incrementally",
    )
    simulate.add_argument(
        "--mutate-percent",
        type=float,
        metavar="P",
        help="with --fill: first change P %% of the invoices, bills and receipt groups (add "
        "P/5 %%, delete P/10 %%), as if between two syncs; with the same --seed, --scale and "
        "--as-of as the fill before, the sync is incremental",
    )
    simulate.add_argument(
        "--wait",
        type=float,
        nargs="?",
        const=DEFAULT_WAIT_SECONDS,
        metavar="SECONDS",
        help="with --fill: wait up to SECONDS for a reader holding the DuckDB file",
    )
    simulate.set_defaults(handler=_simulate)
    return root


class _CurrentStderr(logging.StreamHandler):
    """Writes to whatever sys.stderr is at the time (tests and callers may redirect it)."""

    @property  # type: ignore[override]
    def stream(self):  # noqa: ANN201
        return sys.stderr

    @stream.setter
    def stream(self, value: object) -> None:
        pass


def _configure_logging() -> None:
    root = logging.getLogger()
    if not any(isinstance(h, _CurrentStderr) for h in root.handlers):
        handler = _CurrentStderr()
        handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
        root.addHandler(handler)
    root.setLevel(logging.INFO)
    # the REST client logs request bodies at DEBUG; the key is added after logging, but keep
    # third-party request logging at INFO or above regardless
    logging.getLogger("dlt").setLevel(max(logging.INFO, logging.getLogger("dlt").level))


def _secrets_in_environment() -> list[str]:
    """The API key and the Postgres destination's password, as dlt's environment gives them."""
    from urllib.parse import unquote, urlsplit

    found = [
        os.environ.get("SOURCES__SCORO__API_KEY", ""),
        os.environ.get("DESTINATION__POSTGRES__CREDENTIALS__PASSWORD", ""),
    ]
    url = os.environ.get("DESTINATION__POSTGRES__CREDENTIALS", "")
    if "://" in url:
        try:
            password = urlsplit(url).password
        except ValueError:
            password = None
        if password:
            found += [password, unquote(password)]
    return [secret for secret in found if secret]


def main(argv: list[str] | None = None) -> int:
    _configure_logging()
    try:
        args = parser().parse_args(argv)
    except SystemExit as exit_:  # --help, --version (0) and usage errors (2)
        return int(exit_.code or 0)
    from pipelines.scoro.lock import FileLocked
    from pipelines.scoro.sync import SyncFailed

    def report(error: BaseException) -> None:
        text = str(error)
        # should an error ever quote the key (a server echoing it), it is not printed
        for secret in (getattr(args, "api_key", None), *_secrets_in_environment()):
            if secret:
                text = text.replace(secret, "***")
        print(f"scoro-warehouse {args.command}: {text}", file=sys.stderr)

    try:
        return int(args.handler(args))
    except KeyboardInterrupt:
        return 130
    except FileLocked as error:
        report(error)
        return EXIT_LOCKED
    except SyncFailed as error:
        report(error)
        return error.exit_code
    except Exception as error:  # one clear line, no traceback full of arguments
        report(error)
        return EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main())
