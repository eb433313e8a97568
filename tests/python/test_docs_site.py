"""The dbt docs site: ER diagrams drawn from the relationships tests, shown on its landing page.

``docs_site`` runs ``scripts/docs.sh`` (``dbt docs generate``, then dbterd + graphviz through
``scripts/render_erd.py``) against a built warehouse, into a temporary target dir. The tests
read the diagrams' SVG against the manifest's relationships tests, then serve the site with
``http.server`` on 127.0.0.1 and open it in headless Debian chromium driven by Playwright: the
landing page must show both diagrams, loaded from the site itself and from nowhere else.

Needs graphviz and ``/usr/bin/chromium`` (``make system-deps``); without them the tests fail.
The built file comes from the ``built_warehouse`` fixture (tests/python/conftest.py); if the
environment variable ``SCORO_BUILT_DUCKDB`` names a file, a copy of that file is used instead.
"""

from __future__ import annotations

import functools
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import duckdb
import pytest
from playwright.sync_api import sync_playwright

REPO = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOT = REPO / "target" / "docs_overview.png"
ACCOUNTING_PATH = "models/marts/accounting/"
DIAGRAMS = ("erd_staging", "erd_accounting")
UNIFIED_OBJECTS = (
    "accounts",
    "bank_accounts",
    "bills",
    "credit_notes",
    "customers",
    "invoices",
    "items",
    "journal_entries",
    "profit_and_loss_detail",
    "projects",
    "vendors",
)
STAGING_EXAMPLES = (
    "stg_scoro__invoices",
    "stg_scoro__invoice_lines",
    "stg_scoro__contacts",
    "stg_scoro__projects",
    "stg_scoro__products",
    "stg_scoro__vat_codes",
    "stg_scoro__finance_accounts",
    "stg_scoro__users",
    "stg_scoro__bills",
    "stg_scoro__receipts",
)
SVG = "{http://www.w3.org/2000/svg}"
# render_erd.py gives each line an id: fk:<model>.<column>-><model>.<column> for a relationships
# test, ref:<model>.<path>-><model>.<column> for a reference by property name.
EDGE_ID = re.compile(r"^(fk|ref):([^.]+)\.(.+)->([^.]+)\.([^.]+)$")
# A reference by name must point into the right id space: most values resolve. (Not all: a
# document may name a record deleted in Scoro, which the unified object leaves out.)
MIN_RESOLVED_SHARE = 0.5


@pytest.fixture(scope="module")
def docs_warehouse(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """A copy of the built DuckDB file ($SCORO_BUILT_DUCKDB if set, else ``built_warehouse``)."""
    override = os.environ.get("SCORO_BUILT_DUCKDB")
    if override:
        source = Path(override)
        assert source.is_file(), f"SCORO_BUILT_DUCKDB={override} is not a file"
    else:
        source = Path(request.getfixturevalue("built_warehouse"))
    path = tmp_path_factory.mktemp("docs") / "scoro.duckdb"
    shutil.copy(source, path)
    return path


@pytest.fixture(scope="module")
def docs_site(docs_warehouse: Path) -> Path:
    """The generated docs site: the target dir that scripts/docs.sh filled."""
    assert shutil.which("dot"), "graphviz `dot` is missing: run `make system-deps`"
    target = docs_warehouse.parent / "target"
    env = {
        **os.environ,
        "PATH": f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        "SCORO_DUCKDB_PATH": str(docs_warehouse),
        "DBT_PROFILES_DIR": str(REPO),
        "DBT_TARGET_PATH": str(target),
        "DBT_LOG_PATH": str(target / "logs"),
        "SCORO_DOCS_COPY_ASSETS": "0",  # leave the repository's assets/ alone
    }
    completed = subprocess.run(
        ["bash", str(REPO / "scripts" / "docs.sh")],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
    )
    assert completed.returncode == 0, (
        f"scripts/docs.sh failed ({completed.returncode}):\n"
        f"{completed.stdout[-4000:]}\n{completed.stderr[-4000:]}"
    )
    for name in DIAGRAMS:
        assert (target / "assets" / f"{name}.svg").is_file(), f"no {name}.svg in {target}/assets"
    return target


def svg_graph(path: Path, kind: str = "fk") -> tuple[set[str], set[tuple[str, str, str, str]], str]:
    """The nodes, the lines of a kind (from, column, to, column) and all text of a diagram."""
    root = ET.parse(path).getroot()
    nodes, edges = set(), set()
    for group in root.iter(f"{SVG}g"):
        title = group.find(f"{SVG}title")
        if title is None or title.text is None:
            continue
        if group.get("class") == "node":
            nodes.add(title.text)
        elif group.get("class") == "edge":
            match = EDGE_ID.match(group.get("id") or "")
            if match and match.group(1) == kind:
                _, source, column, to, field = match.groups()
                edges.add((source, column if kind == "ref" else column.lower(), to, field.lower()))
    text = " ".join(t.text or "" for t in root.iter(f"{SVG}text"))
    return nodes, edges, text


def path_values_sql(table: str, path: str) -> str:
    """tenant_id and every value of a property path: customerId, lineItems[].productId, ..."""
    sql = ""
    for i, segment in enumerate(path.split(".")):
        name = segment.removesuffix("[]")
        if i == 0:
            sql = f'select tenant_id, "{name}" as v from accounting."{table}"'
        else:
            sql = f'select tenant_id, v."{name}" as v from ({sql})'
        if segment.endswith("[]"):
            sql = f"select tenant_id, unnest(v) as v from ({sql})"
    return sql


def diagram_models(manifest: dict) -> dict[str, set[str]]:
    """The model names each diagram must show, from the manifest."""
    models = [n for n in manifest["nodes"].values() if n["resource_type"] == "model"]
    return {
        "erd_staging": {n["name"] for n in models if n["name"].startswith("stg_scoro__")},
        "erd_accounting": {
            n["name"] for n in models if n["original_file_path"].startswith(ACCOUNTING_PATH)
        },
    }


def manifest_relationships(manifest: dict, models: set[str]) -> set[tuple[str, str, str, str]]:
    """Relationships tests (dbt's, or a generic test named like one) between the given models."""
    relationships = set()
    for node in manifest["nodes"].values():
        meta = node.get("test_metadata") or {}
        if node["resource_type"] != "test" or "relationships" not in (meta.get("name") or ""):
            continue
        kwargs = meta["kwargs"]
        source = node["attached_node"].rsplit(".", 1)[-1]
        to = re.search(r"""ref\(\s*['"]([^'"]+)['"]\s*\)""", kwargs["to"])
        if to is None or source not in models or to.group(1) not in models:
            continue
        column = (node.get("column_name") or kwargs["column_name"]).strip('"').lower()
        relationships.add((source, column, to.group(1), kwargs["field"].strip('"').lower()))
    return relationships


def test_staging_diagram_draws_every_relationships_test(docs_site: Path) -> None:
    manifest = json.loads((docs_site / "manifest.json").read_text())
    models = diagram_models(manifest)["erd_staging"]
    relationships = manifest_relationships(manifest, models)
    nodes, edges, text = svg_graph(docs_site / "assets" / "erd_staging.svg")
    assert len(models) >= 29, f"only {len(models)} stg_scoro__ models in the manifest"
    assert len(relationships) >= 99, f"only {len(relationships)} relationships tests"
    assert nodes == models, (
        f"missing: {sorted(models - nodes)}; not a staging model: {sorted(nodes - models)}"
    )
    assert edges == relationships, (
        f"not drawn: {sorted(relationships - edges)}; "
        f"drawn but untested: {sorted(edges - relationships)}"
    )
    for name in STAGING_EXAMPLES:
        assert name in text, f"{name} is not named in erd_staging.svg"


def test_accounting_diagram_draws_the_unified_objects(docs_site: Path) -> None:
    manifest = json.loads((docs_site / "manifest.json").read_text())
    models = diagram_models(manifest)["erd_accounting"]
    relationships = manifest_relationships(manifest, models)
    nodes, edges, text = svg_graph(docs_site / "assets" / "erd_accounting.svg")
    assert nodes == models, (
        f"missing: {sorted(models - nodes)}; not an accounting model: {sorted(nodes - models)}"
    )
    assert edges == relationships, (
        f"not drawn: {sorted(relationships - edges)}; "
        f"drawn but untested: {sorted(edges - relationships)}"
    )
    for name in UNIFIED_OBJECTS:
        assert re.search(rf"\b{name}\b", text), f"{name} is not named in erd_accounting.svg"


def test_references_by_name_hold_in_the_warehouse(docs_site: Path, docs_warehouse: Path) -> None:
    """Each dotted line of the accounting diagram joins in a built warehouse, per tenant."""
    _, references, _ = svg_graph(docs_site / "assets" / "erd_accounting.svg", kind="ref")
    assert references, "erd_accounting.svg draws no reference between the unified objects"
    wrong = []
    with duckdb.connect(str(docs_warehouse), read_only=True) as con:
        for source, path, to, field in sorted(references):
            total, resolved = con.execute(
                f"""
                with refs as ({path_values_sql(source, path)})
                select count(*), count(*) filter (where exists (
                    select 1 from accounting."{to}" as t
                    where t.tenant_id = refs.tenant_id
                      and cast(t."{field}" as varchar) = cast(refs.v as varchar)))
                from refs where v is not null
                """
            ).fetchone()
            if total and resolved < MIN_RESOLVED_SHARE * total:
                wrong.append(f"{source}.{path} -> {to}.{field}: {resolved} of {total} resolve")
    assert not wrong, "references drawn that do not join:\n" + "\n".join(wrong)


def test_committed_diagrams_are_current(docs_site: Path) -> None:
    """assets/ holds the diagrams for the README and for a plain `dbt docs generate`."""
    for name in DIAGRAMS:
        committed = REPO / "assets" / f"{name}.svg"
        assert committed.is_file(), f"{committed} is missing: run `make docs`"
        fresh_nodes, fresh_edges, _ = svg_graph(docs_site / "assets" / f"{name}.svg")
        nodes, edges, _ = svg_graph(committed)
        assert (nodes, edges) == (fresh_nodes, fresh_edges), (
            f"assets/{name}.svg is stale (tables or relationships changed): run `make docs` "
            f"and commit assets/. Tables {sorted(nodes ^ fresh_nodes)}, "
            f"lines {sorted(edges ^ fresh_edges)}"
        )


@pytest.fixture(scope="module")
def site_url(docs_site: Path) -> Iterator[str]:
    """The target dir served at the root of a static HTTP server on 127.0.0.1."""
    handler = functools.partial(QuietHandler, directory=str(docs_site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()
    thread.join()


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def test_landing_page_shows_the_diagrams(site_url: str) -> None:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make system-deps` (apt-get install chromium)")
    outside: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.on(
                "request",
                lambda r: None if r.url.startswith((site_url, "data:")) else outside.append(r.url),
            )
            page.goto(site_url, wait_until="load")
            page.wait_for_url("**/#!/overview", timeout=30_000)
            for name in DIAGRAMS:
                image = page.locator(f'img[src="assets/{name}.svg"]')
                image.wait_for(state="visible", timeout=30_000)
                page.wait_for_function(
                    "img => img.complete && img.naturalWidth > 0",
                    arg=image.element_handle(),
                    timeout=30_000,
                )
                assert image.evaluate("img => img.naturalWidth") > 0, f"{name}.svg did not load"
                assert image.is_visible(), f"{name}.svg is not visible on the landing page"
                box = image.bounding_box()
                assert box and box["width"] > 400, f"{name}.svg is drawn {box} on the page"
            # The page scrolls inside its own pane: bring the first diagram's heading to the top.
            page.get_by_role("heading", name="ER diagram: the staging layer").evaluate(
                "h => h.scrollIntoView({block: 'start'})"
            )
            SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOT))
        finally:
            browser.close()
    assert not outside, f"the docs site fetched from outside the site: {outside}"
