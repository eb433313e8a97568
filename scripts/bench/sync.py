"""The sync against a simulator serving over HTTP from its own process: next to a bare
concurrent fetch of the same requests, under a server rate limit, and re-syncs counted against
the fewest requests they could make."""

from __future__ import annotations

import json
import shutil
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import requests

from bench.procs import API_KEY, SITE_TIMEZONE, TENANT, control, simulator_process
from pipelines.scoro.sync import sync
from pipelines.simulator.spec import MODULES as SIMULATOR_MODULES

# the sync's settings: what a user gets by default (4 views in flight, the pace the server
# announces), so the bench measures the behaviour a user sees, not a setting tuned for it
WORKERS = 4
SETTINGS: dict[str, Any] = {"max_workers": WORKERS, "site_timezone": SITE_TIMEZONE}
PER_PAGE = 100


def _sync(url: str, path: Path, **settings: Any) -> tuple[float, Any]:
    started = time.perf_counter()
    result = sync(
        path, base_url=url, api_key=API_KEY, company_account_id=TENANT, **{**SETTINGS, **settings}
    )
    seconds = time.perf_counter() - started
    if not result.complete:
        raise RuntimeError(f"the sync did not complete: {result.summary()}")
    return seconds, result


def _fresh(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        path.unlink()
    shutil.rmtree(path.parent / f".{path.stem}.dlt", ignore_errors=True)
    return path


def bare_fetch(url: str, stats: dict[str, Any], path: Path, connections: int) -> float:
    """The same list pages and views as the sync made (from the simulator's request log),
    fetched concurrently with plain `requests` on `connections` connections, each answer's
    records inserted into DuckDB as JSON rows. No dlt. Returns the seconds it took."""
    pages = {
        key.split("/")[0]: count for key, count in stats["counts"].items() if key.endswith("/list")
    }
    views = [(module, key) for module, keys in stats["view_ids"].items() for key in keys]
    auth = {"apiKey": API_KEY, "company_account_id": TENANT, "lang": "eng"}
    local = threading.local()

    def post(path_: str, body: dict[str, Any]) -> Any:
        session = getattr(local, "session", None)
        if session is None:
            session = local.session = requests.Session()
        answer = session.post(f"{url}/api/v2/{path_}", json={**auth, **body}, timeout=60)
        answer.raise_for_status()
        return json.loads(answer.content)["data"]

    def listing(module: str, count: int) -> list[tuple[str, str]]:
        out = []
        for page in range(1, count + 1):
            body = {
                "page": page,
                "per_page": PER_PAGE,
                "request": {"include_deleted": 1},
                "include_deleted": 1,
                "detailed_response": True,
            }
            out += [(module, json.dumps(record)) for record in post(f"{module}/list", body)]
        return out

    def view(module: str, key: Any) -> list[tuple[str, str]]:
        return [(module, json.dumps(post(f"{module}/view/{key}", {"request": {}})))]

    _fresh(path)
    started = time.perf_counter()
    with ThreadPoolExecutor(connections) as pool:
        futures = [pool.submit(listing, m, n) for m, n in pages.items()]
        futures += [pool.submit(view, m, k) for m, k in views]
        rows = [row for future in futures for row in future.result()]
    with duckdb.connect(str(path)) as connection:
        table = pa.table({"module": [r[0] for r in rows], "record": [r[1] for r in rows]})
        connection.register("fetched", table)
        connection.execute("create table records as select module, record::json from fetched")
    return time.perf_counter() - started


def sync_vs_bare(scale: float, as_of: str, workdir: Path, rounds: int) -> dict[str, Any]:
    """Rounds of (sync, bare fetch of the same requests), each from an empty file, against one
    simulator process; then re-syncs of the last file: without change, and after 1 % of the
    documents changed."""
    out: dict[str, Any] = {"scale": scale, "rounds": rounds, "workers": WORKERS}
    sync_seconds, bare_seconds = [], []
    with simulator_process(scale, as_of=as_of) as url:
        for _ in range(rounds):
            control(url, "/_sim/stats", {"reset": True})
            seconds, result = _sync(url, _fresh(workdir / "http" / "scoro.duckdb"))
            sync_seconds.append(seconds)
            stats = control(url, "/_sim/stats")
            bare_seconds.append(
                bare_fetch(url, stats, workdir / "bare_fetch" / "fetched.duckdb", WORKERS + 1)
            )
        out["requests"] = sum(result.requests.values())
        out["rows"] = sum(n for t, n in result.rows_loaded.items() if not t.startswith("_"))
        out["sync_seconds"] = sync_seconds
        out["bare_seconds"] = bare_seconds
        out["ratio"] = sum(sync_seconds) / sum(bare_seconds)
        out["resync"] = resync_requests(url, workdir / "http" / "scoro.duckdb")
    return out


def _needs_view(module: str) -> bool:
    """Whether a changed record of `module` costs a view call: its list answer leaves fields
    out (the simulator's own catalogue says which)."""
    return bool(SIMULATOR_MODULES[module].view_only)


def _minimal(stats: dict[str, Any], viewed_changes: int) -> int:
    """The fewest requests a re-sync can make: per module listed, one page per 100 records it
    lists plus the page that ends the listing (no total is sent), and one view per changed
    document."""
    listed_modules = {k.split("/")[0] for k in stats["counts"] if k.endswith("/list")}
    pages = sum(stats["listed"].get(m, 0) // PER_PAGE + 1 for m in listed_modules)
    return pages + viewed_changes


DOCUMENTS = ("invoices", "bills", "receipts")


def mutate_one_percent(url: str) -> dict[str, dict[str, list[Any]]]:
    """Changes 1 % of the invoices, bills and receipt groups (and adds 0.2 %, deletes 0.1 %);
    the documents a changed payment settles change too. Returns the ids per module."""
    counts = control(url, "/_sim/health")["counts"]
    changes: dict[str, dict[str, list[Any]]] = {}
    for module in DOCUMENTS:
        n = counts[module]
        body = {
            "modules": [module],
            "changed": max(1, round(0.01 * n)),
            "added": round(0.002 * n),
            "deleted": round(0.001 * n),
        }
        for changed_module, ids in control(url, "/_sim/mutate", body).items():
            into = changes.setdefault(changed_module, {"changed": [], "added": [], "deleted": []})
            for kind, values in ids.items():
                into[kind] += [v for v in values if v not in into[kind]]
    return changes


def resync_requests(url: str, path: Path) -> dict[str, Any]:
    out: dict[str, Any] = {}
    control(url, "/_sim/stats", {"reset": True})
    _, result = _sync(url, path)
    stats = control(url, "/_sim/stats")
    made = sum(result.requests.values())
    out["no_change"] = {"requests": made, "minimal": _minimal(stats, 0)}
    mutation = mutate_one_percent(url)
    viewed = sum(
        len(set(ids["changed"]) | set(ids["added"]))
        for module, ids in mutation.items()
        if _needs_view(module)
    )
    control(url, "/_sim/stats", {"reset": True})
    _, result = _sync(url, path)
    stats = control(url, "/_sim/stats")
    made = sum(result.requests.values())
    out["one_percent"] = {
        "changed": {m: {k: len(v) for k, v in ids.items()} for m, ids in mutation.items()},
        "requests": made,
        "minimal": _minimal(stats, viewed),
        "views": result.requests.get("view", 0),
        "changed_documents": viewed,
    }
    for case in ("no_change", "one_percent"):
        out[case]["ratio"] = out[case]["requests"] / out[case]["minimal"]
    return out


def rate_limited(rate: float, scale: float, as_of: str, workdir: Path) -> dict[str, Any]:
    """A sync against a server allowing `rate` requests a second, the client told nothing
    (no --max-requests-per-second: it paces at what the server announces): OK answers per
    second ÷ the rate."""
    with simulator_process(scale, as_of=as_of, rate_limit=rate) as url:
        control(url, "/_sim/stats", {"reset": True})
        seconds, result = _sync(url, _fresh(workdir / "limited" / "scoro.duckdb"))
        stats = control(url, "/_sim/stats")
    ok = stats["statuses"].get("200", 0)
    achieved = (ok - 1) / stats["ok_seconds"] if stats["ok_seconds"] else 0.0
    return {
        "rate_limit": rate,
        "scale": scale,
        "ok_requests": ok,
        "refused_429": stats["statuses"].get("429", 0),
        "seconds": seconds,
        "achieved_per_second": achieved,
        "ratio": achieved / rate,
    }
