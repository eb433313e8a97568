"""``python -m pipelines.simulator --port N --scale S``: serve the simulator in the foreground."""

from __future__ import annotations

import argparse

from pipelines.simulator.server import DEFAULT_TENANTS, Simulator


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Serve the Scoro API v2 simulator.")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--scale", type=float, default=1)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument(
        "--tenant",
        action="append",
        metavar="ACCOUNT_ID=API_KEY",
        help="a company account and its apiKey (repeatable); default demo-agency=demo-api-key",
    )
    parser.add_argument("--rate-limit", type=int, default=20, help="requests per second per key")
    parser.add_argument("--daily-limit", type=int, default=None)
    parser.add_argument("--timezone", default="Europe/Tallinn")
    args = parser.parse_args(argv)
    tenants = dict(t.split("=", 1) for t in args.tenant) if args.tenant else DEFAULT_TENANTS
    Simulator(
        scale=args.scale,
        seed=args.seed,
        tenants=tenants,
        rate_limit_per_second=args.rate_limit,
        daily_limit=args.daily_limit,
        site_timezone=args.timezone,
    ).serve_forever(args.port, args.host)


if __name__ == "__main__":
    main()
