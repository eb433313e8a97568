"""Shapes Scoro's SDK declares (issue 8 §2), each sent by a small hostile server, mapped to the
raw layout of CONVENTIONS.md: known shapes give one row per element, never two elements in one
row; an unknown shape is kept as JSON in a load issue naming module, record and field."""

from __future__ import annotations

import json
from pathlib import Path

from hostile import HostileServer, document, issues, line, rows, sync, viewed


def _module(id_: int, path: str, title: str) -> dict:
    return {
        "id": id_,
        "title": title,
        "path": path,
        "full_path": f"/modules/{path}",
        "parent_module_id": 0,
        "primary_custom_field_name": "name",
        "use_permissions": True,
    }


def test_custom_field_modules_as_objects_names_and_position_keyed(tmp_path: Path) -> None:
    fields = [
        {
            "id": "c_obj",
            "name": "Objects",
            "type": "text",
            "modules": [_module(7, "invoices", "Invoices"), _module(8, "projects", "Projects")],
        },
        {"id": "c_names", "name": "Names", "type": "text", "modules": ["invoices", "bills"]},
        {
            "id": "c_keyed",
            "name": "Keyed",
            "type": "text",
            "modules": {"0": _module(9, "quotes", "Quotes"), "2": {"id": 10, "title": "Deals"}},
        },
    ]
    path = tmp_path / "w.duckdb"
    with HostileServer({"customFields": fields}) as server:
        outcome = sync(server, path)
    assert outcome.code == 0, outcome.output
    found = {
        (r["custom_field_id"], r["_index"]): r
        for r in rows(path, "custom_field_modules", order="custom_field_id, _index")
    }
    assert sorted(found) == [
        ("c_keyed", 0),
        ("c_keyed", 2),
        ("c_names", 0),
        ("c_names", 1),
        ("c_obj", 0),
        ("c_obj", 1),
    ]
    invoices = found[("c_obj", 0)]
    assert (invoices["module_name"], invoices["module_id"], invoices["title"]) == (
        "invoices",
        7,
        "Invoices",
    )
    assert invoices["full_path"] == "/modules/invoices" and invoices["parent_module_id"] == 0
    assert invoices["use_permissions"] == "true"  # an undeclared key: a column of its own
    assert found[("c_obj", 1)]["module_name"] == "projects"
    assert found[("c_names", 1)]["module_name"] == "bills"
    assert found[("c_keyed", 2)]["module_name"] == "Deals"  # no path: its title
    assert issues(path) == []


def test_child_lists_keyed_by_position(tmp_path: Path) -> None:
    """PHP's `{"0": {...}, "2": {...}}` for lines and addresses: one row per element, in key
    order; `_index` is the key itself."""
    invoice = document(1)
    contact = {
        "contact_id": 5,
        "name": "Acme",
        "modified_date": "2024-03-01T10:00:00+00:00",
        "addresses": {"0": {"city": "Tallinn"}, "2": {"city": "Tartu"}},
        "means_of_contact": {"0": {"type": "email", "value": "a@x.ee"}},
        "custom_fields": None,
    }
    views = {1: viewed(invoice, lines={"0": line(10), "2": line(12)})}
    path = tmp_path / "w.duckdb"
    with HostileServer(
        {"invoices": [invoice], "contacts": [contact]},
        views={"invoices": views, "contacts": {5: contact}},
    ) as server:
        assert sync(server, path).code == 0
    assert [r["id"] for r in rows(path, "invoice_lines", order="id")] == [10, 12]
    addresses = rows(path, "contact_addresses", order="_index")
    assert [(r["_index"], r["city"]) for r in addresses] == [(0, "Tallinn"), (2, "Tartu")]
    assert [r["value"] for r in rows(path, "contact_means_of_contact")] == ["a@x.ee"]


def test_custom_fields_as_a_record(tmp_path: Path) -> None:
    """`{"c_budget": "100", "c_po": {"name": ..., "value": ..., "type": ...}}`."""
    invoice = document(1)
    record = {
        "c_budget": "100",
        "c_po": {"name": "Customer PO", "value": "A-1", "type": "text"},
        "c_tags": ["a", "b"],
        "c_own_id": {"id": "c_real", "value": 5},
    }
    views = {1: viewed(invoice, custom_fields=record)}
    path = tmp_path / "w.duckdb"
    with HostileServer({"invoices": [invoice]}, views={"invoices": views}) as server:
        assert sync(server, path).code == 0
    found = {r["id"]: r for r in rows(path, "invoice_custom_fields")}
    assert sorted(found) == ["c_budget", "c_po", "c_real", "c_tags"]
    assert found["c_budget"]["value"] == "100"
    assert (found["c_po"]["name"], found["c_po"]["value"], found["c_po"]["type"]) == (
        "Customer PO",
        "A-1",
        "text",
    )
    assert found["c_tags"]["value"] == json.dumps(["a", "b"], sort_keys=True)
    assert found["c_real"]["value"] == "5"


def test_product_and_receipt_custom_fields_come_from_view(tmp_path: Path) -> None:
    product = {"product_id": 3, "name": "Design", "modified_date": "2024-03-01 10:00:00"}
    receipt = {
        "id": 9,
        "date": "2024-03-01",
        "sum": "10",
        "modified_date": "2024-03-01 10:00:00",
        "receipts": [{"receipt_id": 91, "invoice_id": 1, "sum": "10"}],
    }
    cf = [{"id": "c_code", "name": "Code", "value": {"a": 1}, "type": "json"}]
    path = tmp_path / "w.duckdb"
    with HostileServer(
        {"products": [{**product, "custom_fields": None}], "receipts": [receipt]},
        views={
            "products": {3: {**product, "custom_fields": cf}},
            "receipts": {9: {**receipt, "custom_fields": cf}},
        },
    ) as server:
        assert sync(server, path).code == 0
        viewed_modules = {c.module for c in server.calls if c.action == "view"}
    assert {"products", "receipts"} <= viewed_modules
    (product_cf,) = rows(path, "product_custom_fields")
    assert (product_cf["product_id"], product_cf["id"], product_cf["value"]) == (
        3,
        "c_code",
        '{"a": 1}',
    )
    (receipt_cf,) = rows(path, "receipt_custom_fields")
    assert (receipt_cf["receipt_group_id"], receipt_cf["id"]) == (9, "c_code")
    assert [r["receipt_id"] for r in rows(path, "receipt_rows")] == [91]


def test_line_custom_fields_get_their_own_table(tmp_path: Path) -> None:
    invoice = document(1)
    lines = [
        line(10, custom_fields=[{"id": "c_cc", "name": "Cost centre", "value": "Studio"}]),
        line(11, custom_fields={"c_cc": "Digital", "c_x": {"value": "1", "type": "number"}}),
        line(12, custom_fields=None),
    ]
    bill = document(2, lines=None)
    bill_lines = [line(20, custom_fields=[{"id": "c_cc", "value": "Ops"}])]
    path = tmp_path / "w.duckdb"
    with HostileServer(
        {"invoices": [invoice], "bills": [bill]},
        views={
            "invoices": {1: viewed(invoice, lines=lines)},
            "bills": {2: viewed(bill, lines=bill_lines)},
        },
    ) as server:
        assert sync(server, path).code == 0
    found = {
        (r["invoice_id"], r["line_id"], r["id"]): r["value"]
        for r in rows(path, "invoice_line_custom_fields")
    }
    assert found == {
        (1, 10, "c_cc"): "Studio",
        (1, 11, "c_cc"): "Digital",
        (1, 11, "c_x"): "1",
    }
    assert "custom_fields" not in {k for r in rows(path, "invoice_lines") for k in r}
    assert [
        (r["bill_id"], r["line_id"], r["value"]) for r in rows(path, "bill_line_custom_fields")
    ] == [(2, 20, "Ops")]


def test_birthdays_without_a_year(tmp_path: Path) -> None:
    contacts = [
        {
            "contact_id": 1,
            "name": "A",
            "birthday": "0000-05-12",
            "modified_date": "2024-03-01T10:00:00+00:00",
        },
        {
            "contact_id": 2,
            "name": "B",
            "birthday": "1980-02-29",
            "modified_date": "2024-03-01T10:00:00+00:00",
        },
        {
            "contact_id": 3,
            "name": "C",
            "birthday": "0000-00-00",
            "modified_date": "2024-03-01T10:00:00+00:00",
        },
    ]
    users = [{"id": 4, "username": "u", "birthday": "0000-12-31"}]
    path = tmp_path / "w.duckdb"
    with HostileServer({"contacts": contacts, "users": users}) as server:
        assert sync(server, path).code == 0
    found = {
        r["contact_id"]: (r["birthday"], r["birthday_month_day"]) for r in rows(path, "contacts")
    }
    assert found[1] == (None, "05-12")
    assert str(found[2][0]) == "1980-02-29" and found[2][1] == "02-29"
    assert found[3] == (None, None)
    assert [(r["birthday"], r["birthday_month_day"]) for r in rows(path, "users")] == [
        (None, "12-31")
    ]
    assert issues(path) == []  # a documented shape, not an unreadable value


def test_unknown_shapes_are_kept_as_json_in_a_load_issue(tmp_path: Path) -> None:
    """A string where lines belong, an element that is no line, a line without id, two custom
    fields with one id: nothing is dropped silently, nothing is merged into another row."""
    invoices = [document(1), document(2)]
    views = {
        1: viewed(invoices[0], lines="oops"),
        2: viewed(
            invoices[1],
            lines=[line(20), "garbage", {"product_name": "no id"}],
            custom_fields=[{"id": "c_x", "value": "1"}, {"id": "c_x", "value": "2"}],
        ),
    }
    path = tmp_path / "w.duckdb"
    with HostileServer({"invoices": invoices}, views={"invoices": views}) as server:
        outcome = sync(server, path)
    assert outcome.code == 0, outcome.output
    assert [r["id"] for r in rows(path, "invoice_lines")] == [20]
    assert [r["value"] for r in rows(path, "invoice_custom_fields")] == ["1"]
    found = {(i["record_id"], i["field"]): i for i in issues(path)}
    assert found[("1", "lines")]["raw_value"] == "oops"
    assert found[("2", "lines[1]")]["raw_value"] == "garbage"
    assert json.loads(found[("2", "lines[2]")]["raw_value"]) == {"product_name": "no id"}
    assert json.loads(found[("2", "custom_fields[1]")]["raw_value"])["value"] == "2"
    assert all(i["module"] == "invoices" for i in found.values())
