"""The loader's Postgres path (`sync --destination postgres`): the same merge, deletes, sweeps,
emptied-list tombstones, tenants and recovery as on DuckDB, checked against the simulator's
truth and against small hostile servers (tests/python/hostile.py), one new database per test on
the throwaway server. A Postgres destination has no file lock: nothing waits, nothing is locked.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import psycopg2
import pytest
from hostile import (
    DIE_AFTER_LOAD,
    HostileServer,
    document,
    empty_invoice_2_and_drop_vat_code_4,
    leave_a_package,
    line,
    lines_and_vat_codes,
    pending_jobs,
    sync,
    sync_process,
    viewed,
)
from postgres_mirror import pg_rows, pipeline_names, reader

from mirror import differences

CREDENTIALS = "DESTINATION__POSTGRES__CREDENTIALS"


def pg_sync(server, url: str, path: Path, *extra: str, **kwargs):
    """`scoro-warehouse sync --destination postgres` in this process, against `url`."""
    env = {CREDENTIALS: url, **kwargs.pop("env", {})}
    return sync(server, path, "--destination", "postgres", *extra, env=env, **kwargs)


def ids(url: str, table: str, where: str = "true", key: str = "id") -> list:
    return sorted(row[key] for row in pg_rows(url, table, where))


def local_folders(path: Path) -> list[Path]:
    return sorted(path.parent.glob(".postgres-*.dlt"))


def five_invoices() -> HostileServer:
    return HostileServer({"invoices": [document(i) for i in range(1, 6)]})


def pg_sync_then_leave_a_package(server: HostileServer, url: str, path: Path) -> None:
    """A complete sync into `url`, then one that dies as dlt starts normalizing invoice 6."""
    assert pg_sync(server, url, path).code == 0
    leave_a_package(server, path, "--destination", "postgres", env={CREDENTIALS: url})


def test_an_emptied_child_list_is_cleared_in_the_same_load(
    fresh_database: str, tmp_path: Path
) -> None:
    """A document whose custom fields became empty: dlt's merge deletes them with the load
    that brought the change (a hard-delete tombstone row, never stored), on Postgres too."""
    invoice = document(1)
    path = tmp_path / "w.duckdb"
    full = viewed(
        invoice, lines=[line(10)], custom_fields=[{"id": "c_po", "name": "PO", "value": "7"}]
    )
    with HostileServer({"invoices": [invoice]}, views={"invoices": {1: full}}) as server:
        assert pg_sync(server, fresh_database, path).code == 0
        assert len(pg_rows(fresh_database, "invoice_custom_fields")) == 1
        changed = document(1, modified="2024-03-02 10:00:00")
        server.records["invoices"] = [changed]
        server.views["invoices"][1] = viewed(changed, lines=[line(10)], custom_fields=[])
        outcome = pg_sync(server, fresh_database, path)
        assert outcome.code == 0, outcome.output
    assert pg_rows(fresh_database, "invoice_custom_fields") == []
    lines = pg_rows(fresh_database, "invoice_lines")
    assert [r["id"] for r in lines] == [10]
    assert not any(r.get("_scoro_tombstone") for r in lines)


def test_a_kill_between_load_and_sweep_is_made_good_by_the_next_run(
    fresh_database: str, tmp_path: Path
) -> None:
    """The process dies right after dlt's load: the emptied lines are already gone (same load),
    and the sweep of the VAT code missing from the listing, loaded as a pending
    _scoro_listed_ids row, is applied by the next run, even one that does not list VAT codes."""
    path = tmp_path / "w.duckdb"
    with lines_and_vat_codes() as server:
        assert pg_sync(server, fresh_database, path).code == 0
        assert len(pg_rows(fresh_database, "invoice_lines")) == 6
        empty_invoice_2_and_drop_vat_code_4(server)
        died = sync_process(
            server,
            path,
            "--destination",
            "postgres",
            "--lookback-minutes",
            "0",
            env={CREDENTIALS: fresh_database},
            driver=DIE_AFTER_LOAD,
        )
        assert died.code == 9, died.output
        (header,) = pg_rows(fresh_database, "invoices", "id = 2")
        assert header["description"] == "lines removed"  # the load did happen
        pending = pg_rows(fresh_database, "_scoro_listed_ids", "not applied")
        assert "vat_codes" in {row["table_name"] for row in pending}
        assert ids(fresh_database, "vat_codes", "is_deleted", key="vat_code_id") == []
        after = pg_sync(server, fresh_database, path, "--modules", "invoices")
        assert after.code == 0, after.output
    assert ids(fresh_database, "invoice_lines") == [10, 11, 30, 31]
    assert ids(fresh_database, "vat_codes", "is_deleted", key="vat_code_id") == [4]
    assert pg_rows(fresh_database, "_scoro_listed_ids", "not applied") == []


def test_a_package_a_killed_run_left_is_loaded_first(fresh_database: str, tmp_path: Path) -> None:
    """A run dies as dlt starts normalizing: its extracted package stays in the database's
    local folder, and the next run loads it before anything else, on the database it was
    meant for."""
    path = tmp_path / "w.duckdb"
    with five_invoices() as server:
        pg_sync_then_leave_a_package(server, fresh_database, path)
        (folder,) = local_folders(path)
        assert [p for p in folder.rglob("*") if p.is_file() and "extracted" in p.parts]
        again = pg_sync(server, fresh_database, path)
        assert again.code == 0, again.output
    assert "finished the load an earlier sync left" in again.output
    assert "could not" not in again.output
    assert ids(fresh_database, "invoices") == [1, 2, 3, 4, 5, 6]


def test_a_package_that_cannot_load_is_dropped_and_its_data_fetched_again(
    fresh_database: str, tmp_path: Path
) -> None:
    """The same package, unreadable: the next run names it, drops it (the cursors go back to
    the database's last completed load) and fetches its data again; nothing is lost."""
    path = tmp_path / "w.duckdb"
    with five_invoices() as server:
        pg_sync_then_leave_a_package(server, fresh_database, path)
        jobs = pending_jobs(tmp_path)
        assert jobs, "no pending package was left"
        for job in jobs:
            job.write_bytes(b"not a job file")
        again = pg_sync(server, fresh_database, path)
        assert again.code == 0, again.output
        assert "could not" in again.output and "invoices" in again.output
        assert pg_sync(server, fresh_database, path).code == 0
    assert ids(fresh_database, "invoices") == [1, 2, 3, 4, 5, 6]


@pytest.mark.parametrize(("first", "second"), [("acme-1", "ACME.1"), ("ü-1", "ö-1")])
def test_tenants_that_slug_alike_keep_their_own_cursors(
    fresh_database: str, tmp_path: Path, first: str, second: str
) -> None:
    """Injective pipeline names on Postgres too: the second tenant is not listed from the
    first's cursor, and each has its own state row."""

    class TenantServer(HostileServer):
        def __init__(self, companies: dict[str, dict]) -> None:
            super().__init__()
            self.companies = companies

        def answer(self, call):
            if call.action == "list":
                self.records = self.companies.get(call.body.get("company_account_id"), {})
                return self.list_reply(call)
            return super().answer(call)

    companies = {
        first: {"invoices": [document(i, modified="2024-06-01 10:00:00") for i in (1, 2, 3)]},
        second: {"invoices": [document(i, modified="2024-01-01 10:00:00") for i in (7, 8)]},
    }
    path = tmp_path / "w.duckdb"
    with TenantServer(companies) as server:
        assert pg_sync(server, fresh_database, path, tenant=first).code == 0
        outcome = pg_sync(server, fresh_database, path, tenant=second)
        assert outcome.code == 0, outcome.output
    assert ids(fresh_database, "invoices", f"tenant_id = '{first}'") == [1, 2, 3]
    assert ids(fresh_database, "invoices", f"tenant_id = '{second}'") == [7, 8]
    assert len(pipeline_names(fresh_database)) == 2


def test_the_cursors_live_in_the_database(fresh_database: str, tmp_path: Path) -> None:
    """The local folder lost (a new machine, a cleaned checkout): the next sync takes the
    cursors from the database and lists incrementally; a database that lost the raw schema is
    synced in full again, whatever the local folder remembers."""
    invoices = [document(i) for i in (1, 2, 3)]
    path = tmp_path / "w.duckdb"
    with HostileServer({"invoices": invoices}) as server:
        assert pg_sync(server, fresh_database, path).code == 0
        for folder in local_folders(path):
            shutil.rmtree(folder)
        server.records["invoices"].append(document(4, modified="2024-03-05 10:00:00"))
        server.calls.clear()
        outcome = pg_sync(server, fresh_database, path)
        assert outcome.code == 0, outcome.output
        listing = next(c for c in server.calls if c.module == "invoices" and c.action == "list")
        assert listing.from_date is not None  # incremental, from the database's state
        assert ids(fresh_database, "invoices") == [1, 2, 3, 4]

        with psycopg2.connect(fresh_database) as connection, connection.cursor() as cursor:
            cursor.execute("drop schema scoro_raw cascade")
        connection.close()
        server.calls.clear()
        outcome = pg_sync(server, fresh_database, path)
        assert outcome.code == 0, outcome.output
        listing = next(c for c in server.calls if c.module == "invoices" and c.action == "list")
        assert listing.from_date is None  # in full
    assert ids(fresh_database, "invoices") == [1, 2, 3, 4]


def test_a_reader_holding_the_tables_does_not_stop_the_sync(
    fresh_database: str, tmp_path: Path
) -> None:
    """DuckDB's file lock has no counterpart: a reader in the middle of a transaction (dbt,
    a notebook) and the sync work side by side, without --wait."""
    invoices = [document(i) for i in (1, 2)]
    path = tmp_path / "w.duckdb"
    with HostileServer({"invoices": invoices}) as server:
        assert pg_sync(server, fresh_database, path).code == 0
        reader_connection = psycopg2.connect(fresh_database)
        try:
            with reader_connection.cursor() as cursor:
                cursor.execute("select count(*) from scoro_raw.invoices")  # transaction open
                assert cursor.fetchone()[0] == 2
            server.records["invoices"][0] = document(1, modified="2024-03-02 10:00:00", sum="7")
            outcome = pg_sync(server, fresh_database, path, "--lookback-minutes", "0")
            assert outcome.code == 0, outcome.output
            assert "locked" not in outcome.output
        finally:
            reader_connection.close()
    (first,) = pg_rows(fresh_database, "invoices", "id = 1")
    assert first["sum"] == 7


def test_an_unreachable_database_is_one_clear_error_without_the_password(
    tmp_path: Path, postgres
) -> None:
    """A server that does not answer: exit 1 and one line naming host, port and database;
    the password never appears."""
    from postgres_cluster import free_port

    url = f"postgresql://scoro:s3cret-pw-9f@127.0.0.1:{free_port()}/nowhere"
    with HostileServer({"invoices": [document(1)]}) as server:
        outcome = pg_sync(server, url, tmp_path / "w.duckdb")
        assert server.count() == 0  # nothing fetched that could not be stored
    assert outcome.code == 1, outcome.output
    assert "cannot reach the Postgres destination 127.0.0.1:" in outcome.stderr
    assert "/nowhere" in outcome.stderr
    assert "s3cret-pw-9f" not in outcome.output


def test_missing_credentials_say_where_to_put_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(CREDENTIALS, raising=False)
    with HostileServer({"invoices": [document(1)]}) as server:
        outcome = sync(server, tmp_path / "w.duckdb", "--destination", "postgres")
    assert outcome.code == 1
    assert CREDENTIALS in outcome.stderr and ".dlt/secrets.toml" in outcome.stderr


def test_the_three_engine_run_s_postgres_mirror_equals_the_simulators_truth(warehouses) -> None:
    """The Postgres mirror of the three-engine run (conftest.py: two tenants synced in full,
    then records changed, added, deleted and two invoices purged, deleted long ago so that only
    the full id sweep finds them, and synced again with --full-sweep): every raw row of both
    tenants equals the simulator's truth, field by field."""
    url = warehouses.postgres_url
    swept = warehouses.last_syncs["postgres"]["demo-agency"]
    assert swept.swept_deleted.get("invoices") == len(warehouses.purged) == 2
    assert "postgres" in swept.summary()
    truths = warehouses.truths
    flagged = ids(url, "invoices", "tenant_id = 'demo-agency' and is_deleted")
    assert set(warehouses.purged) <= set(flagged)
    # a swept record's deletion time is the time of the listing that missed it (the simulator
    # cannot know it): checked here, then taken as the truth's
    started, ended = warehouses.sweep_window["postgres"]
    for row in truths["demo-agency"]["invoices"]:
        if row["id"] in warehouses.purged:
            where = "tenant_id = 'demo-agency' and id = %s"
            (mirrored,) = pg_rows(url, "invoices", where, (row["id"],))
            assert started <= mirrored["deleted_date"] <= ended
            row["deleted_date"] = mirrored["deleted_date"]
    read = reader(url)
    for tenant, truth in truths.items():
        for table, rows in truth.items():
            assert len(read(table, tenant)) == len(rows), (tenant, table)
        assert differences(None, truth, tenant, read=read) == [], tenant
    assert ids(url, "invoice_lines", "_scoro_tombstone") == []
    assert not (warehouses.workdir / "postgres-state" / "scoro.duckdb").exists()
