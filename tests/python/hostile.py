"""A tiny hostile Scoro API for tests: a real HTTP server on 127.0.0.1 (port 0) that answers as
each test tells it, plus a driver that runs the real `scoro-warehouse sync` CLI against it.

The server is written from the public API facts (DESIGN.md: POST /api/v2/{module}/{action}[/id],
the JSON envelope, page/per_page in the body), never from the loader: it imports nothing from
`pipelines`. By default it pages `records[module]` and answers `view/{id}` from `views[module]`
(else the listed record); a test's `handler(call)` may answer any call instead (return None to
fall back to the default).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import duckdb

REPO = Path(__file__).resolve().parents[2]
TENANT = "hostile-agency"
API_KEY = "hostile-key-3c1f9a"
# the API's primary key per module (DESIGN.md, Scoro's SDK); `id` elsewhere
PRIMARY_KEYS = {
    "categories": "cat_id",
    "contacts": "contact_id",
    "products": "product_id",
    "projects": "project_id",
    "userGroups": "group_id",
    "userRoles": "role_id",
    "vatCodes": "vat_code_id",
}
# settings that keep a hostile run fast: given as dlt config, so a loader that does not know
# them still runs
FAST_ENV = {
    "SOURCES__SCORO__MAX_ATTEMPTS": "2",
    "SOURCES__SCORO__MAX_RETRY_WAIT": "0.2",
    "SOURCES__SCORO__BACKOFF_FACTOR": "0.05",
    "SOURCES__SCORO__REQUEST_TIMEOUT": "3",
}


def primary_key(module: str) -> str:
    return PRIMARY_KEYS.get(module, "id")


@dataclass
class Call:
    module: str
    action: str
    record_id: str | None
    body: dict[str, Any]
    path: str

    @property
    def page(self) -> int:
        return int(self.body.get("page") or 1)

    @property
    def per_page(self) -> int:
        return int(self.body.get("per_page") or 100)

    @property
    def from_date(self) -> str | None:
        flt = self.body.get("filter") or {}
        return (
            ((flt.get("modified_date") or {}).get("from_date")) if isinstance(flt, dict) else None
        )


@dataclass
class Reply:
    status: int = 200
    body: Any = None  # dict/list: JSON; bytes: as is; str: UTF-8
    headers: dict[str, str] = field(default_factory=dict)
    trickle: float | None = None  # seconds between the body's bytes
    raw_json: bool = False  # body is already JSON text (to send NaN, huge numbers...)

    def payload(self) -> bytes:
        if isinstance(self.body, bytes):
            return self.body
        if isinstance(self.body, str):
            return self.body.encode("utf-8", "surrogatepass")
        return json.dumps(self.body).encode("utf-8")


def ok(data: Any) -> Reply:
    return Reply(body={"status": "OK", "statusCode": 200, "messages": None, "data": data})


def ok_text(data_json: str) -> Reply:
    """An OK envelope whose `data` is given as JSON text (values json.dumps cannot write)."""
    return Reply(
        body=f'{{"status": "OK", "statusCode": 200, "messages": null, "data": {data_json}}}'
    )


def api_error(status: int, message: Any, http_status: int | None = None) -> Reply:
    messages = message if isinstance(message, dict | list) else {"error": [message]}
    return Reply(
        status=http_status if http_status is not None else status,
        body={"status": "ERROR", "statusCode": status, "messages": messages},
    )


class HostileServer:
    """Serves `records` (module -> records as `list` sends them) page by page."""

    def __init__(
        self,
        records: dict[str, list[dict[str, Any]]] | None = None,
        *,
        views: dict[str, dict[Any, dict[str, Any]]] | None = None,
        handler: Callable[[Call], Reply | None] | None = None,
        api_key: str = API_KEY,
        per_page_cap: int | None = None,
    ) -> None:
        self.records = records or {}
        self.views = views or {}
        self.handler = handler
        self.api_key = api_key
        self.per_page_cap = per_page_cap
        self.calls: list[Call] = []
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    # ---- what it answers --------------------------------------------------------------
    def answer(self, call: Call) -> Reply:
        if call.body.get("apiKey") != self.api_key:
            return api_error(401, "Invalid apiKey")
        if self.handler is not None:
            reply = self.handler(call)
            if reply is not None:
                return reply
        if call.action == "list":
            return self.list_reply(call)
        if call.action == "view":
            return self.view_reply(call)
        return api_error(404, f"unknown action {call.action}")

    def list_reply(self, call: Call) -> Reply:
        rows = list(self.records.get(call.module, []))
        since = call.from_date
        if since:
            rows = [r for r in rows if str(r.get("modified_date") or "9999") >= since]
        size = min(call.per_page, self.per_page_cap or 100)
        start = (call.page - 1) * size
        return ok(rows[start : start + size])

    def view_reply(self, call: Call) -> Reply:
        found = self.find(call.module, call.record_id)
        if found is None:
            return api_error(404, f"{call.module} {call.record_id} not found")
        return ok(found)

    def find(self, module: str, record_id: Any) -> dict[str, Any] | None:
        views = self.views.get(module, {})
        for key, record in views.items():
            if str(key) == str(record_id):
                return record
        key_name = primary_key(module)
        for record in self.records.get(module, []):
            if str(record.get(key_name)) == str(record_id):
                return record
        return None

    def count(self, module: str | None = None, action: str | None = None) -> int:
        with self._lock:
            return sum(
                1
                for c in self.calls
                if (module is None or c.module == module) and (action is None or c.action == action)
            )

    # ---- serving ----------------------------------------------------------------------
    @property
    def url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def start(self) -> HostileServer:
        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True

            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                try:
                    body = json.loads(raw or b"{}")
                except ValueError:
                    body = {}
                parts = self.path.split("?")[0].strip("/").split("/")
                # /api/v2/{module}/{action}[/{id}]
                module = parts[2] if len(parts) > 2 else ""
                action = parts[3] if len(parts) > 3 else ""
                record_id = "/".join(parts[4:]) if len(parts) > 4 else None
                call = Call(
                    module, action, record_id, body if isinstance(body, dict) else {}, self.path
                )
                with owner._lock:
                    owner.calls.append(call)
                reply = owner.answer(call)
                self.send(reply)

            def send(self, reply: Reply) -> None:
                payload = reply.payload()
                self.send_response(reply.status)
                headers = {"Content-Type": "application/json", **reply.headers}
                for name, value in headers.items():
                    self.send_header(name, value)
                if "Content-Length" not in reply.headers:
                    self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                try:
                    if reply.trickle:
                        for byte in payload:
                            self.wfile.write(bytes([byte]))
                            self.wfile.flush()
                            time.sleep(reply.trickle)
                    else:
                        self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    self.close_connection = True

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def __enter__(self) -> HostileServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


# ---- records ---------------------------------------------------------------------------


def document(
    record_id: Any, modified: str = "2024-03-01 10:00:00", **fields: Any
) -> dict[str, Any]:
    """A document header as `list` sends it (lines and custom fields null)."""
    return {
        "id": record_id,
        "no": str(record_id),
        "sum": "100.00",
        "vat_sum": "20.00",
        "currency": "EUR",
        "date": "2024-03-01",
        "status": "unpaid",
        "modified_date": modified,
        "is_deleted": False,
        "lines": None,
        "custom_fields": None,
        **fields,
    }


def line(line_id: Any, **fields: Any) -> dict[str, Any]:
    return {
        "id": line_id,
        "product_name": "Design",
        "price": "50",
        "amount": "2",
        "sum": "100",
        **fields,
    }


def viewed(record: dict[str, Any], **fields: Any) -> dict[str, Any]:
    """The record as `view` sends it: the list record with its lines and custom fields."""
    return {**record, "lines": [], "custom_fields": [], **fields}


# ---- running the real CLI --------------------------------------------------------------


@dataclass
class Outcome:
    code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def cli_args(
    server: HostileServer | str,
    path: Path,
    *extra: str,
    tenant: str = TENANT,
    api_key: str = API_KEY,
) -> list[str]:
    url = server if isinstance(server, str) else server.url
    return [
        "sync",
        "--base-url",
        url,
        "--api-key",
        api_key,
        "--company-account-id",
        tenant,
        "--duckdb",
        str(path),
        "--site-timezone",
        "UTC",
        "--max-requests-per-second",
        "1000",
        *extra,
    ]


@contextlib.contextmanager
def _environment(values: dict[str, str]) -> Iterator[None]:
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def sync(
    server: HostileServer | str,
    path: Path,
    *extra: str,
    tenant: str = TENANT,
    api_key: str = API_KEY,
    env: dict[str, str] | None = None,
) -> Outcome:
    """`scoro-warehouse sync ...` in this process (fast), output captured."""
    from pipelines.cli import main

    out, err = io.StringIO(), io.StringIO()
    with (
        _environment({**FAST_ENV, **(env or {})}),
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(err),
    ):
        code = main(cli_args(server, path, *extra, tenant=tenant, api_key=api_key))
    return Outcome(code, out.getvalue(), err.getvalue())


def sync_process(
    server: HostileServer | str,
    path: Path,
    *extra: str,
    tenant: str = TENANT,
    api_key: str = API_KEY,
    env: dict[str, str] | None = None,
    driver: str | None = None,
    timeout: float = 120,
) -> Outcome:
    """The same in a child process; `driver` is Python run before the CLI (to kill it at a
    chosen point, say)."""
    code = (
        driver or ""
    ) + "\nimport sys\nfrom pipelines.cli import main\nsys.exit(main(sys.argv[1:]))\n"
    completed = subprocess.run(
        [
            sys.executable,
            "-c",
            code,
            *cli_args(server, path, *extra, tenant=tenant, api_key=api_key),
        ],
        cwd=REPO,
        env={**os.environ, **FAST_ENV, **(env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    return Outcome(completed.returncode, completed.stdout, completed.stderr)


# ---- runs that die at a chosen point ---------------------------------------------------

# Python run before the CLI in sync_process: the process exits with code 9 right after dlt's
# load (before the sync's clean-up), or as dlt starts normalizing (its package stays behind).
DIE_AFTER_LOAD = (
    "import os, dlt\n"
    "_run = dlt.Pipeline.run\n"
    "def run(self, *a, **k):\n"
    "    info = _run(self, *a, **k)\n"
    "    os._exit(9)\n"
    "dlt.Pipeline.run = run\n"
)
DIE_AT_NORMALIZE = "import os, dlt\ndlt.Pipeline.normalize = lambda self, *a, **k: os._exit(9)\n"


def lines_and_vat_codes() -> HostileServer:
    """Three invoices with two lines each and four VAT codes (not started)."""
    invoices = [document(i) for i in (1, 2, 3)]
    views = {i: viewed(invoices[i - 1], lines=[line(i * 10), line(i * 10 + 1)]) for i in (1, 2, 3)}
    codes = [{"vat_code_id": i, "vat_code": f"V{i}", "percent": "20"} for i in (1, 2, 3, 4)]
    return HostileServer({"invoices": invoices, "vatCodes": codes}, views={"invoices": views})


def empty_invoice_2_and_drop_vat_code_4(server: HostileServer) -> None:
    """Invoice 2 loses its lines (and says so in its description); VAT code 4 leaves the list."""
    changed = document(2, modified="2024-03-02 10:00:00", description="lines removed")
    server.records["invoices"][1] = changed
    server.views["invoices"][2] = viewed(changed, lines=[])
    server.records["vatCodes"] = server.records["vatCodes"][:3]


def leave_a_package(server: HostileServer, path: Path, *extra: str, **kwargs: Any) -> Outcome:
    """Invoice 6 appears, and a sync dies as dlt starts normalizing it: its extracted package
    stays in the pipeline's local folder. `extra` and `kwargs` go to sync_process."""
    server.records["invoices"].append(document(6, modified="2024-03-05 10:00:00"))
    died = sync_process(server, path, *extra, driver=DIE_AT_NORMALIZE, **kwargs)
    assert died.code == 9, died.output
    return died


def pending_jobs(folder: Path) -> list[Path]:
    """The job files of the packages a run left below `folder`."""
    wanted = {"extracted", "new_jobs"}
    return [p for p in folder.rglob("*") if p.is_file() and wanted <= set(p.parts)]


# ---- reading the result ----------------------------------------------------------------


def rows(path: Path, table: str, where: str = "true", order: str = "1") -> list[dict[str, Any]]:
    """Rows of scoro_raw.<table> ([] when the table does not exist)."""
    with duckdb.connect(str(path), read_only=True) as connection:
        connection.execute("set TimeZone = 'UTC'")
        exists = connection.execute(
            "select count(*) from information_schema.tables "
            "where table_schema = 'scoro_raw' and table_name = ?",
            [table],
        ).fetchall()[0][0]
        if not exists:
            return []
        cursor = connection.execute(
            f'select * from scoro_raw."{table}" where {where} order by {order}'
        )
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def issues(path: Path) -> list[dict[str, Any]]:
    return rows(path, "_scoro_load_issues")


def columns(path: Path, table: str) -> list[str]:
    with duckdb.connect(str(path), read_only=True) as connection:
        return [
            r[0]
            for r in connection.execute(
                "select column_name from information_schema.columns "
                "where table_schema = 'scoro_raw' and table_name = ? order by ordinal_position",
                [table],
            ).fetchall()
        ]
