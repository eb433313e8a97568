"""One sync of one Scoro account into a DuckDB file, or into a Postgres database.

1. The file must be writable (a reader or dbt holding it is named; `--wait` waits for it); a
   Postgres database must answer (it has no file lock: destinations.py).
2. Load packages an earlier run left unfinished are loaded first; one that cannot load is
   reported (tables, reason) and dropped, which rewinds the pipeline's state to the last
   completed load, so its data is fetched again and nothing is lost or jammed (issue 8 #1).
3. A sweep a crashed run loaded but did not apply is applied (sweep.py).
4. dlt extracts, normalizes and loads (merge; emptied child lists travel as hard-delete rows).
5. The sweep of this run's complete listings.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import dlt
from dlt.pipeline.exceptions import PipelineStepFailed

from pipelines.scoro import destinations
from pipelines.scoro.client import ServerUnreachable
from pipelines.scoro.destinations import Destination, DestinationUnreachable
from pipelines.scoro.envelope import AuthenticationError
from pipelines.scoro.lock import FileLocked
from pipelines.scoro.run import ModuleFailure, SyncRun
from pipelines.scoro.source import scoro
from pipelines.scoro.sweep import apply_sweeps, mirror_facts
from pipelines.scoro.tenants import RAW_DATASET, inherited_state, pipeline_for

logger = logging.getLogger("scoro_warehouse.sync")

__all__ = ["RAW_DATASET", "SyncResult", "sync", "pipeline_for", "SyncFailed"]


class SyncFailed(RuntimeError):
    """The run could not complete; `exit_code` says how (see the CLI's --help)."""

    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        self.exit_code = exit_code


@dataclass
class SyncResult:
    duckdb_path: Path
    tenant: str
    rows_loaded: dict[str, int] = field(default_factory=dict)
    requests: dict[str, int] = field(default_factory=dict)
    issues: int = 0
    swept_deleted: dict[str, int] = field(default_factory=dict)
    sweeps_skipped: list[str] = field(default_factory=list)
    stopped_by_daily_limit: float | None = None
    failures: list[ModuleFailure] = field(default_factory=list)
    recovered: list[str] = field(default_factory=list)
    # where the rows went, as the summary says it (the DuckDB file by default)
    written_to: str = ""

    @property
    def complete(self) -> bool:
        return self.stopped_by_daily_limit is None and not self.failures

    def summary(self) -> str:
        loaded = sum(
            n
            for t, n in self.rows_loaded.items()
            if not t.startswith("_dlt") and not t.startswith("_scoro_listed")
        )
        lines = [
            f"tenant {self.tenant}: {loaded} rows written to {self.written_to or self.duckdb_path} "
            f"({self.requests.get('list', 0)} list and {self.requests.get('view', 0)} view "
            f"requests, {self.issues} load issues in scoro_raw._scoro_load_issues)"
        ]
        for table, count in sorted(self.rows_loaded.items()):
            if not table.startswith("_dlt") and not table.startswith("_scoro_listed") and count:
                lines.append(f"  {table}: {count}")
        for table, count in sorted(self.swept_deleted.items()):
            if count:
                lines.append(f"  {table}: {count} flagged deleted by the id sweep")
        for reason in self.sweeps_skipped:
            lines.append(f"  sweep skipped: {reason}")
        for note in self.recovered:
            lines.append(f"  {note}")
        for failure in self.failures:
            lines.append(f"failed: {failure.message}")
        if self.stopped_by_daily_limit is not None:
            lines.append(
                "stopped: the daily request limit is reached; state is kept and the next sync "
                f"resumes (limit resets in {self.stopped_by_daily_limit:.0f} s)"
            )
        return "\n".join(lines)


def _keep_dlt_columns() -> None:
    """Rows reach dlt as Arrow tables (batches.py); dlt adds its load id and row id to them as
    it does to Python rows, so raw tables keep their `_dlt_load_id` and `_dlt_id` columns
    (NOT NULL in mirrors made before)."""
    for option in ("add_dlt_id", "add_dlt_load_id"):
        key = f"normalize.parquet_normalizer.{option}"
        if dlt.config.get(key) is None:
            dlt.config[key] = True


def sync(
    duckdb_path: str | Path,
    *,
    base_url: str | None = None,
    api_key: str | None = None,
    company_account_id: str | None = None,
    wait: float | None = None,
    destination: str = destinations.DUCKDB,
    **settings: Any,
) -> SyncResult:
    """Mirror every module of one account. Settings not given come from dlt's config.

    `destination` "postgres" writes to the database of dlt's postgres credentials instead of
    the file; `duckdb_path`'s folder then holds the pipeline's local folder (destinations.py).
    """
    duckdb_path = Path(duckdb_path)
    duckdb_path.parent.mkdir(parents=True, exist_ok=True)
    _keep_dlt_columns()
    run = SyncRun()
    tenant = str(company_account_id or dlt.config.get("sources.scoro.company_account_id") or "")
    if not tenant:
        raise ValueError(
            "company_account_id is not set: pass --company-account-id, or set "
            "SOURCES__SCORO__COMPANY_ACCOUNT_ID or [sources.scoro] company_account_id"
        )
    given = {
        "base_url": base_url,
        "api_key": api_key,
        "company_account_id": tenant,
        **settings,
    }
    target = destinations.open_destination(destination, duckdb_path, wait)
    pipeline = target.pipeline(tenant)
    result = SyncResult(duckdb_path=duckdb_path, tenant=tenant, written_to=target.describe())
    target.check_ready()
    result.recovered = _finish_or_drop_pending(pipeline, target)

    def prepare() -> None:
        with target.connect() as connection:
            # a sweep loaded by a run that died before applying it
            for outcome in apply_sweeps(connection, tenant):
                _record_sweep(result, outcome)
            run.mirror = mirror_facts(connection, tenant)
            run.inherited_state = inherited_state(connection, tenant)

    target.guarded(prepare)
    source = scoro(run=run, **{k: v for k, v in given.items() if v is not None})
    try:
        pipeline.run(source, loader_file_format=target.loader_file_format)
    except PipelineStepFailed as error:
        _close_client(run)
        holder = target.lock_holder(error)
        if error.step != "load" or holder is False:
            raise _explain(error, pipeline, target) from error
        # a reader took the file while we extracted: the normalized package waits for it
        if wait is None:
            raise target.locked(holder or None) from error
        target.guarded(pipeline.load)
    finally:
        _close_client(run)

    trace = pipeline.last_trace
    if trace is not None and trace.last_normalize_info is not None:
        result.rows_loaded = {
            table: count - run.placeholders.get(table, 0)
            for table, count in trace.last_normalize_info.row_counts.items()
        }
    if run.client is not None:
        result.requests = dict(run.client.request_counts)
    result.issues = len(run.issues)
    result.stopped_by_daily_limit = run.stopped_by_daily_limit
    result.failures = list(run.failures)

    def sweep() -> None:
        with target.connect() as connection:
            for outcome in apply_sweeps(connection, tenant):
                _record_sweep(result, outcome)

    target.guarded(sweep)
    if result.failures and all(_refused(f) for f in result.failures):
        raise SyncFailed(
            "the API refused every module (HTTP 403): "
            + "; ".join(sorted({f.message for f in result.failures})[:3]),
            exit_code=4,
        )
    return result


def _close_client(run: SyncRun) -> None:
    if run.client is not None:
        run.client.close()


def _refused(failure: ModuleFailure) -> bool:
    return "HTTP 403" in failure.message


def _record_sweep(result: SyncResult, outcome: Any) -> None:
    if outcome.skipped:
        result.sweeps_skipped.append(outcome.skipped)
    else:
        result.swept_deleted[outcome.table] = (
            result.swept_deleted.get(outcome.table, 0) + outcome.flagged
        )


def _pending_description(pipeline: dlt.Pipeline) -> str:
    parts = []
    for load_id in [
        *pipeline.list_extracted_load_packages(),
        *pipeline.list_normalized_load_packages(),
    ]:
        try:
            info = pipeline.get_load_package_info(load_id)
            tables = sorted(
                {
                    job.job_file_info.table_name
                    for jobs in info.jobs.values()
                    for job in jobs
                    if not job.job_file_info.table_name.startswith("_dlt")
                }
            )
            failed = [
                job.failed_message for job in info.jobs.get("failed_jobs", []) if job.failed_message
            ]
            text = f"package {load_id} ({info.state}; tables {', '.join(tables) or 'none'})"
            if failed:
                text += f": {failed[0][:300]}"
        except Exception:  # a package too broken to describe is still named
            text = f"package {load_id}"
        parts.append(text)
    return "; ".join(parts)


def _finish_or_drop_pending(pipeline: dlt.Pipeline, target: Destination) -> list[str]:
    """Loads what an earlier run left unfinished; drops it (rewinding the state) when it
    cannot load, so that no package blocks this or any later run."""
    if not pipeline.has_pending_data:
        return []
    described = _pending_description(pipeline)
    logger.warning("an earlier sync left unfinished load data: %s; loading it first", described)
    try:
        # the package's file format was fixed when it was extracted
        target.guarded(lambda: (pipeline.normalize(), pipeline.load()))
        return [f"finished the load an earlier sync left: {described}"]
    except (FileLocked, DestinationUnreachable):
        raise
    except Exception as error:
        reason = _root_message(error)
        logger.error(
            "could not load it (%s); dropping it: the mirror and its cursors go back to the "
            "last completed load, and this sync fetches that data again",
            reason,
        )
        try:
            pipeline.abort_packages()
        except Exception:
            logger.debug(
                "abort_packages failed; resetting the pipeline's local state", exc_info=True
            )
            pipeline.drop()
        if pipeline.has_pending_data:
            pipeline.drop()  # restores state and schemas from the file on the next run step
        return [f"dropped a load an earlier sync could not finish ({described}): {reason}"]


def _root_message(error: BaseException) -> str:
    current: BaseException = error
    seen = set()
    while (current.__cause__ or current.__context__) and id(current) not in seen:
        seen.add(id(current))
        current = current.__cause__ or current.__context__  # type: ignore[assignment]
    text = str(current) or repr(current)
    return " ".join(text.split())[:400]


def _explain(error: PipelineStepFailed, pipeline: dlt.Pipeline, target: Destination) -> Exception:
    """One clear error for a failed dlt step: the API's refusal, an unreachable server, a locked
    file, or what could not be normalized/loaded (the package stays for the next run)."""
    current: BaseException | None = error
    seen: set[int] = set()
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, AuthenticationError):
            return SyncFailed(f"the API refused the credentials: {current}", exit_code=4)
        if isinstance(current, SyncFailed | FileLocked | DestinationUnreachable):
            return current
        if isinstance(current, ServerUnreachable):
            return SyncFailed(str(current))
        if isinstance(current, ValueError) and "unknown module" in str(current):
            return SyncFailed(str(current), exit_code=2)
        current = current.__cause__ or current.__context__
    holder = target.lock_holder(error)
    if holder is not False:
        return target.locked(holder or None)
    pending = _pending_description(pipeline) if pipeline.has_pending_data else ""
    message = f"{error.step} failed: {_root_message(error)}"
    if pending:
        message += f" (left for the next sync, which loads it first or drops it: {pending})"
    return SyncFailed(message)
