"""``python -m pipelines.simulator --port N --scale S``: serve the simulator in the foreground."""

from __future__ import annotations

import argparse
from datetime import date

from pipelines.simulator import shapes
from pipelines.simulator.server import DEFAULT_TENANTS, Simulator

DEFAULT_RATE_LIMIT = 50.0


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The simulator's flags; `scoro-warehouse simulate` takes the same ones."""
    parser.add_argument("--port", type=int, default=8765, help="TCP port (default 8765)")
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (127.0.0.1)")
    parser.add_argument(
        "--scale", type=float, default=1, help="company size; 1 = 300 invoices (default 1)"
    )
    parser.add_argument("--seed", type=int, default=42, help="random seed of the company (42)")
    parser.add_argument(
        "--tenant",
        action="append",
        metavar="ACCOUNT_ID=API_KEY",
        help="a company account and its apiKey (repeatable; ACCOUNT_ID:API_KEY works too); "
        "default demo-agency=demo-api-key",
    )
    parser.add_argument(
        "--rate-limit",
        type=float,
        default=None,
        help=f"requests per second per apiKey before HTTP 429 ({DEFAULT_RATE_LIMIT:g})",
    )
    parser.add_argument(
        "--daily-limit", type=int, default=None, help="requests per day per apiKey (none)"
    )
    parser.add_argument(
        "--timezone", default="Europe/Tallinn", help="the site's zone (Europe/Tallinn)"
    )
    parser.add_argument(
        "--as-of",
        type=date.fromisoformat,
        default=None,
        metavar="YYYY-MM-DD",
        help="the company's last business day: documents run up to it (default today in "
        "the site's zone); the same seed and as-of day give the same company",
    )
    shapes.add_arguments(parser)


def parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m pipelines.simulator",
        description="Serve the Scoro API v2 simulator: a synthetic agency per tenant, on "
        "/api/v2/{module}/list|view, with a control surface on /_sim/.",
    )
    add_arguments(parser)
    return parser


def tenants_from(values: list[str] | None) -> dict[str, str]:
    if not values:
        return dict(DEFAULT_TENANTS)
    pairs = {}
    for value in values:
        separator = "=" if "=" in value else ":"
        account, _, key = value.partition(separator)
        if not account or not key:
            raise SystemExit(f"--tenant {value!r}: expected ACCOUNT_ID=API_KEY")
        pairs[account] = key
    return pairs


def simulator_from(args: argparse.Namespace) -> Simulator:
    return Simulator(
        scale=args.scale,
        seed=args.seed,
        tenants=tenants_from(args.tenant),
        rate_limit_per_second=(
            args.rate_limit if args.rate_limit is not None else DEFAULT_RATE_LIMIT
        ),
        daily_limit=args.daily_limit,
        site_timezone=args.timezone,
        as_of=args.as_of,
        shapes=shapes.from_arguments(args),
    )


def main(argv: list[str] | None = None) -> None:
    args = parser().parse_args(argv)
    simulator_from(args).serve_forever(args.port, args.host)


if __name__ == "__main__":
    main()
