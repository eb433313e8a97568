"""`view/{id}` answers a friendly server never gives: another record, 404, ids of another type,
deleted records."""

from __future__ import annotations

from pathlib import Path

from hostile import HostileServer, api_error, document, issues, line, ok, rows, sync, viewed


def test_a_view_answering_another_record_is_not_merged_into_this_one(tmp_path: Path) -> None:
    invoices = [document(1), document(2)]
    wrong = {"on": True}
    views = {
        1: viewed(invoices[0], lines=[line(10)]),
        2: viewed(invoices[1], lines=[line(20)]),
    }

    def handler(call):
        if call.action == "view" and call.record_id == "2" and wrong["on"]:
            return ok(viewed(document(3), lines=[line(30)]))
        return None

    path = tmp_path / "w.duckdb"
    with HostileServer(
        {"invoices": invoices}, views={"invoices": views}, handler=handler
    ) as server:
        outcome = sync(server, path)
        assert outcome.code == 0, outcome.output
        assert sorted(r["id"] for r in rows(path, "invoices")) == [1, 2]
        assert [(r["invoice_id"], r["id"]) for r in rows(path, "invoice_lines")] == [(1, 10)]
        (issue,) = [i for i in issues(path) if i["record_id"] == "2"]
        assert "answered record 3" in issue["message"]
        wrong["on"] = False
        assert sync(server, path).code == 0
    found = sorted((r["invoice_id"], r["id"]) for r in rows(path, "invoice_lines"))
    assert found == [(1, 10), (2, 20)]


def test_a_view_that_is_gone_keeps_the_listed_header(tmp_path: Path) -> None:
    invoices = [document(1), document(2)]

    def handler(call):
        if call.action == "view" and call.record_id == "2":
            return api_error(404, "invoices 2 not found")
        return None

    path = tmp_path / "w.duckdb"
    with HostileServer({"invoices": invoices}, handler=handler) as server:
        outcome = sync(server, path)
    assert outcome.code == 0, outcome.output
    assert sorted(r["id"] for r in rows(path, "invoices")) == [1, 2]


def test_ids_that_change_type_between_list_and_view_are_one_record(tmp_path: Path) -> None:
    listed = document("7")
    path = tmp_path / "w.duckdb"
    with HostileServer(
        {"invoices": [listed]}, views={"invoices": {7: viewed(document(7), lines=[line("70")])}}
    ) as server:
        for _ in range(2):
            assert sync(server, path).code == 0
    assert [r["id"] for r in rows(path, "invoices")] == [7]
    assert [(r["invoice_id"], r["id"]) for r in rows(path, "invoice_lines")] == [(7, 70)]
    assert issues(path) == []


def test_deleted_records_are_not_viewed_and_keep_their_lines(tmp_path: Path) -> None:
    invoice = document(1)
    path = tmp_path / "w.duckdb"
    with HostileServer(
        {"invoices": [invoice]}, views={"invoices": {1: viewed(invoice, lines=[line(10)])}}
    ) as server:
        assert sync(server, path).code == 0
        server.records["invoices"] = [
            document(1, modified="2024-03-02 10:00:00", is_deleted=True, deleted_date="2024-03-02")
        ]
        server.calls.clear()
        assert sync(server, path).code == 0
        assert server.count("invoices", "view") == 0
    (row,) = rows(path, "invoices")
    assert row["is_deleted"] is True
    assert [r["id"] for r in rows(path, "invoice_lines")] == [10]
