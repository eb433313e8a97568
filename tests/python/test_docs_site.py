"""The dbt docs site: ER diagrams drawn from the relationships tests, linked from its landing page.

``docs_site`` runs ``scripts/docs.sh`` (``dbt docs generate``, then dbterd + graphviz through
``scripts/render_erd.py``) against a built warehouse, into a temporary target dir. The tests
read the diagrams' SVG against the manifest's relationships tests (every staging model in one
subject area, every test drawn), then serve the site with ``http.server`` on 127.0.0.1 and
open it in headless Debian chromium driven by Playwright: the landing page links every
diagram; each diagram's page shows it with no text under 10 px at its default zoom, pans and
zooms, and links every table box to a model page that renders; nothing is fetched from
anywhere but the site. Screenshots go to target/docs_*.png.

Needs graphviz and ``/usr/bin/chromium`` (``make system-deps``); without them the tests fail.
The built file comes from the ``built_warehouse`` fixture (tests/python/conftest.py); if the
environment variable ``SCORO_BUILT_DUCKDB`` names a file, a copy of that file is used instead.
"""

from __future__ import annotations

import functools
import importlib.util
import json
import os
import re
import shutil
import sys
import threading
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import duckdb
import pytest
from playwright.sync_api import sync_playwright

from conftest import UNIFIED_OBJECTS, built_once, dbt_env, run_in_repo

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
SCREENSHOTS = REPO / "target"
ACCOUNTING_PATH = "models/marts/accounting/"
AREA_DIAGRAMS = (
    "erd_sales_orders",
    "erd_sales_invoices",
    "erd_purchases",
    "erd_projects",
    "erd_contacts",
    "erd_finance",
    "erd_users",
    "erd_other",
)
DIAGRAMS = (*AREA_DIAGRAMS, "erd_accounting", "erd_staging")
MAX_AREA_TABLES = 12
MIN_TEXT_PX = 10.0
# Where the area rule must put a table, including tables the loader is adding
# (`<doc>_line_custom_fields`, product and receipt custom fields) and one no rule names.
AREA_EXAMPLES = {
    "stg_scoro__invoice_lines": "erd_sales_invoices",
    "stg_scoro__invoice_credited_invoices": "erd_sales_invoices",
    "stg_scoro__invoice_line_custom_fields": "erd_sales_invoices",
    "stg_scoro__prepayment_custom_fields": "erd_sales_invoices",
    "stg_scoro__quote_line_custom_fields": "erd_sales_orders",
    "stg_scoro__orders": "erd_sales_orders",
    "stg_scoro__order_line_custom_fields": "erd_sales_orders",
    "stg_scoro__purchase_order_lines": "erd_purchases",
    "stg_scoro__purchase_order_line_custom_fields": "erd_purchases",
    "stg_scoro__bill_line_custom_fields": "erd_purchases",
    "stg_scoro__project_phases": "erd_projects",
    "stg_scoro__contact_means_of_contact": "erd_contacts",
    "stg_scoro__custom_field_modules": "erd_contacts",
    "stg_scoro__categories": "erd_contacts",
    "stg_scoro__product_custom_fields": "erd_finance",
    "stg_scoro__receipt_custom_fields": "erd_finance",
    "stg_scoro__receipt_rows": "erd_finance",
    "stg_scoro__vat_codes": "erd_finance",
    "stg_scoro__user_roles": "erd_users",
    "stg_scoro__load_issues": "erd_other",
    "stg_scoro__expense_claims": "erd_other",
}
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
# A reference by name must point into the right id space: most values resolve. (The objects keep
# deleted records, so customer, vendor and account references resolve in full:
# test_vocabulary.py checks those exactly.)
MIN_RESOLVED_SHARE = 0.5


@pytest.fixture(scope="module")
def docs_warehouse(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """A copy of the built DuckDB file ($SCORO_BUILT_DUCKDB if set, else ``built_warehouse``),
    made once per run (conftest.built_once)."""
    override = os.environ.get("SCORO_BUILT_DUCKDB")
    if override:
        source = Path(override)
        assert source.is_file(), f"SCORO_BUILT_DUCKDB={override} is not a file"
    else:
        source = Path(request.getfixturevalue("built_warehouse"))
    folder = built_once(
        tmp_path_factory, "docs", lambda folder: shutil.copy(source, folder / "scoro.duckdb")
    )
    return folder / "scoro.duckdb"


@pytest.fixture(scope="module")
def docs_site(docs_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The generated docs site: the target dir that scripts/docs.sh filled (once per run)."""
    assert shutil.which("dot"), "graphviz `dot` is missing: run `make system-deps`"

    def generate(folder: Path) -> None:
        target = folder / "target"
        env = dbt_env(
            docs_warehouse,
            target,
            PATH=f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}",
            SCORO_DOCS_COPY_ASSETS="0",  # leave the repository's assets/ alone
        )
        completed = run_in_repo(["bash", str(REPO / "scripts" / "docs.sh")], env)
        assert completed.returncode == 0, (
            f"scripts/docs.sh failed ({completed.returncode}):\n"
            f"{completed.stdout[-4000:]}\n{completed.stderr[-4000:]}"
        )

    target = built_once(tmp_path_factory, "docs-site", generate) / "target"
    for name in DIAGRAMS:
        assert (target / "assets" / f"{name}.svg").is_file(), f"no {name}.svg in {target}/assets"
    return target


XLINK = "{http://www.w3.org/1999/xlink}href"
# A row of an area diagram's box listing other areas' tables that join one of its keys:
# in:<model>.<column>[ <model>.<column>...]-><model>.<column>
JOINED_ID = re.compile(r"^(?:a_)?in:(.+)->([^.]+)\.([^.]+)$")


@dataclass
class Drawing:
    """What one diagram's SVG draws."""

    tables: set[str] = field(default_factory=set)  # boxes in full (id table:<model>)
    stubs: set[str] = field(default_factory=set)  # other areas' tables (id stub:<model>)
    edges: dict[str, set[tuple[str, str, str, str]]] = field(default_factory=dict)
    joined: set[tuple[str, str, str, str]] = field(default_factory=set)  # listed, not drawn
    links: dict[str, list[str]] = field(default_factory=dict)  # table or stub -> its hrefs
    text: str = ""


def read_drawing(path: Path) -> Drawing:
    root = ET.parse(path).getroot()
    drawing = Drawing(edges={"fk": set(), "ref": set()})
    for group in root.iter(f"{SVG}g"):
        group_id = group.get("id") or ""
        title = group.find(f"{SVG}title")
        if group.get("class") == "node" and title is not None and title.text:
            kind = group_id.split(":", 1)[0]
            if kind in ("table", "stub"):
                (drawing.tables if kind == "table" else drawing.stubs).add(title.text)
                drawing.links[title.text] = [a.get(XLINK) or "" for a in group.iter(f"{SVG}a")]
        elif group.get("class") == "edge":
            match = EDGE_ID.match(group_id)
            if match:
                kind, source, column, to, field_ = match.groups()
                column = column if kind == "ref" else column.lower()
                drawing.edges[kind].add((source, column, to, field_.lower()))
        match = JOINED_ID.match(group_id)
        if match and group_id.startswith("a_"):
            sources, to, field_ = match.groups()
            for source in sources.split():
                model, column = source.split(".", 1)
                drawing.joined.add((model, column.lower(), to, field_.lower()))
    drawing.text = " ".join(t.text or "" for t in root.iter(f"{SVG}text"))
    return drawing


def svg_graph(path: Path, kind: str = "fk") -> tuple[set[str], set[tuple[str, str, str, str]], str]:
    """The boxes, the lines of a kind (from, column, to, column) and all text of a diagram."""
    drawing = read_drawing(path)
    return drawing.tables | drawing.stubs, drawing.edges[kind], drawing.text


def render_erd_module():
    """scripts/render_erd.py, imported: its area rule is what the tests below pin down."""
    spec = importlib.util.spec_from_file_location("render_erd", REPO / "scripts" / "render_erd.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["render_erd"] = module  # dataclasses look their module up while it loads
    spec.loader.exec_module(module)
    return module


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


def staging_models(manifest: dict) -> set[str]:
    return diagram_models(manifest)["erd_staging"]


def test_area_rule_places_tables_by_name() -> None:
    """New staging models land in an area by name alone, without editing the script."""
    render_erd = render_erd_module()
    placed = {name: f"erd_{render_erd.area_of(name).key}" for name in AREA_EXAMPLES}
    wrong = {name: (got, AREA_EXAMPLES[name]) for name, got in placed.items()}
    wrong = {k: v for k, v in wrong.items() if v[0] != v[1]}
    assert not wrong, f"placed in the wrong area (got, expected): {wrong}"
    assert [f"erd_{area.key}" for area in render_erd.AREAS] == list(AREA_DIAGRAMS)


def test_area_diagrams_cover_the_staging_layer(docs_site: Path) -> None:
    """Every staging model is drawn in full in exactly one area, with at most a dozen tables
    an area; every relationships test is drawn in the area of its foreign key, and listed
    beside its key in the area of the key when that is another."""
    manifest = json.loads((docs_site / "manifest.json").read_text())
    models = staging_models(manifest)
    relationships = manifest_relationships(manifest, models)
    home: dict[str, list[str]] = {}
    drawn_tests: set[tuple[str, str, str, str]] = set()
    problems = []
    for name in AREA_DIAGRAMS:
        drawing = read_drawing(docs_site / "assets" / f"{name}.svg")
        for table in drawing.tables:
            home.setdefault(table, []).append(name)
        if len(drawing.tables) > MAX_AREA_TABLES:
            problems.append(f"{name}: {len(drawing.tables)} tables (at most {MAX_AREA_TABLES})")
        expected_edges = {r for r in relationships if r[0] in drawing.tables}
        if drawing.edges["fk"] != expected_edges:
            problems.append(
                f"{name}: lines not drawn {sorted(expected_edges - drawing.edges['fk'])}, "
                f"drawn but not from the area {sorted(drawing.edges['fk'] - expected_edges)}"
            )
        expected_stubs = {r[2] for r in expected_edges} - drawing.tables
        if drawing.stubs != expected_stubs:
            problems.append(f"{name}: stubs {sorted(drawing.stubs)}, expected {expected_stubs}")
        expected_joined = {
            r for r in relationships if r[2] in drawing.tables and r[0] not in drawing.tables
        }
        if drawing.joined != expected_joined:
            problems.append(
                f"{name}: joining tables not listed {sorted(expected_joined - drawing.joined)}, "
                f"listed wrongly {sorted(drawing.joined - expected_joined)}"
            )
        drawn_tests |= drawing.edges["fk"]
    homeless = sorted(models - set(home))
    assert not homeless, f"staging models in no area diagram: {homeless}"
    twice = {table: areas for table, areas in home.items() if len(areas) > 1}
    assert not twice, f"staging models in more than one area: {twice}"
    assert set(home) == models, f"not staging models: {sorted(set(home) - models)}"
    assert drawn_tests == relationships, f"tests in no area: {relationships - drawn_tests}"
    assert not problems, "\n".join(problems)


def test_staging_diagram_draws_every_relationships_test(docs_site: Path) -> None:
    manifest = json.loads((docs_site / "manifest.json").read_text())
    models = staging_models(manifest)
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
    """assets/ holds the diagrams and their pages, for the README and a plain
    `dbt docs generate` (which copies assets/ into the site)."""
    committed_names = {p.stem for p in (REPO / "assets").glob("erd_*.svg")}
    assert committed_names == set(DIAGRAMS), (
        f"assets/ holds diagrams {sorted(committed_names)}, the script draws {sorted(DIAGRAMS)}: "
        "run `make docs` and commit assets/"
    )
    for name in ("erd-viewer.js", "erd-viewer.css"):
        assert (REPO / "assets" / name).is_file(), f"assets/{name} is missing"
    for name in DIAGRAMS:
        committed = REPO / "assets" / f"{name}.svg"
        fresh_nodes, fresh_edges, _ = svg_graph(docs_site / "assets" / f"{name}.svg")
        nodes, edges, _ = svg_graph(committed)
        assert (nodes, edges) == (fresh_nodes, fresh_edges), (
            f"assets/{name}.svg is stale (tables or relationships changed): run `make docs` "
            f"and commit assets/. Tables {sorted(nodes ^ fresh_nodes)}, "
            f"lines {sorted(edges ^ fresh_edges)}"
        )
        page = (REPO / "assets" / f"{name}.html").read_text()
        inline = page[page.index("<svg") : page.index("</svg>") + len("</svg>")]
        assert inline == committed.read_text()[committed.read_text().index("<svg") :].strip(), (
            f"assets/{name}.html does not hold assets/{name}.svg: run `make docs`"
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


@pytest.fixture(scope="module")
def browser_context(site_url: str) -> Iterator[tuple[object, list[str]]]:
    """A headless chromium context, and the list of every URL it fetched outside the site."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make system-deps` (apt-get install chromium)")
    outside: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        context.on(
            "request",
            lambda r: (
                None
                if r.url.startswith((site_url, "data:", "about:", "blob:"))
                else outside.append(r.url)
            ),
        )
        try:
            yield context, outside
        finally:
            browser.close()


# The smallest text of the drawing in CSS pixels on screen, from each <text>'s font size in
# SVG units and the SVG's scale to the screen.
SMALLEST_TEXT_JS = """() => {
  const svg = document.querySelector('#erd-view svg');
  let smallest = Infinity, count = 0;
  for (const text of svg.querySelectorAll('text')) {
    if (!text.textContent.trim()) continue;
    const size = parseFloat(getComputedStyle(text).fontSize) * text.getScreenCTM().a;
    smallest = Math.min(smallest, size);
    count += 1;
  }
  return {smallest, count};
}"""
# Every table and stub box of the drawing, with the address its link resolves to.
BOX_LINKS_JS = """() => {
  const links = {};
  for (const node of document.querySelectorAll('#erd-view g.node')) {
    const [kind, name] = node.id.split(/:(.*)/s);
    if (kind !== 'table' && kind !== 'stub') continue;
    const anchor = node.querySelector('a');
    const href = anchor && (anchor.getAttributeNS('http://www.w3.org/1999/xlink', 'href')
                            || anchor.getAttribute('href'));
    links[name] = href ? new URL(href, location.href).href : null;
  }
  return links;
}"""
VIEW_STATE_JS = """() => {
  const view = document.getElementById('erd-view');
  const text = view.querySelector('svg text');
  return {scale: parseFloat(view.dataset.scale), left: view.scrollLeft, top: view.scrollTop,
          textHeight: text.getBoundingClientRect().height};
}"""


def test_landing_page_links_every_diagram(browser_context, site_url: str) -> None:
    """The landing page links each diagram's page and offers the whole staging sheet; any
    diagram image it shows is drawn with its text at 10 px or more."""
    context, outside = browser_context
    page = context.new_page()
    page.goto(site_url, wait_until="load")
    page.wait_for_url("**/#!/overview", timeout=30_000)
    heading = page.get_by_role("heading", name="ER diagrams", exact=True)
    heading.wait_for(state="visible", timeout=30_000)
    hrefs = page.eval_on_selector_all(
        ".panel-body a[href]", "links => links.map(a => a.getAttribute('href'))"
    )
    linked = {m.group(1) for h in hrefs if (m := re.fullmatch(r"assets/(erd_\w+)\.html", h))}
    assert linked == set(DIAGRAMS), (
        f"the landing page links {sorted(linked)}, the diagrams are {sorted(DIAGRAMS)}"
    )
    assert "assets/erd_staging.svg" in hrefs, "no download link to the whole staging diagram"
    shrunk = page.eval_on_selector_all(
        ".panel-body img",
        "imgs => imgs.filter(i => i.src.endsWith('.svg'))"
        ".map(i => [i.src, i.getBoundingClientRect().width / i.naturalWidth])",
    )
    # Every diagram's smallest font is 10 pt = 13.3 px at natural size.
    too_small = [(src, scale) for src, scale in shrunk if 13.33 * scale < MIN_TEXT_PX]
    assert not too_small, f"diagram images shrunk below {MIN_TEXT_PX} px text: {too_small}"
    heading.evaluate("h => h.scrollIntoView({block: 'start'})")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "docs_overview.png"))
    # The links open the pages, in the site.
    page.get_by_role("link", name="Sales documents: invoices and prepayments").click()
    page.wait_for_url("**/assets/erd_sales_invoices.html")
    page.locator("#erd-view svg").wait_for(state="visible")
    page.close()
    assert not outside, f"the docs site fetched from outside the site: {outside}"


@pytest.mark.parametrize("name", DIAGRAMS)
def test_diagram_page_reads_pans_zooms_and_links(
    browser_context, site_url: str, docs_site: Path, name: str
) -> None:
    context, outside = browser_context
    manifest = json.loads((docs_site / "manifest.json").read_text())
    page = context.new_page()
    page.goto(f"{site_url}assets/{name}.html", wait_until="load")
    view = page.locator("#erd-view")
    view.locator("svg").wait_for(state="visible", timeout=30_000)

    # Readable as it opens: natural size, no text under 10 px.
    state = page.evaluate(VIEW_STATE_JS)
    assert state["scale"] == 1.0, f"{name} opens at zoom {state['scale']}, not its natural size"
    text = page.evaluate(SMALLEST_TEXT_JS)
    assert text["count"] > 3, f"{name}: only {text['count']} texts drawn"
    assert text["smallest"] >= MIN_TEXT_PX, (
        f"{name}: smallest text {text['smallest']:.1f} px at the default zoom"
    )
    page.screenshot(path=str(SCREENSHOTS / f"docs_{name}.png"))

    # Every table box links to the page of its model in the site.
    links = page.evaluate(BOX_LINKS_JS)
    assert links, f"{name}: no table boxes"
    wrong = {
        box: href
        for box, href in links.items()
        if href != f"{site_url}index.html#!/model/model.scoro_warehouse.{box}"
        or f"model.scoro_warehouse.{box}" not in manifest["nodes"]
    }
    assert not wrong, f"{name}: boxes linking elsewhere than their model page: {wrong}"

    # Zoom: a button, then Ctrl + wheel over the drawing; each changes the scale and the text.
    page.click('[data-zoom="in"]')
    zoomed = page.evaluate(VIEW_STATE_JS)
    assert zoomed["scale"] > state["scale"], "the + button did not zoom"
    assert zoomed["textHeight"] > state["textHeight"] * 1.1, "the drawing did not grow"
    box = view.bounding_box()
    assert box
    centre = (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.move(*centre)
    page.keyboard.down("Control")
    page.mouse.wheel(0, -400)
    page.keyboard.up("Control")
    page.wait_for_function(f"document.getElementById('erd-view').dataset.scale > {zoomed['scale']}")
    wheeled = page.evaluate(VIEW_STATE_JS)
    assert wheeled["scale"] > zoomed["scale"], "Ctrl + wheel did not zoom"
    # Pan: drag the drawing (zoomed in until it overflows the window, or there is no pan).
    overflows = "v => v.scrollWidth > v.clientWidth || v.scrollHeight > v.clientHeight"
    for _ in range(12):
        if view.evaluate(overflows):
            break
        page.click('[data-zoom="in"]')
    wheeled = page.evaluate(VIEW_STATE_JS)
    page.mouse.move(*centre)
    page.mouse.down()
    page.mouse.move(centre[0] - 300, centre[1] - 200, steps=8)
    page.mouse.up()
    panned = page.evaluate(VIEW_STATE_JS)
    assert (panned["left"], panned["top"]) != (wheeled["left"], wheeled["top"]), "drag did not pan"
    assert page.url == f"{site_url}assets/{name}.html", "a drag followed a link"
    page.click('[data-zoom="fit"]')
    fitted = page.evaluate(VIEW_STATE_JS)
    assert fitted["scale"] <= 1.0

    # Follow a table's link: the model's page renders in the site.
    page.click('[data-zoom="natural"]')
    first = sorted(
        b
        for b in links
        if f"table:{b}"
        in page.evaluate("() => [...document.querySelectorAll('#erd-view g.node')].map(n => n.id)")
    )[0]
    page.locator(f'[id="table:{first}"] a').first.click()
    page.wait_for_url(f"**/index.html#!/model/model.scoro_warehouse.{first}", timeout=30_000)
    wait_for_model_page(page, first)
    if name == "erd_sales_invoices":
        page.screenshot(path=str(SCREENSHOTS / "docs_model_page.png"))
    # ...and so does every other box's link, in the same (already loaded) site.
    for box, href in sorted(links.items()):
        page.goto(href)
        wait_for_model_page(page, box)
    page.close()
    assert not outside, f"the docs site fetched from outside the site: {outside}"


def wait_for_model_page(page, model: str) -> None:
    """The docs app shows the model's page: its name as the page's heading."""
    page.wait_for_function(
        """name => [...document.querySelectorAll('h1')].some(
               h => h.offsetParent !== null && h.textContent.trim().split(/\\s+/)[0] === name)""",
        arg=model,
        timeout=30_000,
    )
