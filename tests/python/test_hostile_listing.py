"""Listings a friendly server never sends, against small hostile servers: cursors, sweeps,
endless pages, page caps, records without keys, duplicated and shifting pages, odd envelopes
(issue 8 #3, #4, #5, #7, #9 and more)."""

from __future__ import annotations

import gzip
import json
from datetime import UTC, datetime
from pathlib import Path

from hostile import (
    HostileServer,
    Reply,
    api_error,
    document,
    issues,
    ok,
    rows,
    sync,
)


def _vat(code_id: object, name: str = "VAT") -> dict:
    return {"vat_code_id": code_id, "vat_code": name, "percent": "20", "is_active": True}


def test_a_future_modified_date_never_moves_the_cursor_past_today(tmp_path: Path) -> None:
    """#3: one invoice modified in 2099 is a load issue; a change made after the first sync is
    still listed by the second."""
    path = tmp_path / "w.duckdb"
    invoices = [document(1, modified="2099-01-01 00:00:00"), document(2)]
    with HostileServer({"invoices": invoices}) as server:
        assert sync(server, path).code == 0
        now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S")
        server.records["invoices"].append(document(3, modified=now))
        second = sync(server, path)
        assert second.code == 0, second.output
    assert sorted(r["id"] for r in rows(path, "invoices")) == [1, 2, 3]
    issue = [i for i in issues(path) if i["record_id"] == "1"]
    assert issue and issue[0]["field"] == "modified_date"


def test_an_empty_listing_flags_nothing_and_recovery_keeps_records_live(tmp_path: Path) -> None:
    """#4: a module swept every run (VAT codes) answering [] once must not flag its records
    deleted (a warning instead); they are live when the server recovers."""
    path = tmp_path / "w.duckdb"
    codes = [_vat(1), _vat(2), _vat(3)]
    with HostileServer({"vatCodes": codes}) as server:
        assert sync(server, path).code == 0
        server.records["vatCodes"] = []
        empty = sync(server, path)
        assert empty.code == 0, empty.output
        assert [bool(r["is_deleted"]) for r in rows(path, "vat_codes")] == [False] * 3
        assert "vat_codes" in empty.output and "not flagging" in empty.output
        server.records["vatCodes"] = codes
        assert sync(server, path).code == 0
    assert [bool(r["is_deleted"]) for r in rows(path, "vat_codes")] == [False] * 3


def test_a_short_listing_does_not_flag_most_of_a_module(tmp_path: Path) -> None:
    """#4: a listing that would flag more than half of the live records (and more than two) is
    not trusted."""
    path = tmp_path / "w.duckdb"
    codes = [_vat(i) for i in range(1, 11)]
    with HostileServer({"vatCodes": codes}) as server:
        assert sync(server, path).code == 0
        server.records["vatCodes"] = codes[:3]
        short = sync(server, path)
        assert short.code == 0, short.output
        assert not any(r["is_deleted"] for r in rows(path, "vat_codes"))
        assert "misses 7 of 10" in short.output
        server.records["vatCodes"] = codes[:9]  # one really deleted
        assert sync(server, path).code == 0
    deleted = [r["vat_code_id"] for r in rows(path, "vat_codes") if r["is_deleted"]]
    assert deleted == [10]


def test_a_record_missing_from_one_full_sweep_is_live_again_when_it_is_back(tmp_path: Path) -> None:
    """#4: flagged by one --full-sweep, cleared by the next listing that shows it, even
    unchanged."""
    path = tmp_path / "w.duckdb"
    invoices = [document(i) for i in range(1, 6)]
    with HostileServer({"invoices": invoices}) as server:
        assert sync(server, path).code == 0
        server.records["invoices"] = [r for r in invoices if r["id"] != 3]
        assert sync(server, path, "--full-sweep").code == 0
        assert [r["id"] for r in rows(path, "invoices") if r["is_deleted"]] == [3]
        server.records["invoices"] = invoices
        back = sync(server, path, "--full-sweep")
        assert back.code == 0, back.output
    assert [r["id"] for r in rows(path, "invoices") if r["is_deleted"]] == []


def test_ids_sent_as_text_or_float_are_compared_typed(tmp_path: Path) -> None:
    """#4: ids "002" and 3.0 are the records 2 and 3: never flagged deleted, never doubled."""
    path = tmp_path / "w.duckdb"
    with HostileServer({"vatCodes": [_vat("002"), _vat(3.0), _vat(4)]}) as server:
        for _ in range(2):
            outcome = sync(server, path)
            assert outcome.code == 0, outcome.output
    found = rows(path, "vat_codes", order="vat_code_id")
    assert [(r["vat_code_id"], bool(r["is_deleted"])) for r in found] == [
        (2, False),
        (3, False),
        (4, False),
    ]


def test_pages_that_repeat_stop_with_an_error_naming_the_module(tmp_path: Path) -> None:
    """#5: the same 100 invoices on every page: the loader stops that module with a clear
    error (the server itself gives up after 300 pages, so a loader that loops still ends)."""
    same = [document(i) for i in range(1, 101)]

    def handler(call):
        if call.module == "invoices" and call.action == "list":
            return ok(same if call.page <= 300 else [])
        return None

    path = tmp_path / "w.duckdb"
    with HostileServer(handler=handler) as server:
        outcome = sync(server, path)
        pages = server.count("invoices", "list")
    assert outcome.code == 1, outcome.output
    assert "invoices" in outcome.stderr and "page 2" in outcome.stderr
    assert pages <= 3
    assert len(rows(path, "invoices")) == 100  # what was listed before is kept


def test_pages_that_never_end_stop_at_the_expected_size(tmp_path: Path) -> None:
    """#5: a server inventing new ids page after page: once the mirror knows the module's size,
    the listing is capped near it and stops with an error naming the module."""
    path = tmp_path / "w.duckdb"
    with HostileServer({"vatCodes": [_vat(i) for i in range(1, 151)]}) as server:
        assert sync(server, path).code == 0

        def endless(call):
            if call.module == "vatCodes" and call.action == "list" and call.page <= 1000:
                start = call.page * 1000
                return ok([_vat(start + i) for i in range(100)])
            return None

        server.handler = endless
        outcome = sync(server, path)
        pages = server.count("vatCodes", "list")
    assert outcome.code == 1, outcome.output
    assert "vatCodes" in outcome.stderr and "max-pages" in outcome.stderr
    assert pages < 200


def test_a_server_page_cap_below_per_page_is_learned(tmp_path: Path) -> None:
    """#7: a server that answers 50 records a page when asked 100: all 120 are listed."""
    path = tmp_path / "w.duckdb"
    invoices = [document(i) for i in range(1, 121)]
    with HostileServer({"invoices": invoices}, per_page_cap=50) as server:
        outcome = sync(server, path)
        assert outcome.code == 0, outcome.output
        assert len(rows(path, "invoices")) == 120
        server.calls.clear()
        assert sync(server, path).code == 0
        # learned: the next sync pages at 50 from the start
        asked = {c.per_page for c in server.calls if c.module == "invoices"}
    assert asked == {50}


def test_a_record_without_its_key_is_skipped_with_an_issue(tmp_path: Path) -> None:
    """#9: no id, a null id, an id that is an object: never a row with a null key, never
    `view/None`; a load issue names the module and the page."""
    invoices = [
        document(1),
        {k: v for k, v in document(2).items() if k != "id"},
        document(None),
        document({"nested": 1}),
        document("../../../admin?x=1#"),
    ]
    path = tmp_path / "w.duckdb"
    with HostileServer({"invoices": invoices}) as server:
        for _ in range(2):
            outcome = sync(server, path)
            assert outcome.code == 0, outcome.output
        views = [c.record_id for c in server.calls if c.action == "view"]
    assert [r["id"] for r in rows(path, "invoices")] == [1]
    assert views == ["1"]
    skipped = [i for i in issues(path) if i["module"] == "invoices" and i["field"] == "id"]
    # named once, not at every sync that lists them unchanged
    assert len(skipped) == 4 and all("page 1" in i["record_id"] for i in skipped)


def test_duplicated_ids_across_pages_load_once(tmp_path: Path) -> None:
    """Pages that overlap (records shifting while listing) never double a record or its lines."""
    invoices = [document(i) for i in range(1, 151)]

    def handler(call):
        if call.module == "invoices" and call.action == "list":
            start = 0 if call.page == 1 else 90  # page 2 starts 10 records early
            return ok(invoices[start : start + 100] if call.page <= 2 else [])
        return None

    path = tmp_path / "w.duckdb"
    with HostileServer({"invoices": invoices}, handler=handler) as server:
        assert sync(server, path).code == 0
    found = [r["id"] for r in rows(path, "invoices")]
    assert sorted(found) == list(range(1, 151))


def test_a_page_larger_than_asked_is_read_whole(tmp_path: Path) -> None:
    """A server that ignores per_page and sends 150 records a page: none is lost."""
    invoices = [document(i) for i in range(1, 231)]

    def handler(call):
        if call.module == "invoices" and call.action == "list":
            return ok(invoices[(call.page - 1) * 150 : call.page * 150])
        return None

    path = tmp_path / "w.duckdb"
    with HostileServer({"invoices": invoices}, handler=handler) as server:
        assert sync(server, path).code == 0
    assert len(rows(path, "invoices")) == 230


def test_error_envelopes_and_bodies_that_are_not_envelopes(tmp_path: Path) -> None:
    """An HTML page with 200, an empty body, an error envelope with HTTP 200, `messages` as a
    string, a list or an object: each module stops with the API's words; the rest loads."""

    def handler(call):
        if call.action != "list":
            return None
        return {
            "projects": Reply(body=b"<html><body>Maintenance</body></html>"),
            "products": Reply(body=b""),
            "bills": api_error(400, "Bad filter for bills", http_status=200),
            "orders": api_error(400, ["first reason", "second reason"], http_status=200),
            "quotes": api_error(400, {"error": {"field": "per_page is wrong"}}),
        }.get(call.module)

    path = tmp_path / "w.duckdb"
    with HostileServer({"invoices": [document(1)]}, handler=handler) as server:
        outcome = sync(server, path)
    assert outcome.code == 1, outcome.output
    err = outcome.stderr
    assert "projects" in err and "Maintenance" in err
    assert "products" in err and "empty body" in err
    assert "Bad filter for bills" in err
    assert "first reason; second reason" in err
    assert "per_page is wrong" in err
    assert [r["id"] for r in rows(path, "invoices")] == [1]


def test_a_body_that_lies_about_gzip_is_read(tmp_path: Path) -> None:
    """`Content-Encoding: gzip` over a plain body, and a gzip body with no header."""

    def handler(call):
        if call.action != "list":
            return None
        body = json.dumps(
            {"status": "OK", "statusCode": 200, "data": [_vat(1)] if call.page == 1 else []}
        ).encode()
        if call.module == "vatCodes":
            return Reply(body=body, headers={"Content-Encoding": "gzip"})
        if call.module == "userGroups":
            data = [{"group_id": 1, "group_name": "A"}] if call.page == 1 else []
            packed = gzip.compress(json.dumps({"status": "OK", "data": data}).encode())
            return Reply(body=packed)
        return None

    path = tmp_path / "w.duckdb"
    with HostileServer(handler=handler) as server:
        outcome = sync(server, path)
    assert outcome.code == 0, outcome.output
    assert [r["vat_code_id"] for r in rows(path, "vat_codes")] == [1]
    assert [r["group_id"] for r in rows(path, "user_groups")] == [1]


def test_modified_date_missing_or_garbage_still_loads(tmp_path: Path) -> None:
    invoices = [
        {k: v for k, v in document(1).items() if k != "modified_date"},
        document(2, modified="yesterday-ish"),
        document(3),
    ]
    path = tmp_path / "w.duckdb"
    with HostileServer({"invoices": invoices}) as server:
        for _ in range(2):
            assert sync(server, path).code == 0
    assert sorted(r["id"] for r in rows(path, "invoices")) == [1, 2, 3]
    assert [i["field"] for i in issues(path) if i["record_id"] == "2"] == ["modified_date"]


def test_unicode_everywhere(tmp_path: Path) -> None:
    """Non-ASCII keys, values and tenant ids load; keys that normalise to one column do not
    overwrite each other."""
    invoices = [
        document(1, description="Über 🎉 naïve 中文", Größe="groß", **{"ä": "1", "ö": "2"}),
    ]
    path = tmp_path / "w.duckdb"
    with HostileServer({"invoices": invoices}) as server:
        outcome = sync(server, path, tenant="agência-ü")
    assert outcome.code == 0, outcome.output
    (row,) = rows(path, "invoices")
    assert row["description"] == "Über 🎉 naïve 中文" and row["tenant_id"] == "agência-ü"
    assert row["gr_e"] == "groß" and row["x"] == "1"
    # ä and ö both become the column x: the second is an issue, not an overwrite
    assert [(i["field"], i["raw_value"]) for i in issues(path)] == [("ö", "2")]


def test_a_redirect_is_not_followed_with_the_key(tmp_path: Path) -> None:
    """A 301/307 to another host is an error naming the new address; the key is never re-sent
    there."""
    with HostileServer({"invoices": [document(1)]}) as elsewhere:

        def handler(call):
            if call.module == "invoices":
                return Reply(status=307, headers={"Location": f"{elsewhere.url}{call.path}"})
            return None

        path = tmp_path / "w.duckdb"
        with HostileServer(handler=handler) as server:
            outcome = sync(server, path)
        assert elsewhere.calls == []
    assert outcome.code == 1, outcome.output
    assert "redirects to" in outcome.stderr and "invoices" in outcome.stderr


def test_a_record_an_earlier_listing_missed_is_fetched_by_the_next_full_listing(
    tmp_path: Path,
) -> None:
    """Pages that shifted during the first listing left invoice 5 out; it is older than the
    cursor, so incremental syncs never list it; the next full sweep does, and loads it."""
    invoices = [document(i, modified=f"2024-03-{i:02d} 10:00:00") for i in range(1, 9)]
    hidden = {"on": True}

    def handler(call):
        if call.module == "invoices" and call.action == "list" and hidden["on"]:
            return ok([r for r in invoices if r["id"] != 5] if call.page == 1 else [])
        return None

    path = tmp_path / "w.duckdb"
    with HostileServer({"invoices": invoices}, handler=handler) as server:
        assert sync(server, path).code == 0
        hidden["on"] = False
        assert sync(server, path).code == 0
        assert 5 not in {r["id"] for r in rows(path, "invoices")}  # older than the cursor
        assert sync(server, path, "--full-sweep").code == 0
    assert sorted(r["id"] for r in rows(path, "invoices")) == list(range(1, 9))
