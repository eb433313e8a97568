"""Values no column can hold, against small hostile servers: the field is flagged (null, or
rounded where DECISIONLOG §0 says so) with a load issue naming module, record and field; the
record and every other record load; nothing jams the next run (issue 8 #1, #10, #12)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from hostile import (
    HostileServer,
    document,
    issues,
    leave_a_package,
    ok_text,
    pending_jobs,
    rows,
    sync,
)


def _issue(path: Path, record: str, field: str) -> dict:
    found = [i for i in issues(path) if i["record_id"] == record and i["field"] == field]
    assert len(found) == 1, (record, field, issues(path))
    return found[0]


def test_decimals_that_do_not_fit_are_flagged_and_the_next_run_loads_the_fix(
    tmp_path: Path,
) -> None:
    """#1: 0.30000000000000004 (rounded), 1e400 and 30 digits (null), each with a load issue;
    exit 0; after the API fixes them, the next run loads the fixed values."""
    invoices = [
        document(1, sum="0.30000000000000004"),
        document(2, vat_sum="1e400"),
        document(3, sum="123456789012345678901234567890"),
        document(4, sum="99.95"),
    ]
    path = tmp_path / "w.duckdb"
    with HostileServer({"invoices": invoices}) as server:
        first = sync(server, path)
        assert first.code == 0, first.output
        by_id = {r["id"]: r for r in rows(path, "invoices")}
        assert by_id[1]["sum"] == Decimal("0.300000000")
        assert by_id[2]["vat_sum"] is None and by_id[2]["sum"] == Decimal("100")
        assert by_id[3]["sum"] is None
        assert by_id[4]["sum"] == Decimal("99.95")
        assert "rounded" in _issue(path, "1", "sum")["message"]
        assert _issue(path, "2", "vat_sum")["raw_value"] == "1e400"
        assert _issue(path, "3", "sum")["module"] == "invoices"

        server.records["invoices"] = [
            document(1, modified="2024-03-02 10:00:00", sum="0.30"),
            document(2, modified="2024-03-02 10:00:00", vat_sum="21.00"),
            document(3, modified="2024-03-02 10:00:00", sum="1234.50"),
            document(4, sum="99.95"),
        ]
        second = sync(server, path, "--lookback-minutes", "0")
        assert second.code == 0, second.output
        by_id = {r["id"]: r for r in rows(path, "invoices")}
        assert by_id[1]["sum"] == Decimal("0.30")
        assert by_id[2]["vat_sum"] == Decimal("21.00")
        assert by_id[3]["sum"] == Decimal("1234.50")


def test_a_package_that_cannot_load_is_reported_dropped_and_refetched(tmp_path: Path) -> None:
    """#1: a load package an earlier run left and that can no longer be normalized never blocks
    later runs: the next run names it, drops it, and fetches its data again (exit 0, nothing
    lost; dlt alone retries it at every run, ignores new data and exits 1)."""
    invoices = [document(i) for i in range(1, 6)]
    path = tmp_path / "w.duckdb"
    with HostileServer({"invoices": invoices}) as server:
        assert sync(server, path).code == 0
        leave_a_package(server, path)
        jobs = pending_jobs(tmp_path)
        assert jobs, "no pending package was left"
        for job in jobs:  # and it cannot be read any more
            job.write_bytes(b"not a job file")
        again = sync(server, path)
        assert again.code == 0, again.output
        assert sorted(r["id"] for r in rows(path, "invoices")) == [1, 2, 3, 4, 5, 6]
        assert "could not" in again.output and "invoices" in again.output
        third = sync(server, path)
        assert third.code == 0, third.output


def test_a_package_a_killed_run_left_is_loaded_first(tmp_path: Path) -> None:
    """#1: a run dies as dlt starts normalizing; the next run loads its package before
    anything else (and says so) instead of dropping it."""
    invoices = [document(i) for i in range(1, 6)]
    path = tmp_path / "w.duckdb"
    with HostileServer({"invoices": invoices}) as server:
        assert sync(server, path).code == 0
        leave_a_package(server, path)
        again = sync(server, path)
        assert again.code == 0, again.output
    assert "finished the load an earlier sync left" in again.output
    assert "could not" not in again.output
    assert sorted(r["id"] for r in rows(path, "invoices")) == [1, 2, 3, 4, 5, 6]


def test_one_bad_value_of_every_kind_flags_only_its_field(tmp_path: Path) -> None:
    """#10: a bigint past 64 bits, a datetime before year 1 in UTC, a lone surrogate, NaN and
    Infinity: each field is flagged and named; the records and the run go on."""
    # json.dumps writes NaN and Infinity as the bare literals, and "\ud800" as an escape
    invoices = [
        document(1, company_id=99999999999999999999),
        document(2, created_date="0001-01-01T00:30:00+01:00"),
        document(3, description="bad \ud800 text"),
        document(4, sum=float("nan"), vat_sum=float("inf"), discount=float("-inf")),
        document(5, sum="10", date="2024-02-30", is_sent="maybe"),
    ]
    path = tmp_path / "w.duckdb"
    with HostileServer({"invoices": invoices}) as server:
        outcome = sync(server, path)
    assert outcome.code == 0, outcome.output
    by_id = {r["id"]: r for r in rows(path, "invoices")}
    assert sorted(by_id) == [1, 2, 3, 4, 5]
    assert by_id[1]["company_id"] is None and _issue(path, "1", "company_id")
    assert by_id[2]["created_date"] is None and _issue(path, "2", "created_date")
    assert by_id[3]["description"] == "bad \ufffd text" and _issue(path, "3", "description")
    for field in ("sum", "vat_sum", "discount"):
        assert by_id[4][field] is None and _issue(path, "4", field)
    assert by_id[5]["date"] is None and by_id[5]["is_sent"] is None
    assert _issue(path, "5", "date") and _issue(path, "5", "is_sent")
    assert by_id[5]["sum"] == Decimal("10")


def test_data_that_is_not_a_list_is_an_error_naming_module_and_page(tmp_path: Path) -> None:
    """#10: `data: "oops"` (or an object) on a list is an error naming the module and the page,
    never a phantom record; the other modules load."""

    def handler(call):
        if call.module == "projects" and call.action == "list":
            return ok_text('"oops"')
        if call.module == "products" and call.action == "list":
            return ok_text('{"product_id": 5, "name": "a record, not a list"}')
        return None

    path = tmp_path / "w.duckdb"
    with HostileServer({"invoices": [document(1)]}, handler=handler) as server:
        outcome = sync(server, path)
    assert outcome.code == 1, outcome.output
    assert "projects" in outcome.stderr and "page 1" in outcome.stderr
    assert "products" in outcome.stderr
    assert rows(path, "projects") == [] and rows(path, "products") == []
    assert [r["id"] for r in rows(path, "invoices")] == [1]


def test_undeclared_keys_never_overwrite_declared_or_dlt_columns(tmp_path: Path) -> None:
    """#12: `SUM` (normalises onto `sum`), `_dlt_id`, `_dlt_load_id` and `tenant_id` sent by
    the API are load issues; the declared values and dlt's own columns stay right."""
    invoice = document(
        7,
        sum="10.00",
        SUM="999",
        _dlt_id="forged",
        _dlt_load_id="forged",
        tenant_id="someone-else",
        Extra_Field="kept",
    )
    path = tmp_path / "w.duckdb"
    with HostileServer({"invoices": [invoice]}) as server:
        outcome = sync(server, path)
    assert outcome.code == 0, outcome.output
    (row,) = rows(path, "invoices")
    assert row["sum"] == Decimal("10.00")
    assert row["_dlt_id"] != "forged" and row["_dlt_load_id"] != "forged"
    assert row["tenant_id"] == "hostile-agency"
    assert row["extra_field"] == "kept"
    flagged = {i["field"] for i in issues(path) if i["record_id"] == "7"}
    assert {"SUM", "_dlt_id", "_dlt_load_id", "tenant_id"} <= flagged
    assert _issue(path, "7", "SUM")["raw_value"] == "999"
