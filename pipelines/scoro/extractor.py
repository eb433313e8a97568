"""What one module's dlt resource does: lists, views what changed, yields typed rows.

Per module the resource keeps, in dlt's resource state (committed with the load it belongs to):
- `cursor`: the newest `modified_date` loaded (UTC ISO), never past the sync's start; the next
  sync lists from `cursor - lookback` so that records saved late or with skewed clocks are not
  missed;
- `recent`: a fingerprint of each list record inside that look-back window (or of every record,
  for modules the API cannot filter), so a re-listed unchanged record costs no `view` call and
  writes no row;
- `pending_views`: records whose `view` failed; the next sync views them again even when the
  listing no longer shows them;
- `resume`: the filter and next page of a listing cut short by the daily request limit.

Documents (and contacts, projects, products, receipts) carry lines and custom fields only on
`view/{id}`: one call per new or changed record, several in flight, paced by the client's rate
limiter, behind a circuit breaker that stops the module once its views keep failing.

A module that fails (an error the API keeps answering, a listing that never ends) stops alone:
what it listed before is loaded, its cursor stays, the other modules go on, and the run ends
with the error. A refused key or an unreachable server stops the whole run.
"""

from __future__ import annotations

import copy
import hashlib
import json
import logging
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import dlt

from pipelines.scoro import schema
from pipelines.scoro.batches import Batches
from pipelines.scoro.client import (
    PagingKnowledge,
    ScoroClient,
    ServerUnreachable,
)
from pipelines.scoro.coerce import IssueContext, LoadIssue, to_timestamp
from pipelines.scoro.envelope import AuthenticationError, DailyLimitExhausted
from pipelines.scoro.rows import RecordRows, RowBuilder, column_hints, typed_key
from pipelines.scoro.run import ModuleFailure, SyncRun
from pipelines.scoro.views import Viewer, ViewOutcome, cancel, collect

logger = logging.getLogger("scoro_warehouse.source")

ISSUES_TABLE = "_scoro_load_issues"
LISTED_IDS_TABLE = "_scoro_listed_ids"
# a view still failing after this many syncs is given up, with a load issue
MAX_VIEW_RETRIES = 5
# a modified_date this far past the sync's start is a wrong date, not a skewed clock
FUTURE_TOLERANCE = timedelta(hours=1)
# listed pages whose views may be in flight while the rows of an earlier page are built
VIEW_LOOKAHEAD_PAGES = 1


def _fingerprint(record: dict[str, Any]) -> str:
    encoded = json.dumps(record, sort_keys=True, default=str).encode("utf-8", "surrogatepass")
    return hashlib.sha1(encoded, usedforsecurity=False).hexdigest()[:16]


class ModuleFailed(Exception):
    """This module cannot go on in this run (its views keep failing)."""


@dataclass
class Listed:
    record: dict[str, Any]
    key: Any
    seen: str  # "fingerprint|modified" as kept in `recent`


@dataclass
class _Page:
    """A listed page whose views are in flight."""

    number: int
    changed: list[Listed]
    issues: list[LoadIssue]
    views: list[Future[ViewOutcome] | None]


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
        max_pages: int | None,
        view_failure_limit: int,
    ) -> None:
        self.spec = spec
        self.client = client
        self.run = run
        self.site_zone = site_zone
        self.lookback = lookback
        self.full_sweep = full_sweep
        self.tenant = client.credentials.company_account_id
        self.rows = RowBuilder(spec, self.tenant, run.started_at, site_zone)
        self.viewer = Viewer(client, spec, self.rows.key_type, view_failure_limit)
        self.batches = Batches()
        self.flagged = run.mirror.flagged.get(spec.table, set())
        # None when the file was not read (sync() always reads it)
        self.known = run.mirror.keys.get(spec.table) if run.mirror.keys else None
        self.max_pages = max_pages or _expected_pages(run.mirror.counts.get(spec.table, 0))

    # ---- state ------------------------------------------------------------------------
    def _state(self) -> dict[str, Any]:
        state = dlt.current.resource_state()
        inherited = (self.run.inherited_state or {}).get(self.spec.table)
        if not state and inherited:
            # first run under the tenant's new pipeline name: go on from the old cursors
            state.update(copy.deepcopy(inherited))
        return state

    @staticmethod
    def _knowledge() -> PagingKnowledge:
        paging = dlt.current.source_state().setdefault("paging", {})
        return PagingKnowledge(
            honours_per_page=bool(paging.get("honours_per_page")), cap=paging.get("cap")
        )

    @staticmethod
    def _remember(knowledge: PagingKnowledge) -> None:
        """Adds what this listing learned to what other modules learned (never unlearns)."""
        paging = dlt.current.source_state().setdefault("paging", {})
        paging["honours_per_page"] = bool(paging.get("honours_per_page")) or (
            knowledge.honours_per_page
        )
        if knowledge.cap is not None:
            paging["cap"] = knowledge.cap

    def _since(self, state: dict[str, Any]) -> datetime | None:
        """Records modified before this are already in the mirror."""
        if not self.spec.incremental or not state.get("cursor"):
            return None
        return datetime.fromisoformat(state["cursor"]) - self.lookback

    def _format_for_api(self, moment: datetime) -> str:
        return moment.astimezone(self.site_zone).strftime("%Y-%m-%d %H:%M:%S")

    # ---- listing ----------------------------------------------------------------------
    def extract(self) -> Iterator[Any]:
        state = self._state()
        recent: dict[str, str] = state.setdefault("recent", {})
        pending: dict[str, int] = state.setdefault("pending_views", {})
        resume = state.get("resume")
        if resume:
            since = datetime.fromisoformat(resume["since"]) if resume["since"] else None
            start_page = int(resume["page"])
        else:
            since = self._since(state)
            start_page = 1
        # a sweep lists every id (to find old deletes) but still views only what changed
        api_from = self._format_for_api(since) if since and not self.full_sweep else None
        cursor = datetime.fromisoformat(state["cursor"]) if state.get("cursor") else None
        newest = cursor
        listed: set[Any] = set()
        knowledge = self._knowledge()
        page_number = start_page
        # pages whose views are in flight: the next page's views run while this one's rows
        # are built
        queue: deque[_Page] = deque()
        try:
            pages = self.client.list_pages(
                self.spec.module,
                key_of=self.rows.key_of,
                knowledge=knowledge,
                from_date=api_from,
                start_page=start_page,
                max_pages=self.max_pages,
            )
            try:
                for page_number, records in pages:
                    changed: list[Listed] = []
                    issues: list[LoadIssue] = []
                    for position, record in enumerate(records):
                        item = self._listed(record, page_number, position, issues, listed, recent)
                        if item is None:
                            continue
                        modified = self._modified(item.record)
                        if (
                            modified is not None
                            and modified > self.run.started_at + FUTURE_TOLERANCE
                        ):
                            issues.append(self._future_issue(item.key, item.record))
                        elif modified is not None and (newest is None or modified > newest):
                            newest = modified
                        relisted = item.key in self.flagged and not _is_deleted(item.record)
                        retry = str(item.key) in pending
                        # a record the mirror lacks (missed by an earlier listing whose pages
                        # shifted, say) is fetched however old it is
                        missing = self.known is not None and item.key not in self.known
                        forced = relisted or retry or missing
                        if since and modified and modified < since and not forced:
                            continue  # unchanged since the last sync
                        if recent.get(str(item.key)) == item.seen and not forced:
                            continue
                        changed.append(item)
                    keys = [item.key if self._needs_view(item.record) else None for item in changed]
                    queue.append(_Page(page_number, changed, issues, self.viewer.submit(keys)))
                    while len(queue) > VIEW_LOOKAHEAD_PAGES:
                        yield from self._finish(queue.popleft(), state, since, recent, pending)
            except (AuthenticationError, ServerUnreachable, DailyLimitExhausted, ModuleFailed):
                raise
            except Exception:
                # the listing failed: what it listed before is still loaded
                while queue:
                    yield from self._finish(queue.popleft(), state, since, recent, pending)
                raise
            while queue:
                yield from self._finish(queue.popleft(), state, since, recent, pending)
            yield from self._retry_pending_views(pending, listed, recent)
        except DailyLimitExhausted as error:
            _cancel(queue)
            self.run.stopped_by_daily_limit = error.reset_seconds or 0.0
            logger.warning(
                "%s: daily request limit reached at page %s; state kept, the next sync resumes",
                self.spec.module,
                page_number,
            )
            yield from self.batches.flush()
            return
        except (AuthenticationError, ServerUnreachable):
            _cancel(queue)
            raise  # nothing can be synced: the run stops
        except Exception as error:  # this module stops; the others go on
            _cancel(queue)
            state.pop("resume", None)
            message = str(error) or repr(error)
            if self.spec.module not in message:
                message = f"{self.spec.module}: {message}"
            logger.error("%s", message)
            logger.debug("module %s failed", self.spec.module, exc_info=True)
            self.run.failures.append(ModuleFailure(self.spec.module, message))
            yield from self.batches.flush()
            return
        state.pop("resume", None)
        self._remember(knowledge)
        if newest is not None:
            # a cursor past the sync's start would skip every later change (issue 8 #3)
            newest = min(newest, self.run.started_at)
            state["cursor"] = newest.isoformat()
        if self.spec.incremental and newest is not None:
            _trim(recent, newest - self.lookback)
        yield from self.batches.flush()
        if self._sweeps():
            yield self._listed_ids_row(listed)

    def _listed(
        self,
        record: Any,
        page_number: int,
        position: int,
        issues: list[LoadIssue],
        listed: set[Any],
        recent: dict[str, str],
    ) -> Listed | None:
        """A listed record with its typed key, or None (with an issue) when it cannot be one.
        An unusable record is reported once, not at every sync that lists it unchanged."""
        where = f"(page {page_number}, position {position})"
        context = IssueContext(self.spec.module, self.spec.table, where)
        key = self.rows.key_of(record) if isinstance(record, dict) else None
        if key is None:
            unusable = f"unusable:{_fingerprint({'record': record})}"
            if unusable in recent:
                return None
            recent[unusable] = "|"
        if not isinstance(record, dict):
            issues.append(
                context.issue("(record)", record, "is not a record", "not loaded (kept here)")
            )
            return None
        if key is None:
            issues.append(
                context.issue(
                    self.spec.primary_key,
                    record,
                    f"a record without a usable '{self.spec.primary_key}' "
                    f"({record.get(self.spec.primary_key)!r})",
                    "record not loaded (its JSON is kept here)",
                )
            )
            return None
        if key in listed:
            # listed twice in one listing (pages shifted as records changed): the first copy
            # is loaded; a newer copy is picked up by the next sync, since `recent` holds the
            # first one's fingerprint
            logger.info("%s: record %s listed again on page %s", self.spec.module, key, page_number)
            return None
        listed.add(key)
        modified = self._modified(record)
        seen = f"{_fingerprint(record)}|{modified.isoformat() if modified else ''}"
        return Listed(record, key, seen)

    def _future_issue(self, key: Any, record: dict[str, Any]) -> LoadIssue:
        context = IssueContext(self.spec.module, self.spec.table, str(key))
        return context.issue(
            "modified_date",
            record.get("modified_date"),
            "is in the future (after this sync started); the cursor stays at the sync's start",
            "stored as sent",
        )

    def _sweeps(self) -> bool:
        return self.full_sweep or not self.spec.incremental

    def _modified(self, record: dict[str, Any]) -> datetime | None:
        try:
            return to_timestamp(record.get("modified_date"), self.site_zone)
        except Exception:
            return None

    def _listed_ids_row(self, listed: set[Any]) -> Any:
        """Every id this complete listing returned: the sweep after the load flags the mirror's
        rows missing from it (sync.py). Loaded with the data, so a crash before the sweep
        leaves it to the next run, which applies it first."""
        key_type = self.rows.key_type
        ids = sorted(listed, key=lambda k: (str(type(k)), k))
        row = {
            schema.TENANT_COLUMN: self.tenant,
            "table_name": self.spec.table,
            "key_column": self.spec.primary_key,
            "key_type": key_type,
            "ids": json.dumps(ids),
            "listed_count": len(ids),
            "listed_at": self.run.started_at,
            "applied": False,
        }
        hints = dlt.mark.make_hints(
            table_name=LISTED_IDS_TABLE,
            write_disposition="merge",
            primary_key=[schema.TENANT_COLUMN, "table_name"],
            columns={
                "ids": {"data_type": "text"},
                "listed_at": {"data_type": "timestamp", "timezone": True},
                "applied": {"data_type": "bool"},
            },
        )
        return dlt.mark.with_hints([row], hints, create_table_variant=True)

    # ---- views and rows ---------------------------------------------------------------
    def _finish(
        self,
        page: _Page,
        state: dict[str, Any],
        since: datetime | None,
        recent: dict[str, str],
        pending: dict[str, int],
    ) -> Iterator[Any]:
        """The rows of one listed page, once its views are in; then the page is done: the
        listing would resume after it."""
        outcomes = collect(page.views)
        built: list[RecordRows] = []
        issues = page.issues
        for item, outcome in zip(page.changed, outcomes, strict=True):
            record = item.record
            if outcome is not None and outcome.record is not None:
                record = outcome.record
            rows = self.rows.build(record, item.key)
            built.append(rows)
            if outcome is not None and outcome.error is not None:
                issues.append(self._view_issue(item.key, outcome.error, pending))
                continue  # not remembered in `recent`: viewed again next time
            pending.pop(str(item.key), None)
            if outcome is None or not outcome.gone:
                recent[str(item.key)] = item.seen
        yield from self._emit(built, issues)
        state["resume"] = {
            "since": since.isoformat() if since else None,
            "page": page.number + 1,
        }
        if self.viewer.breaker.open:
            raise ModuleFailed(self.viewer.breaker.reason)

    def _needs_view(self, record: dict[str, Any]) -> bool:
        # a deleted record has no view; its lines stay as last seen
        return self.spec.needs_view and not _is_deleted(record)

    def _view_issue(self, key: Any, error: str, pending: dict[str, int]) -> LoadIssue:
        pending[str(key)] = pending.get(str(key), 0) + 1
        context = IssueContext(self.spec.module, self.spec.table, str(key))
        return context.issue(
            "(view)",
            None,
            f"view failed: {error}",
            "header loaded from the listing, lines and custom fields unchanged; the next sync "
            "views it again",
        )

    def _retry_pending_views(
        self, pending: dict[str, int], listed: set[Any], recent: dict[str, str]
    ) -> Iterator[Any]:
        """Views that failed in an earlier sync, for records this listing did not show again."""
        keys = []
        for text in list(pending):
            key = typed_key(text, self.rows.key_type)
            if key is None:
                pending.pop(text)
            elif key not in listed:
                keys.append(key)
        if not keys:
            return
        built: list[RecordRows] = []
        issues: list[LoadIssue] = []
        for key, outcome in zip(keys, self.viewer.views(keys), strict=True):
            assert outcome is not None
            if outcome.record is not None:
                built.append(self.rows.build(outcome.record, key))
                pending.pop(str(key), None)
                recent.pop(str(key), None)
            elif outcome.gone:
                pending.pop(str(key), None)
            elif pending.get(str(key), 0) + 1 >= MAX_VIEW_RETRIES:
                pending.pop(str(key), None)
                context = IssueContext(self.spec.module, self.spec.table, str(key))
                issues.append(
                    context.issue(
                        "(view)",
                        None,
                        f"view failed in {MAX_VIEW_RETRIES} syncs: {outcome.error}",
                        "given up: lines and custom fields stay as last loaded",
                    )
                )
            else:
                pending[str(key)] = pending.get(str(key), 0) + 1
        yield from self._emit(built, issues)
        if self.viewer.breaker.open:
            raise ModuleFailed(self.viewer.breaker.reason)

    def _emit(self, built: list[RecordRows], issues: list[LoadIssue]) -> Iterator[Any]:
        """Adds the rows to this module's batches (handed to dlt as Arrow tables once big
        enough), and yields the load issues."""
        for rows in built:
            issues.extend(rows.issues)
            for table, table_rows in rows.tables.items():
                if not table_rows:
                    continue
                if table == self.spec.table:
                    self.batches.add(table, table_rows, self.rows.parent_hints())
                    continue
                placeholders = sum(1 for row in table_rows if row.get(schema.TOMBSTONE_COLUMN))
                if placeholders:
                    self.run.placeholders[table] = (
                        self.run.placeholders.get(table, 0) + placeholders
                    )
                self.batches.add(table, table_rows, self.rows.child_hints(table))
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
        yield from self.batches.full()


def _cancel(queue: deque[_Page]) -> None:
    for page in queue:
        cancel(page.views)
    queue.clear()


def _expected_pages(rows: int) -> int:
    """Pages a listing may take before it is a server that never ends: twice the mirror's
    size plus room for 10,000 new records; without a mirror, 100,000 pages."""
    if rows <= 0:
        return 100_000
    return 2 * (rows // 100 + 1) + 100


def _trim(recent: dict[str, str], horizon: datetime) -> None:
    """Forget records the next look-back window will not list again unless they change."""
    for record_id, seen in list(recent.items()):
        modified = seen.split("|", 1)[1]
        if modified and datetime.fromisoformat(modified) < horizon:
            del recent[record_id]


def _is_deleted(record: dict[str, Any]) -> bool:
    value = record.get("is_deleted")
    if isinstance(value, str):
        value = value.strip().lower()
    return value in (True, 1, "1", "true") or bool(record.get("deleted_date"))


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
