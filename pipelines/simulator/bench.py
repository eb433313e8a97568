"""``python -m pipelines.simulator.bench``: view calls per second on one keep-alive connection,
with Nagle's algorithm on (Python's default) and off (the simulator's setting), side by side.

Prints both rates and their ratio. Rounds alternate between the two settings so that the
machine's load falls on both alike.
"""

from __future__ import annotations

import argparse
import statistics
import time

import requests

from pipelines.simulator.server import Simulator

TENANT, KEY = "demo-agency", "demo-api-key"


def views_per_second(sim: Simulator, calls: int, first_id: int) -> float:
    body = {"apiKey": KEY, "company_account_id": TENANT, "lang": "eng", "request": {}}
    with requests.Session() as session:  # one connection, kept alive
        session.post(f"{sim.url}/api/v2/vatCodes/list", json=body, timeout=10).raise_for_status()
        started = time.perf_counter()
        for k in range(calls):
            url = f"{sim.url}/api/v2/invoices/view/{first_id + k % 250}"
            session.post(url, json=body, timeout=10)
        return calls / (time.perf_counter() - started)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=200, help="views per round (200)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds per setting (3)")
    args = parser.parse_args(argv)
    sims = {}
    for nagle_off in (False, True):
        sim = Simulator(tenants={TENANT: KEY}, rate_limit_per_second=10**9).start()
        sim.handler_class.disable_nagle_algorithm = nagle_off
        sims[nagle_off] = sim
    rates: dict[bool, list[float]] = {False: [], True: []}
    try:
        for _ in range(args.rounds):
            for nagle_off, sim in sims.items():
                rates[nagle_off].append(views_per_second(sim, args.calls, 4001))
    finally:
        for sim in sims.values():
            sim.stop()
    before, after = statistics.median(rates[False]), statistics.median(rates[True])
    print(f"views/s per connection, Nagle on (before):  {before:8.1f}")
    print(f"views/s per connection, Nagle off (after):  {after:8.1f}")
    print(f"ratio after / before:                        {after / before:8.1f}")


if __name__ == "__main__":
    main()
