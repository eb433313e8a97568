"""HTTP a friendly server never does, against small hostile servers: waits named by the server,
bodies trickled byte by byte, unreachable servers, views that keep failing, ids that are paths,
refusals and locked files (issue 8 #6, #11, #13, #14)."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

from hostile import (
    API_KEY,
    HostileServer,
    Reply,
    api_error,
    document,
    issues,
    line,
    ok,
    rows,
    sync,
    viewed,
)


def _limited_once(module: str, headers: dict[str, str]):
    """A handler answering the first list call of `module` with a 429 carrying `headers`."""
    state = {"sent": False}

    def handler(call):
        if call.module == module and call.action == "list" and not state["sent"]:
            state["sent"] = True
            return Reply(
                status=429,
                body={"status": "ERROR", "statusCode": 429, "messages": {"error": ["Too many"]}},
                headers=headers,
            )
        return None

    return handler


def test_a_429_asking_for_a_day_waits_the_cap_and_says_so(tmp_path: Path) -> None:
    """#6: `x-ratelimit-reset: 86400` (0 requests left) is waited for at most the cap
    (--max-retry-wait), with a log line naming the server's wait."""
    headers = {"x-ratelimit-remaining": "0", "x-ratelimit-reset": "86400", "x-ratelimit-limit": "5"}
    path = tmp_path / "w.duckdb"
    with HostileServer(
        {"invoices": [document(1)]}, handler=_limited_once("invoices", headers)
    ) as server:
        started = time.monotonic()
        outcome = sync(server, path)
        elapsed = time.monotonic() - started
    assert outcome.code == 0, outcome.output
    assert elapsed < 30
    assert "86400" in outcome.stderr and "capped" in outcome.stderr
    assert [r["id"] for r in rows(path, "invoices")] == [1]


def test_a_429_with_an_infinite_reset_does_not_crash(tmp_path: Path) -> None:
    """#6: `x-ratelimit-reset: inf` names no usable wait: backoff, then the retry succeeds."""
    headers = {"x-ratelimit-remaining": "0", "x-ratelimit-reset": "inf"}
    path = tmp_path / "w.duckdb"
    with HostileServer(
        {"invoices": [document(1)]}, handler=_limited_once("invoices", headers)
    ) as server:
        outcome = sync(server, path)
    assert outcome.code == 0, outcome.output
    assert [r["id"] for r in rows(path, "invoices")] == [1]


def test_a_body_trickled_byte_by_byte_times_out_and_is_retried(tmp_path: Path) -> None:
    """#6: the deadline of one request includes reading its body: a body trickled one byte
    every 0.5 s is cut at --request-timeout (3 s here) and retried."""
    state = {"trickled": False}
    invoices = [document(i) for i in range(1, 6)]

    def handler(call):
        if call.module == "invoices" and call.action == "list" and not state["trickled"]:
            state["trickled"] = True
            reply = ok(invoices)
            reply.trickle = 0.5
            return reply
        return None

    path = tmp_path / "w.duckdb"
    with HostileServer({"invoices": invoices}, handler=handler) as server:
        started = time.monotonic()
        outcome = sync(server, path)
        elapsed = time.monotonic() - started
    assert outcome.code == 0, outcome.output
    assert elapsed < 30
    assert "no complete answer within 3 s" in outcome.stderr
    assert len(rows(path, "invoices")) == 5


def test_an_unreachable_server_says_what_it_retries(tmp_path: Path) -> None:
    """An unreachable server: each retry is logged (URL without the key, attempt n of m, next
    wait), then one clear error; no 64 s of silence."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    started = time.monotonic()
    outcome = sync(url, tmp_path / "w.duckdb")
    elapsed = time.monotonic() - started
    assert outcome.code == 1, outcome.output
    assert elapsed < 30
    assert f"POST {url}/api/v2/" in outcome.stderr
    assert "attempt 1 of 2" in outcome.stderr and "next try in" in outcome.stderr
    assert "cannot reach" in outcome.stderr and "connection refused" in outcome.stderr
    assert API_KEY not in outcome.output


def test_views_that_keep_failing_open_a_circuit_breaker(tmp_path: Path) -> None:
    """#11: 500 on every view stops the module after a few failures with one clear message
    (not 8 retries for each of 40 records); the headers are kept; the next run views them."""
    invoices = [document(i) for i in range(1, 41)]
    views = {i: viewed(invoices[i - 1], lines=[line(i * 10)]) for i in range(1, 41)}
    broken = {"on": True}

    def handler(call):
        if call.module == "invoices" and call.action == "view" and broken["on"]:
            return api_error(500, "Internal error")
        return None

    path = tmp_path / "w.duckdb"
    with HostileServer(
        {"invoices": invoices}, views={"invoices": views}, handler=handler
    ) as server:
        started = time.monotonic()
        outcome = sync(server, path)
        elapsed = time.monotonic() - started
        view_calls = server.count("invoices", "view")
        assert outcome.code == 1, outcome.output
        assert elapsed < 30 and view_calls < 20
        assert "view calls in a row failed" in outcome.stderr
        assert outcome.stderr.count("view calls in a row failed") <= 2
        assert len(rows(path, "invoices")) == 40  # headers from the listing
        assert rows(path, "invoice_lines") == []
        broken["on"] = False
        fixed = sync(server, path)
        assert fixed.code == 0, fixed.output
    assert len(rows(path, "invoice_lines")) == 40


def test_record_ids_never_reach_the_url_as_paths(tmp_path: Path) -> None:
    """#13: an id like `../../../admin?x=1#` is not a record key: it is reported, never sent."""
    invoices = [document(1), document("../../../admin?x=1#"), document("5/../../admin")]
    path = tmp_path / "w.duckdb"
    with HostileServer({"invoices": invoices}) as server:
        outcome = sync(server, path)
        paths = [c.path for c in server.calls]
    assert outcome.code == 0, outcome.output
    assert not [p for p in paths if "admin" in p or not p.startswith("/api/v2/")]
    assert [r["id"] for r in rows(path, "invoices")] == [1]
    assert len([i for i in issues(path) if i["field"] == "id"]) == 2


def test_a_refused_key_shows_the_apis_own_message(tmp_path: Path) -> None:
    """#14: 401 shows the API's reason ("Invalid apiKey"), never the key; exit code 4."""
    path = tmp_path / "w.duckdb"
    with HostileServer({"invoices": [document(1)]}) as server:
        outcome = sync(server, path, api_key="wrong-key-9f8e7d")
    assert outcome.code == 4, outcome.output
    assert "Invalid apiKey" in outcome.stderr
    assert "wrong-key-9f8e7d" not in outcome.output


def test_a_403_on_every_module_shows_the_apis_message(tmp_path: Path) -> None:
    """#14: 403 (an account the key may not read) shows the API's reason."""

    def handler(call):
        return api_error(403, "Unknown company_account_id: hostile-agency")

    path = tmp_path / "w.duckdb"
    with HostileServer(handler=handler) as server:
        outcome = sync(server, path)
    assert outcome.code == 4, outcome.output
    assert "Unknown company_account_id" in outcome.stderr


def _hold_file(path: Path, seconds: float) -> subprocess.Popen:
    """Another process reading the DuckDB file (as a notebook or dbt would)."""
    code = (
        "import duckdb, sys, time\n"
        f"c = duckdb.connect({str(path)!r}, read_only=True)\n"
        "print('ready', flush=True)\n"
        f"time.sleep({seconds})\n"
    )
    reader = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert reader.stdout is not None and reader.stdout.readline().strip() == "ready"
    return reader


def test_a_locked_file_names_the_process_and_wait_waits(tmp_path: Path) -> None:
    """#14: a reader holding the file: "locked by PID N (a reader or dbt): close it or use the
    --wait option" (exit 5); with --wait the sync waits for the reader and completes."""
    path = tmp_path / "w.duckdb"
    with HostileServer({"invoices": [document(1)]}) as server:
        assert sync(server, path).code == 0
        server.records["invoices"].append(document(2, modified="2024-03-05 10:00:00"))
        reader = _hold_file(path, 30)
        try:
            locked = sync(server, path)
        finally:
            reader.kill()
            reader.wait()
        assert locked.code == 5, locked.output
        assert f"locked by PID {reader.pid} (a reader or dbt)" in locked.stderr
        assert "--wait" in locked.stderr
        reader = _hold_file(path, 3)
        try:
            waited = sync(server, path, "--wait", "60")
        finally:
            reader.wait()
        assert waited.code == 0, waited.output
    assert sorted(r["id"] for r in rows(path, "invoices")) == [1, 2]


def test_an_unknown_module_name_is_rejected_with_the_valid_names(tmp_path: Path) -> None:
    """#14: a --modules typo is a usage error (exit 2) listing the valid names; nothing runs."""
    with HostileServer({"invoices": [document(1)]}) as server:
        outcome = sync(server, tmp_path / "w.duckdb", "--modules", "invoices,contcts")
        assert server.calls == []
    assert outcome.code == 2, outcome.output
    assert "contcts" in outcome.stderr and "purchaseOrders" in outcome.stderr


def test_a_reader_taking_the_file_during_the_sync_is_waited_for_or_named(tmp_path: Path) -> None:
    """#14: dbt opens the file while the sync is still fetching. Without --wait: exit 5 naming
    the process, and the fetched data waits for the next run (which loads it). With --wait:
    the load waits for the reader."""
    path = tmp_path / "w.duckdb"
    holders: list[subprocess.Popen] = []

    def grab_file_during_listing(seconds: float):
        def handler(call):
            if call.module == "receiptAccounts" and call.action == "list" and not holders:
                holders.append(_hold_file(path, seconds))
            return None

        return handler

    with HostileServer({"invoices": [document(1)]}) as server:
        assert sync(server, path).code == 0  # the file exists
        server.records["invoices"].append(document(2, modified="2024-03-05 10:00:00"))
        server.handler = grab_file_during_listing(8)
        try:
            locked = sync(server, path)
        finally:
            for holder in holders:
                holder.wait()
        assert locked.code == 5, locked.output
        assert f"locked by PID {holders[0].pid}" in locked.stderr
        server.handler = None
        after = sync(server, path)
        assert after.code == 0, after.output
        assert sorted(r["id"] for r in rows(path, "invoices")) == [1, 2]

        holders.clear()
        server.records["invoices"].append(document(3, modified="2024-03-06 10:00:00"))
        server.handler = grab_file_during_listing(3)
        waited = sync(server, path, "--wait", "60")
        for holder in holders:
            holder.wait()
        assert waited.code == 0, waited.output
    assert sorted(r["id"] for r in rows(path, "invoices")) == [1, 2, 3]
