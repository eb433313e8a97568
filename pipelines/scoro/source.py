"""The dlt source: one merge resource per Scoro module, incremental on `modified_date`.

Per module the resource keeps, in dlt's resource state:
- `cursor`: the newest `modified_date` loaded (UTC ISO); the next sync lists from
  `cursor - lookback` so that records saved late or with skewed clocks are not missed;
- `recent`: a fingerprint of each list record inside that look-back window (or of every record,
  for modules the API cannot filter), so a re-listed unchanged record costs no `view` call and
  writes no row;
- `resume`: the filter and next page of a listing cut short by the daily request limit.

Documents (and contacts, projects) carry lines and custom fields only on `view/{id}`: one call
per new or changed record, several in flight, paced by the client's rate limiter.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import dlt
from dlt.extract.resource import DltResource

from pipelines.scoro import schema
from pipelines.scoro.client import DailyLimitExhausted, ScoroClient, ScoroCredentials
from pipelines.scoro.coerce import LoadIssue, coerce_record, to_text, to_timestamp
from pipelines.scoro.run import SyncRun

logger = logging.getLogger("scoro_warehouse.source")

ISSUES_TABLE = "_scoro_load_issues"
_DLT_TYPES = {
    schema.TEXT: {"data_type": "text"},
    schema.JSON: {"data_type": "text"},
    schema.BIGINT: {"data_type": "bigint"},
    schema.DECIMAL: {"data_type": "decimal", "precision": 38, "scale": 9},
    schema.BOOL: {"data_type": "bool"},
    schema.DATE: {"data_type": "date"},
    schema.TIMESTAMP: {"data_type": "timestamp", "timezone": True},
}


def column_hints(fields: dict[str, str], extra: dict[str, str] | None = None) -> dict[str, Any]:
    """dlt column hints declaring every contract column, so empty ones exist too."""
    columns = {
        schema.TENANT_COLUMN: {"data_type": "text", "nullable": False},
        schema.SYNCED_AT_COLUMN: {"data_type": "timestamp", "timezone": True},
    }
    for name, kind in {**fields, **(extra or {})}.items():
        columns[name] = {**_DLT_TYPES[kind], "nullable": True}
    return {name: {"name": name, **hint} for name, hint in columns.items()}


def _fingerprint(record: dict[str, Any]) -> str:
    encoded = json.dumps(record, sort_keys=True, default=str).encode()
    return hashlib.sha1(encoded, usedforsecurity=False).hexdigest()[:16]


class ModuleExtractor:
    """Lists one module, views what changed, and turns API records into typed rows."""

    def __init__(
        self,
        spec: schema.ModuleSpec,
        client: ScoroClient,
        run: SyncRun,
        *,
        site_zone: ZoneInfo,
        lookback: timedelta,
        full_sweep: bool,
    ) -> None:
        self.spec = spec
        self.client = client
        self.run = run
        self.site_zone = site_zone
        self.lookback = lookback
        self.full_sweep = full_sweep
        self.tenant = client.credentials.company_account_id

    # ---- rows -------------------------------------------------------------------------
    def _record_id(self, record: dict[str, Any]) -> str:
        return to_text(record.get(self.spec.primary_key)) or "?"

    def parent_row(self, record: dict[str, Any], issues: list[LoadIssue]) -> dict[str, Any]:
        fields = dict(record)
        for child_field in self.spec.children:
            fields.pop(child_field, None)
        row = coerce_record(
            fields,
            self.spec.fields,
            module=self.spec.module,
            table_name=self.spec.table,
            record_id=self._record_id(record),
            site_zone=self.site_zone,
            issues=issues,
        )
        row[schema.TENANT_COLUMN] = self.tenant
        row[schema.SYNCED_AT_COLUMN] = self.run.started_at
        return row

    def child_rows(
        self, record: dict[str, Any], parent_id: Any, issues: list[LoadIssue]
    ) -> dict[str, list[dict[str, Any]]]:
        """Rows per child table, for the child lists this record actually carries."""
        out: dict[str, list[dict[str, Any]]] = {}
        for list_field, child in self.spec.children.items():
            elements = _elements(record.get(list_field), child)
            if elements is None:
                continue  # null on list calls: leave what the mirror has
            rows = []
            for index, element in enumerate(elements):
                row = coerce_record(
                    element,
                    child.fields,
                    module=self.spec.module,
                    table_name=child.table,
                    record_id=f"{self._record_id(record)}/{list_field}[{index}]",
                    site_zone=self.site_zone,
                    issues=issues,
                )
                row[schema.TENANT_COLUMN] = self.tenant
                row[self.spec.parent_key_column] = parent_id
                row[schema.SYNCED_AT_COLUMN] = self.run.started_at
                if child.key == schema.CHILD_INDEX_COLUMN:
                    row[schema.CHILD_INDEX_COLUMN] = index
                rows.append(row)
            if not rows:
                self.run.emptied_children.append((child.table, self.tenant, parent_id))
            out[child.table] = rows
        return out

    def parent_hints(self) -> Any:
        return dlt.mark.make_hints(
            table_name=self.spec.table,
            write_disposition="merge",
            primary_key=[schema.TENANT_COLUMN, self.spec.primary_key],
            # every table can carry the deletion flag, set by the API or by a full sweep
            columns=column_hints(
                self.spec.fields, {"is_deleted": schema.BOOL, "deleted_date": schema.TIMESTAMP}
            ),
        )

    def child_hints(self, child: schema.ChildSpec) -> Any:
        parent_key = self.spec.parent_key_column
        extra = {
            parent_key: schema.BIGINT
            if self.spec.fields[self.spec.primary_key] == schema.BIGINT
            else schema.TEXT
        }
        if child.key == schema.CHILD_INDEX_COLUMN:
            extra[schema.CHILD_INDEX_COLUMN] = schema.BIGINT
        return dlt.mark.make_hints(
            table_name=child.table,
            write_disposition="merge",
            primary_key=[schema.TENANT_COLUMN, parent_key, child.key],
            # a re-read parent replaces all its child rows (lines removed in Scoro vanish)
            merge_key=[schema.TENANT_COLUMN, parent_key],
            columns=column_hints(child.fields, extra),
        )

    # ---- listing ----------------------------------------------------------------------
    def _since(self, state: dict[str, Any]) -> datetime | None:
        """Records modified before this are already in the mirror."""
        if not self.spec.incremental or not state.get("cursor"):
            return None
        return datetime.fromisoformat(state["cursor"]) - self.lookback

    def _format_for_api(self, moment: datetime) -> str:
        return moment.astimezone(self.site_zone).strftime("%Y-%m-%d %H:%M:%S")

    def extract(self) -> Iterator[Any]:
        state = dlt.current.resource_state()
        # record id -> "fingerprint|modified" of list records already loaded
        recent: dict[str, str] = state.setdefault("recent", {})
        resume = state.get("resume")
        if resume:
            since = datetime.fromisoformat(resume["since"]) if resume["since"] else None
            start_page = int(resume["page"])
        else:
            since = self._since(state)
            start_page = 1
        # a sweep lists every id (to find old deletes) but still views only what changed
        api_from = self._format_for_api(since) if since and not self.full_sweep else None
        newest = datetime.fromisoformat(state["cursor"]) if state.get("cursor") else None
        listed_ids: set[str] | None = set() if self._sweeps() else None
        page_number = start_page
        try:
            for page_number, records in self.client.list_pages(
                self.spec.module, from_date=api_from, start_page=start_page
            ):
                changed = []
                for record in records:
                    record_id = self._record_id(record)
                    if listed_ids is not None:
                        listed_ids.add(record_id)
                    modified = self._modified(record)
                    if modified and (newest is None or modified > newest):
                        newest = modified
                    if since and modified and modified < since:
                        continue  # unchanged since the last sync
                    seen = f"{_fingerprint(record)}|{modified.isoformat() if modified else ''}"
                    if recent.get(record_id) == seen:
                        continue
                    changed.append((record, record_id, seen))
                yield from self._rows_for(changed)
                for _, record_id, seen in changed:
                    recent[record_id] = seen
                state["resume"] = {
                    "since": since.isoformat() if since else None,
                    "page": page_number + 1,
                }
        except DailyLimitExhausted as error:
            self.run.stopped_by_daily_limit = error.reset_seconds or 0.0
            logger.warning(
                "%s: daily request limit reached at page %s; state kept, the next sync resumes",
                self.spec.module,
                page_number,
            )
            return
        state.pop("resume", None)
        if newest is not None:
            state["cursor"] = newest.isoformat()
        if self.spec.incremental and newest is not None:
            _trim(recent, newest - self.lookback)
        if listed_ids is not None:
            self.run.listed_ids[self.spec.table] = (self.tenant, self.spec.primary_key, listed_ids)

    def _sweeps(self) -> bool:
        return self.full_sweep or not self.spec.incremental

    def _modified(self, record: dict[str, Any]) -> datetime | None:
        try:
            return to_timestamp(record.get("modified_date"), self.site_zone)
        except ValueError:
            return None

    def _rows_for(self, changed: list[tuple[dict[str, Any], str, str]]) -> Iterator[Any]:
        if not changed:
            return
        issues: list[LoadIssue] = []
        full_records = self._with_views([record for record, _, _ in changed])
        parents: list[dict[str, Any]] = []
        children: dict[str, list[dict[str, Any]]] = {
            c.table: [] for c in self.spec.children.values()
        }
        for (listed, _, _), full in zip(changed, full_records, strict=True):
            record = full if full is not None else listed
            row = self.parent_row(record, issues)
            parents.append(row)
            for table, rows in self.child_rows(record, row[self.spec.primary_key], issues).items():
                children[table].extend(rows)
        yield dlt.mark.with_hints(parents, self.parent_hints(), create_table_variant=True)
        for child in self.spec.children.values():
            if children[child.table]:
                yield dlt.mark.with_hints(
                    children[child.table], self.child_hints(child), create_table_variant=True
                )
        if issues:
            for issue in issues:
                logger.warning("%s", issue)
            self.run.issues.extend(issues)
            yield dlt.mark.with_hints(
                [
                    {
                        **issue.as_row(),
                        schema.TENANT_COLUMN: self.tenant,
                        schema.SYNCED_AT_COLUMN: self.run.started_at,
                    }
                    for issue in issues
                ],
                dlt.mark.make_hints(
                    table_name=ISSUES_TABLE,
                    write_disposition="append",
                    columns=issues_resource_hints(),
                ),
                create_table_variant=True,
            )

    def _with_views(self, records: list[dict[str, Any]]) -> list[dict[str, Any] | None]:
        """The view of each live record when the module needs one; None where not."""
        if not self.spec.needs_view:
            return [None] * len(records)

        def view(record: dict[str, Any]) -> dict[str, Any] | None:
            if _is_deleted(record):
                return None  # a deleted record has no view; its lines stay as last seen
            return self.client.view(self.spec.module, record.get(self.spec.primary_key))

        with ThreadPoolExecutor(max_workers=self.client.max_workers) as pool:
            return list(pool.map(view, records))


def _trim(recent: dict[str, str], horizon: datetime) -> None:
    """Forget records the next look-back window will not list again unless they change."""
    for record_id, seen in list(recent.items()):
        modified = seen.split("|", 1)[1]
        if modified and datetime.fromisoformat(modified) < horizon:
            del recent[record_id]


def _is_deleted(record: dict[str, Any]) -> bool:
    value = record.get("is_deleted")
    return value in (True, 1, "1", "true") or bool(record.get("deleted_date"))


def _elements(value: Any, child: schema.ChildSpec) -> list[dict[str, Any]] | None:
    """The elements of a child list as dicts, or None when the record does not carry it."""
    if value is None:
        return None
    if isinstance(value, dict):
        # means_of_contact: {type: value | [values]} -> one {type, value} per value
        elements = []
        for kind, values in value.items():
            for item in values if isinstance(values, list) else [values]:
                elements.append({"type": kind, "value": item})
        return elements
    if not isinstance(value, list):
        return None
    out = []
    for element in value:
        if isinstance(element, dict):
            out.append(element)
        elif child.scalar_field:
            out.append({child.scalar_field: element})
    return out


def issues_resource_hints() -> dict[str, Any]:
    return column_hints(
        {
            "module": schema.TEXT,
            "table_name": schema.TEXT,
            "record_id": schema.TEXT,
            "field": schema.TEXT,
            "raw_value": schema.TEXT,
            "message": schema.TEXT,
        }
    )


def build_resources(
    credentials: ScoroCredentials,
    run: SyncRun,
    *,
    site_timezone: str = "UTC",
    lookback_minutes: int = 60,
    modules: list[str] | None = None,
    full_sweep: bool = False,
    max_requests_per_second: float = 10.0,
    max_workers: int = 4,
    request_timeout: float = 30.0,
) -> list[DltResource]:
    client = ScoroClient(
        credentials,
        max_requests_per_second=max_requests_per_second,
        max_workers=max_workers,
        request_timeout=request_timeout,
    )
    run.client = client
    site_zone = ZoneInfo(site_timezone)
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
    max_requests_per_second: float = 10.0,
    max_workers: int = 4,
    request_timeout: float = 30.0,
    run: Any = None,
) -> list[DltResource]:
    """Every Scoro module of one account. Settings come from the arguments or from dlt's
    config (`[sources.scoro]` in .dlt/config.toml / secrets.toml, or `SOURCES__SCORO__*`)."""
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
    )
