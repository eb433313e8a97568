"""The dlt source of one Scoro account: one merge resource per module (see extractor.py for
what each resource does), plus the load-issues table."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

import dlt
from dlt.extract.resource import DltResource

from pipelines.scoro import schema
from pipelines.scoro.client import ScoroClient, ScoroCredentials
from pipelines.scoro.extractor import ISSUES_TABLE, ModuleExtractor, issues_resource_hints
from pipelines.scoro.run import SyncRun
from pipelines.scoro.transport import Responder


def module_names() -> list[str]:
    """Every name `--modules` accepts: API module names and raw table names."""
    names = {spec.module for spec in schema.MODULES.values()}
    names |= {spec.table for spec in schema.MODULES.values()}
    return sorted(names)


def build_resources(
    credentials: ScoroCredentials,
    run: SyncRun,
    *,
    site_timezone: str = "UTC",
    lookback_minutes: int = 60,
    modules: list[str] | None = None,
    full_sweep: bool = False,
    max_requests_per_second: float | None = None,
    max_workers: int = 4,
    request_timeout: float = 30.0,
    max_attempts: int = 8,
    max_retry_wait: float = 30.0,
    backoff_factor: float = 0.5,
    max_pages: int | None = None,
    view_failure_limit: int = 3,
    responder: Responder | None = None,
) -> list[DltResource]:
    client = ScoroClient(
        credentials,
        max_requests_per_second=max_requests_per_second,
        max_workers=max_workers,
        request_timeout=request_timeout,
        max_attempts=max_attempts,
        max_retry_wait=max_retry_wait,
        backoff_factor=backoff_factor,
        responder=responder,
    )
    run.client = client
    site_zone = ZoneInfo(site_timezone)
    unknown = sorted(set(modules or []) - set(module_names()))
    if unknown:
        raise ValueError(
            f"unknown module(s) {', '.join(unknown)}; valid names: {', '.join(module_names())}"
        )
    resources = []
    for spec in schema.MODULES.values():
        if modules and spec.module not in modules and spec.table not in modules:
            continue
        extractor = ModuleExtractor(
            spec,
            client,
            run,
            site_zone=site_zone,
            lookback=timedelta(minutes=lookback_minutes),
            full_sweep=full_sweep,
            max_pages=max_pages,
            view_failure_limit=view_failure_limit,
        )
        # each yield names its table and hints (parent, child lists, issues)
        resource = dlt.resource(_stop_when_budget_spent(extractor, run), name=spec.table)
        resources.append(resource)
    # declares the issues table's columns; dlt creates it with the first issue (staging reads
    # a missing raw table as empty)
    resources.append(
        dlt.resource(
            iter(()),
            name=ISSUES_TABLE,
            write_disposition="append",
            columns=issues_resource_hints(),
        )
    )
    return resources


def _stop_when_budget_spent(extractor: ModuleExtractor, run: SyncRun) -> Any:
    def records() -> Iterator[Any]:
        if run.stopped_by_daily_limit is not None:
            return
        yield from extractor.extract()

    records.__name__ = extractor.spec.table
    return records


@dlt.source(name="scoro", section="scoro", max_table_nesting=0)
def scoro(
    base_url: str = dlt.config.value,
    api_key: str = dlt.secrets.value,
    company_account_id: str = dlt.config.value,
    site_timezone: str = "UTC",
    lookback_minutes: int = 60,
    modules: list[str] | None = None,
    full_sweep: bool = False,
    max_requests_per_second: float | None = None,
    max_workers: int = 4,
    request_timeout: float = 30.0,
    max_attempts: int = 8,
    max_retry_wait: float = 30.0,
    backoff_factor: float = 0.5,
    max_pages: int | None = None,
    view_failure_limit: int = 3,
    run: Any = None,
    responder: Any = None,
) -> list[DltResource]:
    """Every Scoro module of one account. Settings come from the arguments or from dlt's
    config (`[sources.scoro]` in .dlt/config.toml / secrets.toml, or `SOURCES__SCORO__*`).
    `responder` answers requests in this process instead of over HTTP (transport.py)."""
    credentials = ScoroCredentials(
        base_url=base_url, api_key=api_key, company_account_id=str(company_account_id)
    )
    return build_resources(
        credentials,
        run if run is not None else SyncRun(),
        site_timezone=site_timezone,
        lookback_minutes=lookback_minutes,
        modules=modules,
        full_sweep=full_sweep,
        max_requests_per_second=max_requests_per_second,
        max_workers=max_workers,
        request_timeout=request_timeout,
        max_attempts=max_attempts,
        max_retry_wait=max_retry_wait,
        backoff_factor=backoff_factor,
        max_pages=max_pages,
        view_failure_limit=view_failure_limit,
        responder=responder,
    )
