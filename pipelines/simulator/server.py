"""A local HTTP server that speaks the Scoro API v2, one synthetic company per tenant.

Data calls: ``POST /api/v2/{module}/list`` and ``POST /api/v2/{module}/view/{id}``.
Control surface (no apiKey, never rate limited, never faulted): ``POST /_sim/mutate``,
``POST /_sim/purge``, ``POST /_sim/limits``, ``GET|POST /_sim/stats``, ``GET|POST /_sim/faults``,
``GET|POST /_sim/shapes``, ``GET /_sim/open_items?tenant=ID``, ``GET /_sim/health``.
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

from pipelines.simulator.company import Company
from pipelines.simulator.control import Faults, RateLimiter, Stats
from pipelines.simulator.shapes import Shapes
from pipelines.simulator.spec import MODULES
from pipelines.simulator.timeline import site_today

MAX_PER_PAGE = 100
DEFAULT_PER_PAGE = 50
DEFAULT_TENANTS = {"demo-agency": "demo-api-key"}
_FAULT_MESSAGES = {
    408: "Request timeout",
    429: "Too many requests",
    500: "Internal server error",
    503: "Service temporarily unavailable",
}


@dataclass
class Answer:
    """One response: status, headers, JSON body; ``truncate``: send half the body under the
    full Content-Length, then close (a connection cut mid-answer)."""

    status: int
    headers: dict[str, str]
    body: bytes
    truncate: bool = False


def _answer(status: int, payload: dict[str, Any], headers: dict[str, str] | None = None) -> Answer:
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
    return Answer(status, dict(headers or {}), body)


class ApiError(Exception):
    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.headers = headers or {}


class Simulator:
    """The simulated Scoro API: tenants, faults, rate limits and a request log."""

    def __init__(
        self,
        scale: float = 1,
        seed: int = 42,
        tenants: dict[str, str] | None = None,
        rate_limit_per_second: int = 20,
        daily_limit: int | None = None,
        site_timezone: str = "Europe/Tallinn",
        as_of: date | None = None,
        shapes: Shapes | None = None,
    ) -> None:
        self.tenants = dict(tenants or DEFAULT_TENANTS)
        self.site_timezone = ZoneInfo(site_timezone)
        self.as_of = as_of or site_today(self.site_timezone)
        self._companies = {
            tenant: Company(
                tenant,
                seed=seed,
                scale=scale,
                site_timezone=site_timezone,
                as_of=self.as_of,
                shapes=shapes,
            )
            for tenant in self.tenants
        }
        self._keys = set(self.tenants.values())
        self.faults = Faults(seed)
        self.stats = Stats()
        self.limiter = RateLimiter(rate_limit_per_second, daily_limit)
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        # this simulator's request handler (a class per simulator: it knows its simulator)
        self.handler_class: type[_Handler] = type("Handler", (_Handler,), {"sim": self})

    @property
    def rate_limit_per_second(self) -> int:
        return self.limiter.per_second

    @rate_limit_per_second.setter
    def rate_limit_per_second(self, value: int) -> None:
        self.limiter.per_second = int(value)

    @property
    def daily_limit(self) -> int | None:
        return self.limiter.daily_limit

    @daily_limit.setter
    def daily_limit(self, value: int | None) -> None:
        self.limiter.daily_limit = None if value is None else int(value)

    def company(self, tenant: str | None = None) -> Company:
        """The company of ``tenant`` (the first tenant when omitted)."""
        return self._companies[tenant or next(iter(self._companies))]

    @property
    def shapes(self) -> Shapes:
        return self.company().shapes

    @shapes.setter
    def shapes(self, shapes: Shapes) -> None:
        for company in self._companies.values():
            company.shapes = shapes

    # ---- lifecycle ---------------------------------------------------------------------

    def _make_server(self, port: int, host: str) -> ThreadingHTTPServer:
        server = ThreadingHTTPServer((host, port), self.handler_class)
        server.daemon_threads = True
        return server

    def start(self, port: int = 0, host: str = "127.0.0.1") -> Simulator:
        """Serve in a daemon thread; ``port=0`` picks a free port (see ``url``)."""
        self._server = self._make_server(port, host)
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="scoro-simulator",
            daemon=True,
        )
        self._thread.start()
        return self

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("the simulator is not running")
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = self._thread = None

    def serve_forever(self, port: int = 8765, host: str = "127.0.0.1") -> None:
        """Serve in the foreground until interrupted."""
        self._server = self._make_server(port, host)
        tenants = ", ".join(f"{t} (apiKey {k})" for t, k in self.tenants.items())
        print(f"Scoro API simulator on {self.url}/api/v2/ for {tenants}", flush=True)
        try:
            self._server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            self._server.server_close()
            self._server = None

    def __enter__(self) -> Simulator:
        return self.start() if self._server is None else self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ---- one request, whatever carries it ------------------------------------------------

    def respond(self, method: str, target: str, raw: bytes) -> Answer:
        """The answer to one request (``target`` is the path with its query): status, headers
        and body. The HTTP handler sends it over a socket; an in-process transport hands it
        to its client directly. Faults, rate limits and the request log apply alike."""
        url = urlsplit(target)
        path = url.path.rstrip("/")
        if path.startswith("/_sim/"):
            try:
                return _answer(200, _envelope(self.handle_control(method, path, raw, url.query)))
            except ApiError as err:
                return _answer(err.status, _error(err.status, str(err)))
            except (ValueError, TypeError) as err:
                return _answer(400, _error(400, str(err)))
        parts = path.strip("/").split("/")
        if len(parts) not in (4, 5) or parts[:2] != ["api", "v2"] or method != "POST":
            return _answer(404, _error(404, f"Unknown path {path}"))
        module, action = parts[2], parts[3]
        record_id = parts[4] if len(parts) == 5 else None
        self.stats.record(module, action, record_id)
        # every data response carries the caller's rate-limit headers
        _, budget = self.limiter.hit(_api_key(raw), spend=False)
        if module not in MODULES:
            return _answer(404, _error(404, f"Unknown module {module}"), budget)
        if action not in ("list", "view") or (action == "view") != (record_id is not None):
            return _answer(404, _error(404, f"Unknown action {action} for {module}"), budget)
        decision = self.faults.take()
        if decision.status is not None:
            if decision.status == 429:
                budget.update({"x-ratelimit-remaining": "0", "x-ratelimit-reset": "1"})
            message = _FAULT_MESSAGES.get(decision.status, "Simulated fault")
            self.stats.answered(module, decision.status)
            return _answer(decision.status, _error(decision.status, message), budget)
        if decision.delay:
            time.sleep(decision.delay)
        try:
            data, headers = self.handle_data(module, action, record_id, raw)
        except ApiError as err:
            self.stats.answered(module, err.status)
            return _answer(err.status, _error(err.status, str(err)), err.headers or budget)
        self.stats.answered(module, 200, len(data) if action == "list" else None)
        answer = _answer(200, _envelope(data), headers)
        answer.truncate = decision.truncate
        return answer

    # ---- data requests -----------------------------------------------------------------

    def handle_data(
        self, module: str, action: str, record_id: str | None, raw: bytes
    ) -> tuple[Any, dict[str, str]]:
        """Answer one data call: (envelope data, rate-limit headers); raises ApiError."""
        try:
            body = json.loads(raw or b"{}")
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ApiError(400, f"Invalid JSON: {exc}") from exc
        if not isinstance(body, dict):
            raise ApiError(400, "The request body must be a JSON object")
        api_key = str(body.get("apiKey") or "")
        allowed, headers = self.limiter.hit(api_key)
        if not allowed:
            raise ApiError(429, "Too many requests", headers)
        tenant = body.get("company_account_id")
        if api_key not in self._keys:
            raise ApiError(401, "Invalid apiKey", headers)
        if tenant not in self.tenants:
            raise ApiError(403, f"Unknown company_account_id: {tenant}", headers)
        if self.tenants[tenant] != api_key:
            raise ApiError(401, "The apiKey does not belong to this company account", headers)
        company = self._companies[tenant]
        request = body.get("request") or {}
        if not isinstance(request, dict):
            raise ApiError(400, "request must be an object", headers)
        if action == "view":
            record = company.view(module, record_id)
            if record is None:
                raise ApiError(404, f"{module} {record_id} not found", headers)
            return self._encode(company, module, record, view=True), headers
        page = _int_param(body, request, "page", 1, headers)
        per_page = min(
            MAX_PER_PAGE, _int_param(body, request, "per_page", DEFAULT_PER_PAGE, headers)
        )
        flt = body.get("filter", request.get("filter")) or {}
        if not isinstance(flt, dict):
            raise ApiError(400, "filter must be an object", headers)
        from_date = None
        modified = flt.get("modified_date")
        if isinstance(modified, dict) and modified.get("from_date"):
            from_date = _parse_moment(modified["from_date"], self.site_timezone, headers)
        include_deleted = _truthy(body.get("include_deleted", request.get("include_deleted")))
        records = company.list_page(
            module,
            page=page,
            per_page=per_page,
            from_date=from_date,
            include_deleted=include_deleted,
        )
        return [self._encode(company, module, r, view=False) for r in records], headers

    def _encode(self, company: Company, module: str, record: Any, *, view: bool) -> Any:
        out = company.encode(module, record, view=view)
        bad = self.faults.malformations(module, record[MODULES[module].key])
        out.update(bad)
        return out

    def handle_control(self, method: str, path: str, raw: bytes, query: str = "") -> Any:
        """The ``/_sim/...`` surface for out-of-process tests."""
        body = json.loads(raw or b"{}") if method == "POST" else {}
        params = {k: v[-1] for k, v in parse_qs(query).items()}
        if path == "/_sim/health":
            tenant = params.get("tenant")
            company = self.company(tenant if tenant in self._companies else None)
            return {
                "tenants": list(self.tenants),
                "as_of": self.as_of.isoformat(),
                "counts": {module: company.count(module) for module in company.modules},
            }
        if path == "/_sim/open_items":
            tenant = params.get("tenant") or params.get("company_account_id")
            if tenant is not None and tenant not in self._companies:
                raise ApiError(404, f"Unknown tenant {tenant}")
            return [_plain(item) for item in self.company(tenant).open_items()]
        if path == "/_sim/shapes":
            if method == "POST":
                self.shapes = self.shapes.with_changes(body)
            return self.shapes.as_dict()
        if path == "/_sim/stats":
            if body.get("reset"):
                self.stats.reset()
            return self.stats.snapshot()
        if path == "/_sim/faults":
            return self.faults.apply(body) if method == "POST" else self.faults.state()
        if path == "/_sim/limits" and method == "POST":
            if "rate_limit_per_second" in body:
                self.rate_limit_per_second = body["rate_limit_per_second"]
            if "daily_limit" in body:
                self.daily_limit = body["daily_limit"]
            return {
                "rate_limit_per_second": self.rate_limit_per_second,
                "daily_limit": self.daily_limit,
            }
        if path == "/_sim/mutate" and method == "POST":
            company = self.company(body.get("company_account_id"))
            args: dict[str, Any] = {
                k: int(body[k]) for k in ("changed", "added", "deleted", "seed") if k in body
            }
            if body.get("modules"):
                args["modules"] = [str(m) for m in body["modules"]]
            return company.mutate(**args)
        if path == "/_sim/purge" and method == "POST":
            company = self.company(body.get("company_account_id"))
            return company.purge(
                str(body.get("module", "invoices")),
                int(body.get("count", 2)),
                int(body.get("seed", 3)),
            )
        raise ApiError(404, f"Unknown control path {path}")


def _int_param(
    body: dict[str, Any], request: dict[str, Any], name: str, default: int, headers: dict[str, str]
) -> int:
    value = body.get(name, request.get(name, default))
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ApiError(400, f"{name} must be a positive integer", headers) from None
    if number < 1:
        raise ApiError(400, f"{name} must be a positive integer", headers)
    return number


def _parse_moment(value: Any, tz: ZoneInfo, headers: dict[str, str]) -> datetime:
    """``YYYY-mm-dd HH:ii:ss`` in the site zone, or ISO-8601 with or without an offset."""
    try:
        moment = datetime.fromisoformat(str(value).strip())
    except ValueError:
        raise ApiError(400, f"Invalid from_date: {value!r}", headers) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=tz)


def _api_key(raw: bytes) -> str:
    try:
        body = json.loads(raw or b"{}")
    except (UnicodeDecodeError, json.JSONDecodeError):
        return ""
    return str(body.get("apiKey") or "") if isinstance(body, dict) else ""


def _plain(item: dict[str, Any]) -> dict[str, Any]:
    """JSON-ready: decimals as exact strings, dates as ISO text."""
    return {
        k: str(v) if isinstance(v, Decimal) else v.isoformat() if isinstance(v, date) else v
        for k, v in item.items()
    }


def _truthy(value: Any) -> bool:
    return str(value).strip().lower() in ("1", "true", "yes")


def _envelope(data: Any) -> dict[str, Any]:
    return {"status": "OK", "statusCode": 200, "messages": None, "data": data}


def _error(status: int, message: str) -> dict[str, Any]:
    return {"status": "ERROR", "statusCode": status, "messages": {"error": [message]}}


class _Handler(BaseHTTPRequestHandler):
    sim: Simulator
    protocol_version = "HTTP/1.1"
    # keep-alive answers otherwise wait ~40 ms for the client's delayed ACK (Nagle)
    disable_nagle_algorithm = True
    server_version = "ScoroSimulator/1.0"
    timeout = 120  # drop idle keep-alive connections

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass

    def handle(self) -> None:
        # the client may give up, e.g. on a slow response
        with contextlib.suppress(BrokenPipeError, ConnectionResetError, TimeoutError):
            super().handle()

    def do_GET(self) -> None:  # noqa: N802
        self._route("GET")

    def do_POST(self) -> None:  # noqa: N802
        self._route("POST")

    def _read(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def _route(self, method: str) -> None:
        answer = self.sim.respond(method, self.path, self._read())
        self.send_response(answer.status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(answer.body)))
        for name, value in answer.headers.items():
            self.send_header(name, value)
        self.end_headers()
        if answer.truncate:
            self.wfile.write(answer.body[: len(answer.body) // 2])
            self.wfile.flush()
            self.close_connection = True
            return
        self.wfile.write(answer.body)
