"""Fill `scoro_raw` from the simulator in this process, without sockets.

The loader runs whole: the same dlt source, client, retries and checks, over a transport that
hands each request to the simulator's own request handling (`Simulator.respond`) instead of a
TCP connection. The raw tables are the ones a sync of the simulator over HTTP writes; only the
network is gone, so a warehouse of a million invoice lines fills at the speed of the CPU.

This glue is the one place that knows both sides: the simulator never imports the loader, and
the loader knows only a `Responder` function (pipelines/scoro/transport.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pipelines.scoro.sync import SyncResult, sync
from pipelines.scoro.transport import Responder
from pipelines.simulator.server import Simulator

# the base URL of an in-process simulator: never resolved, no request leaves the process
IN_PROCESS_URL = "http://simulator.in-process"
# no client-side pace: the simulator in this process answers as fast as the CPU allows
IN_PROCESS_SETTINGS: dict[str, Any] = {"max_requests_per_second": 0.0}


def responder_for(simulator: Simulator) -> Responder:
    """The simulator's request handling as a transport's responder."""

    def respond(method: str, target: str, body: bytes) -> tuple[int, dict[str, str], bytes, bool]:
        answer = simulator.respond(method, target, body)
        return answer.status, answer.headers, answer.body, answer.truncate

    return respond


def sync_in_process(
    duckdb_path: str | Path, simulator: Simulator, tenant: str, **settings: Any
) -> SyncResult:
    """One sync of `tenant` of the simulator into `duckdb_path`, in this process."""
    return sync(
        duckdb_path,
        base_url=IN_PROCESS_URL,
        api_key=simulator.tenants[tenant],
        company_account_id=tenant,
        responder=responder_for(simulator),
        **{**IN_PROCESS_SETTINGS, **settings},
    )


# the modules whose records `mutate_documents` changes: documents and payments
DOCUMENT_MODULES = ("invoices", "bills", "receipts")


def mutate_documents(simulator: Simulator, percent: float) -> dict[str, int]:
    """Changes `percent` % of every tenant's invoices, bills and receipt groups, adds a fifth
    and deletes a tenth of that many (documents a changed payment settles change too), as
    between two syncs. Returns how many records changed per module."""
    touched: dict[str, set[Any]] = {}
    for tenant in simulator.tenants:
        company = simulator.company(tenant)
        for module in DOCUMENT_MODULES:
            n = company.count(module)
            result = company.mutate(
                changed=max(1, round(percent / 100 * n)),
                added=round(percent / 500 * n),
                deleted=round(percent / 1000 * n),
                modules=[module],
            )
            for changed_module, ids in result.items():
                found = touched.setdefault(changed_module, set())
                found.update((tenant, i) for kind in ids.values() for i in kind)
    return {module: len(ids) for module, ids in touched.items() if ids}


def fill(duckdb_path: str | Path, simulator: Simulator, **settings: Any) -> list[SyncResult]:
    """Syncs every tenant of the simulator into `duckdb_path`, in this process."""
    return [
        sync_in_process(duckdb_path, simulator, tenant, **settings) for tenant in simulator.tenants
    ]
