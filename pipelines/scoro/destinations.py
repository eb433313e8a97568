"""Where a sync writes the raw tables: the DuckDB file (the default) or a Postgres database.

Both go through dlt (merge keys, hard-delete tombstones of emptied child lists, nested tables and
schema evolution behave the same); the steps around dlt's run (finishing a package an earlier run
left, the sweeps, the facts the extractor reads from the mirror, inherited cursors) run on a
connection of the destination, through the few DuckDB calls they use (``PostgresConnection``
offers them on psycopg2). What differs per destination is here:

- DuckDB: one writing process per file, so every step is guarded by the file lock (lock.py:
  a holder is named, ``--wait`` waits). The pipeline's folder sits beside the file.
- Postgres: many writers are normal, there is no file to lock and nothing to wait for; a server
  that cannot be reached fails at once with its host, port and database (never the password).
  Its credentials come from dlt's config like every dlt destination:
  ``DESTINATION__POSTGRES__CREDENTIALS=postgresql://user:password@host:5432/db`` or
  ``[destination.postgres] credentials = "..."`` in ``.dlt/secrets.toml``. The pipeline's folder
  is ``.postgres-<host>-<port>-<database>-<hash>.dlt`` beside the ``--duckdb`` path's folder: one
  per database, so a package a crashed run left is finished on the database it was meant for, and
  two databases never share a cursor. dlt keeps the state in the database too
  (``_dlt_pipeline_state``) and takes it from there when it is newer, or wipes the folder when
  the database lost the dataset (a new database starts with a full sync).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import dlt
import duckdb

from pipelines.scoro.lock import FileLocked, check_writable, lock_holder, with_file
from pipelines.scoro.sqlconnection import PostgresConnection
from pipelines.scoro.tenants import (
    RAW_DATASET,
    TenantProgress,
    pipeline_for,
    pipeline_name,
)

DUCKDB = "duckdb"
POSTGRES = "postgres"
DESTINATIONS = (DUCKDB, POSTGRES)
T = TypeVar("T")


class DestinationUnreachable(RuntimeError):
    """The warehouse could not be reached or its credentials are missing."""


def check(destination: str) -> str:
    if destination not in DESTINATIONS:
        raise ValueError(
            f"unknown destination {destination!r}: choose one of {', '.join(DESTINATIONS)}"
        )
    return destination


class DuckDBDestination:
    """The DuckDB file: every step holds the file (lock.py)."""

    name = DUCKDB
    loader_file_format = "parquet"

    def __init__(self, duckdb_path: Path, wait: float | None) -> None:
        self.path = Path(duckdb_path)
        self.wait = wait

    def describe(self) -> str:
        return str(self.path)

    def pipeline(self, tenant: str) -> dlt.Pipeline:
        return pipeline_for(self.path, tenant)

    def check_ready(self) -> None:
        if self.path.exists():
            check_writable(self.path, self.wait)

    def guarded(self, action: Callable[[], T]) -> T:
        return with_file(self.path, self.wait, action)

    def lock_holder(self, error: BaseException) -> str | None | bool:
        return lock_holder(error)

    def locked(self, holder: str | None) -> FileLocked:
        return FileLocked(self.path, holder, None)

    @contextmanager
    def connect(self) -> Iterator[Any]:
        with duckdb.connect(str(self.path)) as connection:
            yield connection


class PostgresDestination:
    """A Postgres database through dlt's postgres destination: no file, no lock."""

    name = POSTGRES
    # dlt's insert statements, named: left to dlt, Arrow batches go in as CSV, whose COPY reads
    # an empty string of a nullable column as null (FORCE_NULL); parquet needs an ADBC driver
    loader_file_format = "insert_values"

    def __init__(self, duckdb_path: Path, credentials: Any = None) -> None:
        self.factory = dlt.destinations.postgres(credentials=credentials)
        config = self.factory.configuration(None, accept_partial=True)
        self.credentials = config.credentials
        if self.credentials is None or not self.credentials.is_resolved():
            raise DestinationUnreachable(
                "no Postgres credentials: set DESTINATION__POSTGRES__CREDENTIALS="
                "postgresql://user:password@host:5432/database, or credentials under "
                "[destination.postgres] in .dlt/secrets.toml"
            )
        self.workdir = Path(duckdb_path).resolve().parent

    @property
    def address(self) -> str:
        c = self.credentials
        return f"{c.host}:{c.port}/{c.database}"

    def describe(self) -> str:
        return f"postgres {self.address} schema {RAW_DATASET}"

    def pipelines_dir(self) -> Path:
        c = self.credentials
        identity = f"{c.host}\0{c.port}\0{c.database}\0{RAW_DATASET}"
        digest = hashlib.sha256(identity.encode()).hexdigest()[:10]
        label = re.sub(r"[^a-zA-Z0-9_]+", "_", f"{c.host}-{c.port}-{c.database}")[:60]
        return self.workdir / f".postgres-{label}-{digest}.dlt"

    def pipeline(self, tenant: str) -> dlt.Pipeline:
        return dlt.pipeline(
            pipeline_name=pipeline_name(tenant),
            pipelines_dir=str(self.pipelines_dir()),
            destination=self.factory,
            dataset_name=RAW_DATASET,
            progress=TenantProgress(tenant),
        )

    def check_ready(self) -> None:
        with self.connect():
            pass

    def guarded(self, action: Callable[[], T]) -> T:
        return action()

    def lock_holder(self, error: BaseException) -> str | None | bool:
        return False

    def locked(self, holder: str | None) -> Exception:  # never called: nothing is locked
        return RuntimeError(f"postgres {self.address} reported a lock")

    @contextmanager
    def connect(self) -> Iterator[PostgresConnection]:
        import psycopg2

        try:
            native = psycopg2.connect(self.credentials.to_native_representation())
        except psycopg2.OperationalError as error:
            reason = " ".join(str(error).split())
            raise DestinationUnreachable(
                f"cannot reach the Postgres destination {self.address} as user "
                f"{self.credentials.username}: {reason}"
            ) from None
        connection = PostgresConnection(native)
        try:
            yield connection
        finally:
            connection.close()


Destination = DuckDBDestination | PostgresDestination


def open_destination(destination: str, duckdb_path: Path, wait: float | None) -> Destination:
    if check(destination) == POSTGRES:
        return PostgresDestination(duckdb_path)
    return DuckDBDestination(duckdb_path, wait)
