"""Draw the ER diagrams of the dbt docs site: SVG files, and a page per diagram to pan and zoom.

The tables and the lines between them come from dbterd reading target/manifest.json and
target/catalog.json: a solid line is a `relationships` test of the dbt project (dbterd's
default `test_relationship` algorithm), a column type is the warehouse's. This script lays them
out with graphviz `dot`: dbterd's own graphviz target draws every column of every table, which
for ~40 staging models is a poster nobody can read, so here each table shows its keys (tested
unique, or referenced by a relationships test) and its foreign keys, and counts the rest.

erd_<area> (erd_sales_orders, erd_sales_invoices, erd_purchases, erd_projects, erd_contacts,
erd_finance, erd_users, erd_other)
    One subject area of the staging layer each. A stg_scoro__ model belongs to the area whose
    name prefix it starts with (AREAS below: `invoice` takes invoices, invoice_lines,
    invoice_line_custom_fields, ...; the longest prefix wins, so purchase_order_lines is a
    purchase, not an order); a model no prefix names lands in `other`. Tables of other areas
    that a table of the area joins to, or that join to it, are drawn as grey stubs showing
    only the key they join on, with a link to their own area's diagram.
erd_staging
    Every stg_scoro__ model and every relationships test between them, on one sheet (offered
    as a download: too big to read on a screen).
erd_accounting
    The models under models/marts/accounting/: the unified objects and the reports beside them.
    Solid lines: relationships tests between them. Dotted lines: references by documented
    property name (invoices.customerId, journal_entries.journalLines[].accountId, a report's
    account_id) to the object of that name, where no test covers them; nested properties
    cannot carry a relationships test, so tests/python/test_docs_site.py checks each dotted
    line against a built warehouse instead. Dashed grey lines: dbt lineage inside the diagram.
    Each box ends with the models outside the diagram it is built from.

Every table box links to its model page in the docs site (../index.html#!/model/<unique id>,
relative to the assets/ folder the diagrams are served from). In the SVG, a table is the node
with id table:<model>, a stub stub:<model>; each line keeps an id:
fk:<model>.<column>-><model>.<column> for a test, ref:<model>.<path>-><model>.<column> for a
reference by name (path like lineItems[].productId), dep:<model>-><model> for lineage.

Beside each <name>.svg goes <name>.html: the same drawing inline in a page with pan and zoom
(assets/erd-viewer.js and .css, plain files in the site: nothing is fetched from elsewhere),
at its natural size, with links to the other diagrams. The dbt docs landing page links to them
(its markdown cannot hold a script).

Usage: render_erd.py --artifacts target --out target/assets [--copy-to assets]
Writes <name>.dot, <name>.svg and <name>.html into --out, and the .svg and .html (with the
viewer's script and style) also into --copy-to.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DBTERD = Path(sys.executable).with_name("dbterd")
ACCOUNTING_PATH = "models/marts/accounting/"
REPORTS_PATH = "models/marts/accounting/reports/"

# One colour per referenced table, so that a reader can follow a line across the page.
PALETTE = [
    "#1f77b4",
    "#d62728",
    "#2ca02c",
    "#9467bd",
    "#ff7f0e",
    "#17becf",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
    "#393b79",
    "#ad494a",
    "#637939",
    "#7b4173",
    "#843c39",
]
HEADER = {"staging": "#1f3b57", "object": "#1d5c3a", "report": "#5b4a7a"}
MAX_TYPE_CHARS = 24
BUILT_FROM_PER_LINE = 2

# A property named <stem>Id / <stem>_id / <stem>Ids, or a <stem>Ref / <stem>Reference struct's
# id, refers to the unified object named here. "parent" refers to the object it sits in.
# Stems absent from this map (class, department, location, owner, document, ...) name no object.
REFERENCE_STEMS = {
    "account": "accounts",
    "bankaccount": "bank_accounts",
    "bill": "bills",
    "creditnote": "credit_notes",
    "customer": "customers",
    "creditedinvoice": "invoices",
    "invoice": "invoices",
    "item": "items",
    "product": "items",
    "journalentry": "journal_entries",
    "project": "projects",
    "vendor": "vendors",
}
SELF_STEM = "parent"

STAGING_PREFIX = "stg_scoro__"
MODEL_PAGE = "../index.html#!/model/{unique_id}"  # the docs site's route, from assets/
STUB_HEADER = "#dfe4ea"
STUB_BORDER = "#aab4bf"


@dataclass(frozen=True)
class Area:
    key: str  # the diagram is erd_<key>
    title: str
    short: str  # its name in the viewer's list of diagrams
    prefixes: tuple[str, ...]  # table names (without stg_scoro__) this area takes


# A staging model belongs to the area whose prefix its table name starts with, followed by
# nothing, "_", "s" or "es" (so `invoice` takes invoices, invoice_lines and a future
# invoice_line_custom_fields); the longest matching prefix wins (purchase_order_lines is a
# purchase, not an order). A table no prefix names lands in DEFAULT_AREA, drawn like the others.
# Sales documents are two areas: with their line custom fields they are some 17 tables.
AREAS = (
    Area(
        "sales_orders",
        "Sales documents: quotes and orders",
        "Quotes & orders",
        ("quote", "order"),
    ),
    Area(
        "sales_invoices",
        "Sales documents: invoices and prepayments",
        "Invoices & prepayments",
        ("invoice", "prepayment"),
    ),
    Area(
        "purchases", "Purchases: bills and purchase orders", "Purchases", ("bill", "purchase_order")
    ),
    Area("projects", "Projects and phases", "Projects", ("project",)),
    Area(
        "contacts",
        "Contacts and custom fields",
        "Contacts & custom fields",
        ("contact", "client_profile", "categories", "custom_field"),
    ),
    Area(
        "finance",
        "Finance: accounts, VAT, receipts, products",
        "Finance",
        ("finance_account", "vat_code", "receipt", "product"),
    ),
    Area("users", "Users, roles and groups", "Users", ("user",)),
    Area("other", "Other staging tables", "Other", ()),
)
DEFAULT_AREA = "other"
AREA_BY_KEY = {area.key: area for area in AREAS}


def area_of(model_name: str) -> Area:
    """The subject area of a staging model (stg_scoro__invoice_lines -> sales_invoices)."""
    table = model_name.removeprefix(STAGING_PREFIX)
    matches = [
        (len(prefix), area.key)
        for area in AREAS
        for prefix in area.prefixes
        if re.match(rf"^{re.escape(prefix)}(?:s|es)?(?:_|$)", table)
    ]
    return AREA_BY_KEY[max(matches)[1] if matches else DEFAULT_AREA]


@dataclass
class Row:
    path: str  # a column, or a nested property path such as lineItems[].productId
    data_type: str


@dataclass
class Node:
    id: str
    name: str
    schema: str
    kind: str
    columns: list[Row]
    keys: set[str] = field(default_factory=set)  # lower-case column names
    fks: set[str] = field(default_factory=set)  # lower-case columns with a relationships test
    refs: dict[str, Row] = field(default_factory=dict)  # lower-case path -> nested row
    built_from: list[str] = field(default_factory=list)


@dataclass
class Edge:
    kind: str  # "fk" (relationships test), "ref" (by name) or "dep" (lineage)
    src: str
    dst: str
    src_col: str = ""
    dst_col: str = ""


def load(artifacts: Path) -> tuple[dict, dict]:
    manifest = json.loads((artifacts / "manifest.json").read_text())
    catalog = json.loads((artifacts / "catalog.json").read_text())
    return manifest, catalog


def run_dbterd(artifacts: Path, selections: list[str]) -> dict:
    """Tables and relationships tests of the selected models, as dbterd's JSON payload."""
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [str(DBTERD), "run", "--artifacts-dir", str(artifacts), "--target", "json"]
        cmd += ["--output", tmp, "--output-file-name", "erd.json"]
        for selection in selections:
            cmd += ["--select", selection]
        proc = subprocess.run(cmd, capture_output=True, text=True)
        out = Path(tmp) / "erd.json"
        if proc.returncode != 0 or not out.exists():
            sys.exit(f"dbterd failed ({' '.join(cmd)}):\n{proc.stdout}\n{proc.stderr}")
        return json.loads(out.read_text())


def unique_columns(manifest: dict) -> dict[str, set[str]]:
    """Columns with a uniqueness test or a primary key constraint, per model id (lower case)."""
    keys: dict[str, set[str]] = {}
    for node in manifest["nodes"].values():
        meta = node.get("test_metadata") or {}
        model = node.get("attached_node")
        if node["resource_type"] == "test" and model and "unique" in (meta.get("name") or ""):
            kwargs = meta.get("kwargs") or {}
            # `unique` on a column, or a composite key such as (tenant_id, id): every row
            # carries tenant_id, so the key shown is the rest of the combination.
            columns = kwargs.get("combination_of_columns") or [
                node.get("column_name") or kwargs.get("column_name") or ""
            ]
            columns = [c.strip('"').lower() for c in columns if c]
            columns = [c for c in columns if c != "tenant_id"] or columns
            keys.setdefault(model, set()).update(columns)
        if node["resource_type"] == "model":
            for constraint in node.get("constraints") or []:
                if constraint.get("type") == "primary_key":
                    cols = {c.strip('"').lower() for c in constraint.get("columns") or []}
                    keys.setdefault(node["unique_id"], set()).update(cols)
            for name, col in (node.get("columns") or {}).items():
                if any(c.get("type") == "primary_key" for c in col.get("constraints") or []):
                    keys.setdefault(node["unique_id"], set()).add(name.strip('"').lower())
    return keys


def column_types(catalog: dict, manifest: dict, node_id: str) -> dict[str, tuple[str, str]]:
    """lower-case name -> (name, type) as the warehouse has them (dbterd lower-cases both)."""
    found: dict[str, tuple[str, str]] = {}
    for name, col in (manifest["nodes"].get(node_id, {}).get("columns") or {}).items():
        found[name.strip('"').lower()] = (name.strip('"'), col.get("data_type") or "")
    for name, col in (catalog["nodes"].get(node_id, {}).get("columns") or {}).items():
        found[name.lower()] = (name, col.get("type") or "")
    return found


def split_top_level(text: str) -> list[str]:
    parts, depth, quoted, start = [], 0, False, 0
    for i, ch in enumerate(text):
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch == "(":
            depth += 1
        elif not quoted and ch == ")":
            depth -= 1
        elif not quoted and ch == "," and depth == 0:
            parts.append(text[start:i].strip())
            start = i + 1
    parts.append(text[start:].strip())
    return [p for p in parts if p]


def struct_fields(data_type: str) -> tuple[list[tuple[str, str]], bool] | None:
    """The fields of a STRUCT(...) or STRUCT(...)[] type, and whether it is a list."""
    t = data_type.strip()
    is_list = t.endswith("[]")
    if is_list:
        t = t[:-2].strip()
    if not t.upper().startswith("STRUCT(") or not t.endswith(")"):
        return None
    fields = []
    for part in split_top_level(t[len("STRUCT(") : -1]):
        match = re.match(r'^("(?:[^"]|"")*"|\S+)\s+(.*)$', part)
        if match:
            fields.append((match.group(1).strip('"'), match.group(2)))
    return fields, is_list


def reference_stem(name: str) -> str | None:
    """customerId -> customer, journal_entry_id -> journalentry, creditedInvoiceIds -> ..."""
    match = re.match(r"^(.+?)(?:Id|Ids|ID|_id|_ids)$", name)
    if not match or not match.group(1):
        return None
    return match.group(1).replace("_", "").lower()


def reference_paths(column: str, data_type: str) -> Iterator[tuple[str, str, str]]:
    """(path, stem, leaf type) for each property of a column that names another object."""
    stem = reference_stem(column)
    if stem:
        suffix = "[]" if data_type.strip().endswith("[]") else ""
        yield column + suffix, stem, data_type.removesuffix("[]")
        return
    parsed = struct_fields(data_type)
    if parsed is None:
        return
    fields, is_list = parsed
    prefix = column + ("[]" if is_list else "")
    ref = re.match(r"^(.+?)(?:Ref|Reference)$", column)
    for name, field_type in fields:
        if struct_fields(field_type) is not None:
            continue
        if name.lower() == "id" and ref:
            yield f"{prefix}.{name}", ref.group(1).lower(), field_type
            continue
        stem = reference_stem(name)
        if stem and name.lower() != "id":
            yield f"{prefix}.{name}", stem, field_type


def short_type(data_type: str) -> str:
    t = (data_type or "").lower()
    if t.startswith("struct("):
        t = "struct[]" if t.endswith("[]") else "struct"
    elif "(" in t and len(t) > MAX_TYPE_CHARS:
        t = t.split("(", 1)[0]
    return t if len(t) <= MAX_TYPE_CHARS else t[: MAX_TYPE_CHARS - 1] + "…"


def short_name(node_id: str) -> str:
    return node_id.rsplit(".", 1)[-1]


def port(column: str) -> str:
    return "c_" + re.sub(r"[^A-Za-z0-9_]", "_", column.lower())


def test_endpoints(manifest: dict, edge: dict) -> tuple[str, str, str, str]:
    """(from model, column, to model, field) of one of dbterd's relationships lines.

    dbterd orders a test's parents as [to, from] and assumes there are two; a relationships
    test with a third parent (a custom test with one more `ref` argument) comes out
    wrong. The test node itself says which model it is attached to and which it points at.
    """
    fallback = (edge["from_id"], edge["from_columns"][0], edge["to_id"], edge["to_columns"][0])
    test = manifest["nodes"].get(edge["id"])
    if not test:
        return fallback
    kwargs = (test.get("test_metadata") or {}).get("kwargs") or {}
    to = re.search(r"""ref\(\s*['"]([^'"]+)['"]\s*\)""", str(kwargs.get("to") or ""))
    targets = [n for n in test["depends_on"]["nodes"] if to and short_name(n) == to.group(1)]
    column = test.get("column_name") or kwargs.get("column_name")
    if not (test.get("attached_node") and targets and column and kwargs.get("field")):
        return fallback
    return test["attached_node"], column.strip('"'), targets[0], str(kwargs["field"]).strip('"')


def build_graph(
    erd: dict,
    manifest: dict,
    catalog: dict,
    kind_of: dict[str, str],
    accounting: bool,
) -> tuple[list[Node], list[Edge]]:
    """The models in kind_of (id -> staging/object/report), and the lines between them."""
    keys = unique_columns(manifest)
    nodes: dict[str, Node] = {}
    for n in erd["nodes"]:
        if n["id"] not in kind_of:
            continue
        types = column_types(catalog, manifest, n["id"])
        rows = [Row(*types.get(c["name"], (c["name"], c["data_type"] or ""))) for c in n["columns"]]
        node = Node(
            id=n["id"],
            name=short_name(n["id"]),
            schema=n.get("schema_name") or "",
            kind=kind_of[n["id"]],
            columns=[r for r in rows if r.path],
            keys=set(keys.get(n["id"], set()))
            | {c["name"] for c in n["columns"] if c.get("is_primary_key")},
        )
        if node.kind == "object" and not node.keys and "id" in types:
            node.keys.add("id")  # every unified object is identified by its `id`
        nodes[n["id"]] = node

    edges = []
    for e in erd["edges"]:
        src_id, src_col, dst_id, dst_col = test_endpoints(manifest, e)
        if src_id not in nodes or dst_id not in nodes:
            continue
        src, dst = nodes[src_id], nodes[dst_id]
        src.fks.add(src_col.lower())
        dst.keys.add(dst_col.lower())
        src_case = {r.path.lower(): r.path for r in src.columns}
        dst_case = {r.path.lower(): r.path for r in dst.columns}
        src_col = src_case.get(src_col.lower(), src_col)
        edges.append(Edge("fk", src.id, dst.id, src_col, dst_case.get(dst_col.lower(), dst_col)))

    if accounting:
        by_name = {n.name: n for n in nodes.values()}
        tested = {(e.src, e.src_col.lower(), e.dst) for e in edges}
        for node in nodes.values():
            for row in node.columns:
                for path, stem, leaf_type in reference_paths(row.path, row.data_type):
                    target = by_name.get(
                        node.name if stem == SELF_STEM else REFERENCE_STEMS.get(stem)
                    )
                    if target is None or "id" not in {c.path.lower() for c in target.columns}:
                        continue
                    if (node.id, path.lower(), target.id) in tested:
                        continue
                    node.refs[path.lower()] = Row(path, leaf_type)
                    target.keys.add("id")
                    edges.append(Edge("ref", node.id, target.id, path, "id"))
        for node in nodes.values():
            for parent in sorted(manifest["parent_map"].get(node.id, [])):
                if parent in nodes:
                    edges.append(Edge("dep", parent, node.id))
                elif parent.split(".", 1)[0] in ("model", "seed", "source", "snapshot"):
                    node.built_from.append(short_name(parent))
    return sorted(nodes.values(), key=lambda n: n.name), edges


def counted(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n or 'no'} {noun}s"


def model_href(node_id: str) -> str:
    return MODEL_PAGE.format(unique_id=node_id)


def column_row(row: Row, tag: str) -> str:
    """One column of a box; lines leave a row from its right edge (out_) and arrive at its left
    edge (in_)."""
    label = html.escape(row.path)
    label = f"<b>{label}</b>" if tag.startswith("PK") else label
    tag_colour = "#b8860b" if tag.startswith("PK") else "#4a6a8a"
    return (
        f'<tr><td align="left" port="in_{port(row.path)}">'
        f'<font color="{tag_colour}" point-size="10">{tag}</font></td>'
        f'<td align="left">{label}</td>'
        f'<td align="left" port="out_{port(row.path)}"><font color="#777777" point-size="10">'
        f"{html.escape(short_type(row.data_type))}&#160;&#160;</font></td></tr>"
    )


def node_label(node: Node) -> str:
    # Keys first, then tested foreign keys, then references by name, each in column order.
    shown: list[tuple[Row, str]] = []
    for row in node.columns:
        lower = row.path.lower()
        if lower in node.keys:
            other = " FK" if lower in node.fks else (" ref" if lower in node.refs else "")
            shown.append((row, "PK" + other))
    for row in node.columns:
        lower = row.path.lower()
        if lower in node.fks and lower not in node.keys:
            shown.append((row, "FK"))
    shown_columns = {r.path.lower() for r, _ in shown}
    for lower, row in node.refs.items():
        if lower not in shown_columns:
            shown.append((row, "ref"))
        shown_columns.add(row.path.split(".", 1)[0].removesuffix("[]").lower())
    hidden = len([r for r in node.columns if r.path.lower() not in shown_columns])

    colour = HEADER.get(node.kind, HEADER["staging"])
    rows = [
        f'<tr><td colspan="3" bgcolor="{colour}" align="left" port="hdr">'
        f'<font color="white" point-size="15"><b>{html.escape(node.name)}&#160;&#160;</b>'
        "</font></td></tr>"
    ]
    rows += [column_row(row, tag) for row, tag in shown]
    if hidden > 0:
        rows.append(
            f'<tr><td colspan="3" align="left"><font color="#888888" point-size="10">'
            f"+ {hidden} more column{'s' if hidden != 1 else ''}</font></td></tr>"
        )
    if node.built_from:
        names = node.built_from
        lines = [
            ", ".join(names[i : i + BUILT_FROM_PER_LINE])
            for i in range(0, len(names), BUILT_FROM_PER_LINE)
        ]
        # Trailing spaces: browsers' fallback fonts run wider than graphviz's metrics.
        text = '<br align="left"/>'.join(html.escape(line) + "&#160;" * 4 for line in lines)
        rows.append(
            f'<tr><td colspan="3" align="left" bgcolor="#f3f0e6"><font color="#555555" '
            f'point-size="10">built from: {text}<br align="left"/></font></td></tr>'
        )
    # A white background: the whole box, not only its text, is the link to the model's page.
    return (
        '<<table border="1" color="#9aa5b1" bgcolor="white" cellborder="0" cellspacing="0" '
        'cellpadding="4">' + "".join(rows) + "</table>>"
    )


@dataclass
class Stub:
    """A table of another area that the area's tables point to: only the keys they join on."""

    node: Node
    rows: list[tuple[Row, str]]
    area: Area


@dataclass
class Joiners:
    """The tables of other areas pointing at one key of the area: listed in one box, one line."""

    target: Node
    column: str
    sources: list[tuple[Node, list[str]]]  # (table, its columns that reference the key)

    @property
    def name(self) -> str:
        return f"from:{self.target.name}.{self.column}"


def graph_label(title: str, subtitle: str) -> str:
    return (
        f'<<font point-size="22">{html.escape(title)}</font><br align="left"/>'
        f'<font point-size="13" color="#4a5866">{html.escape(subtitle)}</font>'
        '<br align="left"/>>'
    )


def stub_label(stub: Stub) -> str:
    rows = [
        f'<tr><td colspan="3" bgcolor="{STUB_HEADER}" align="left" port="hdr">'
        f'<font color="#33414e" point-size="12"><b>{html.escape(stub.node.name)}&#160;&#160;</b>'
        "</font></td></tr>"
    ]
    rows += [column_row(row, tag) for row, tag in stub.rows]
    rows.append(
        f'<tr><td colspan="3" align="left" href="erd_{stub.area.key}.html" target="_top" '
        f'tooltip="open the diagram: {html.escape(stub.area.title)}">'
        f'<font color="#1f5f9f" point-size="10">in {html.escape(stub.area.short)} &#8594;'
        "&#160;&#160;</font></td></tr>"
    )
    return (
        f'<<table border="1" style="dashed" color="{STUB_BORDER}" bgcolor="#f7f8fa" '
        'cellborder="0" cellspacing="0" cellpadding="3">' + "".join(rows) + "</table>>"
    )


def joiners_label(joiners: Joiners) -> str:
    key = f"{joiners.target.name}.{joiners.column}"
    rows = [
        f'<tr><td colspan="2" bgcolor="{STUB_HEADER}" align="left">'
        '<font color="#33414e" point-size="11">joined from other areas on '
        f"<b>{html.escape(joiners.column)}</b>&#160;&#160;&#160;</font></td></tr>"
    ]
    for source, columns in joiners.sources:
        ids = " ".join(f"{source.name}.{c}" for c in columns)
        rows.append(
            f'<tr><td align="left" href="{model_href(source.id)}" target="_top" '
            f'id="in:{html.escape(ids)}-&gt;{html.escape(key)}" '
            f'tooltip="{html.escape(source.name)}: open its page">'
            f'<font color="#1f5f9f" point-size="10">{html.escape(source.name)}&#160;&#160;&#160;'
            "</font></td>"
            f'<td align="left"><font color="#4a6a8a" point-size="10">'
            f"{html.escape(', '.join(columns))}&#160;&#160;</font></td></tr>"
        )
    # port="box": the line leaves from the table's own edge, not from the node's margin.
    return (
        f'<<table port="box" border="1" style="dashed" color="{STUB_BORDER}" bgcolor="#f7f8fa" '
        'cellborder="0" cellspacing="0" cellpadding="3">' + "".join(rows) + "</table>>"
    )


def to_dot(
    title: str,
    nodes: list[Node],
    edges: list[Edge],
    stubs: list[Stub] = (),  # type: ignore[assignment]
    joiners: list[Joiners] = (),  # type: ignore[assignment]
    subtitle: str = "",
    ranksep: float = 1.4,
) -> str:
    targets = sorted({e.dst for e in edges if e.kind != "dep"} | {j.target.id for j in joiners})
    colour_of = {t: PALETTE[i % len(PALETTE)] for i, t in enumerate(targets)}
    label = graph_label(title, subtitle) if subtitle else f'"{title}"'
    out = [
        "digraph erd {",
        f"  graph [rankdir=LR, ranksep={ranksep}, nodesep=0.35, splines=true, fontsize=22, "
        f'labelloc=t, labeljust=l, fontname="Helvetica,Arial,sans-serif", label={label}, pad=0.4];',
        '  node [shape=plaintext, fontname="Helvetica,Arial,sans-serif", fontsize=12];',
        '  edge [fontname="Helvetica,Arial,sans-serif", fontsize=10, arrowsize=0.8];',
    ]
    for node in nodes:
        tip = f"{node.schema}.{node.name}" if node.schema else node.name
        out.append(
            f'  "{node.name}" [id="table:{node.name}", label={node_label(node)}, '
            f'URL="{model_href(node.id)}", target="_top", tooltip="{tip}: open its page"];'
        )
    for stub in stubs:
        node = stub.node
        out.append(
            f'  "{node.name}" [id="stub:{node.name}", label={stub_label(stub)}, '
            f'URL="{model_href(node.id)}", target="_top", '
            f'tooltip="{node.name} ({stub.area.short}): open its page"];'
        )
    for group in joiners:
        target = group.target.name
        out.append(f'  "{group.name}" [id="{group.name}", label={joiners_label(group)}];')
        out.append(
            f'  "{group.name}":box:e -> "{target}":"in_{port(group.column)}":w '
            f'[id="in:{target}.{group.column}", color="{colour_of[group.target.id]}", '
            "style=dashed, dir=both, arrowtail=crow, arrowhead=tee, penwidth=1.3, "
            f'tooltip="tables of other areas joining {target}.{group.column}"];'
        )
    short = {n.id: n.name for n in nodes} | {s.node.id: s.node.name for s in stubs}
    for e in edges:
        src, dst = short[e.src], short[e.dst]
        if e.kind == "dep":
            out.append(
                f'  "{src}":hdr:e -> "{dst}":hdr:w [id="dep:{src}->{dst}", style=dashed, '
                f'color="#999999", arrowhead=vee, tooltip="{dst} is built from {src}"];'
            )
            continue
        ref = f"{src}.{e.src_col}->{dst}.{e.dst_col}"
        how = "relationships test" if e.kind == "fk" else "reference by property name"
        style = "solid" if e.kind == "fk" else "dotted"
        out.append(
            f'  "{src}":"out_{port(e.src_col)}":e -> "{dst}":"in_{port(e.dst_col)}":w '
            f'[id="{e.kind}:{ref}", color="{colour_of[e.dst]}", style={style}, dir=both, '
            f"arrowtail=crow, arrowhead=tee, penwidth={1.3 if e.kind == 'fk' else 1.8}, "
            f'tooltip="{src}.{e.src_col} → {dst}.{e.dst_col} ({how})"];'
        )
    out.append("}")
    return "\n".join(out) + "\n"


def render(dot_text: str, dot_path: Path, svg_path: Path) -> None:
    dot_path.write_text(dot_text)
    dot = shutil.which("dot")
    if dot is None:
        sys.exit("graphviz `dot` not found: run `make system-deps` (apt-get install graphviz)")
    subprocess.run([dot, "-Tsvg", str(dot_path), "-o", str(svg_path)], check=True)


@dataclass
class Diagram:
    name: str  # file stem: erd_<...>
    title: str  # the viewer page's heading
    short: str  # its name in the list of diagrams
    summary: str  # one sentence under the heading
    dot: str


def staging_graph(erd: dict, manifest: dict, catalog: dict) -> tuple[list[Node], list[Edge]]:
    kind_of = {
        uid: "staging"
        for uid, node in manifest["nodes"].items()
        if node["resource_type"] == "model" and node["name"].startswith(STAGING_PREFIX)
    }
    return build_graph(erd, manifest, catalog, kind_of, accounting=False)


def staging_diagram(nodes: list[Node], edges: list[Edge]) -> Diagram:
    title = f"Staging layer: {len(nodes)} stg_scoro__ models, {len(edges)} relationships tests"
    subtitle = "each line runs from a foreign key (crow's foot) to the key it references (bar)"
    summary = (
        f"Every staging model ({len(nodes)}) and every relationships test ({len(edges)}) on one "
        "sheet, to print or to search: the area diagrams are easier to read."
    )
    dot = to_dot(title, nodes, edges, subtitle=subtitle)
    return Diagram(
        "erd_staging", "The whole staging layer", "All staging (one sheet)", summary, dot
    )


def area_diagram(area: Area, nodes: list[Node], edges: list[Edge]) -> Diagram:
    """The staging models of one area; grey stubs for the tables of other areas they point to,
    and a list per key of the tables of other areas that point to it."""
    by_id = {n.id: n for n in nodes}
    inside = [n for n in nodes if area_of(n.name) is area]
    inside_ids = {n.id for n in inside}
    # Lines inside the area and out of it; lines into it are drawn in their own area.
    drawn = [e for e in edges if e.src in inside_ids]
    stub_rows: dict[str, list[tuple[Row, str]]] = {}
    for e in drawn:
        if e.dst in inside_ids:
            continue
        node = by_id[e.dst]
        rows = stub_rows.setdefault(e.dst, [])
        if not any(r.path.lower() == e.dst_col.lower() for r, _ in rows):
            row = next((r for r in node.columns if r.path.lower() == e.dst_col.lower()), None)
            rows.append((row or Row(e.dst_col, ""), "PK"))
    stubs = [
        Stub(by_id[i], sorted(rows, key=lambda r: r[0].path), area_of(by_id[i].name))
        for i, rows in sorted(stub_rows.items(), key=lambda item: by_id[item[0]].name)
    ]
    incoming: dict[tuple[str, str], dict[str, list[str]]] = {}
    for e in edges:
        if e.dst in inside_ids and e.src not in inside_ids:
            sources = incoming.setdefault((e.dst, e.dst_col), {})
            sources.setdefault(e.src, []).append(e.src_col)
    joiners = [
        Joiners(
            by_id[target],
            column,
            [
                (by_id[s], sorted(cols))
                for s, cols in sorted(sources.items(), key=lambda i: by_id[i[0]].name)
            ],
        )
        for (target, column), sources in sorted(
            incoming.items(), key=lambda i: (by_id[i[0][0]].name, i[0][1])
        )
    ]
    joining = {s.id for group in joiners for s, _ in group.sources}
    tables, tests = counted(len(inside), "table"), counted(len(drawn), "relationships test")
    one = len(inside) == 1
    they, them, point = ("it", "it", "points") if one else ("they", "them", "point")
    grey = []
    if stubs:
        grey.append(f"{counted(len(stubs), 'table')} of other areas {they} {point} to")
    if joining:
        grey.append(f"{counted(len(joining), 'table')} of other areas pointing to {them}")
    subtitle = f"{tables}, {tests} from {them}" + (f"; grey: {' and '.join(grey)}" if grey else "")
    summary = f"{tables} of the staging layer, {tests} from {them}."
    if stubs:
        summary += f" Grey boxes: the {grey[0]}, with the key they join on"
        summary += f"; the {grey[1]}, listed beside the key they join." if joining else "."
    elif joining:
        summary += f" Grey boxes: the {grey[0]}, listed beside the key they join."
    dot = to_dot(area.title, inside, drawn, stubs, joiners, subtitle=subtitle, ranksep=1.0)
    return Diagram(f"erd_{area.key}", area.title, area.short, summary, dot)


def accounting_diagram(erd: dict, manifest: dict, catalog: dict) -> Diagram:
    kind_of = {}
    for uid, node in manifest["nodes"].items():
        path = node.get("original_file_path", "")
        if node["resource_type"] == "model" and path.startswith(ACCOUNTING_PATH):
            kind_of[uid] = "report" if path.startswith(REPORTS_PATH) else "object"
    if not kind_of:
        sys.exit(f"no models under {ACCOUNTING_PATH} in the manifest")
    nodes, edges = build_graph(erd, manifest, catalog, kind_of, accounting=True)
    count = {kind: sum(e.kind == kind for e in edges) for kind in ("fk", "ref")}
    title = "Unified accounting objects (green) and reports (purple)"
    subtitle = (
        f"{count['fk']} relationships tests (solid), {count['ref']} references by property name "
        "(dotted), dbt lineage (dashed grey)"
    )
    summary = (
        f"The {sum(n.kind == 'object' for n in nodes)} unified objects (green) and "
        f"{sum(n.kind == 'report' for n in nodes)} reports (purple) in schema accounting: "
        "solid lines are relationships tests, dotted ones references by property name, "
        "dashed grey ones dbt lineage."
    )
    return Diagram(
        "erd_accounting",
        "Unified accounting objects and reports",
        "Accounting objects",
        summary,
        to_dot(title, nodes, edges, subtitle=subtitle),
    )


def viewer_html(diagram: Diagram, svg: str, diagrams: list[Diagram]) -> str:
    """A page with the drawing inline (so its links work and it can pan and zoom)."""
    drawing = svg[svg.index("<svg") :]
    links = []
    for other in diagrams:
        current = ' aria-current="page"' if other is diagram else ""
        links.append(f'<a href="{other.name}.html"{current}>{html.escape(other.short)}</a>')
    title = html.escape(diagram.title)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} · ER diagram · Scoro warehouse</title>
<link rel="stylesheet" href="erd-viewer.css">
</head>
<body>
<header class="erd-bar">
  <div class="erd-top">
    <a class="erd-home" href="../index.html#!/overview" target="_top">&#8592; Docs</a>
    <h1>{title}</h1>
    <div class="erd-tools" role="toolbar" aria-label="Zoom">
      <button type="button" data-zoom="out" title="Zoom out (-)"
        aria-label="Zoom out">&#8722;</button>
      <output class="erd-scale" aria-live="polite">100 %</output>
      <button type="button" data-zoom="in" title="Zoom in (+)" aria-label="Zoom in">+</button>
      <button type="button" data-zoom="natural" title="Natural size (0)">1:1</button>
      <button type="button" data-zoom="fit" title="Fit to the window (F)">Fit</button>
      <a class="erd-download" href="{diagram.name}.svg" download>Download SVG</a>
    </div>
  </div>
  <p class="erd-help">{html.escape(diagram.summary)} Drag or scroll to pan; Ctrl&#160;+&#160;wheel,
  pinch or the buttons to zoom; click a table to open its page.</p>
  <nav class="erd-nav" aria-label="ER diagrams">{" ".join(links)}</nav>
</header>
<main class="erd-view" id="erd-view" tabindex="0" aria-label="{title}">
{drawing}</main>
<script src="erd-viewer.js"></script>
</body>
</html>
"""


VIEWER_FILES = ("erd-viewer.js", "erd-viewer.css")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--artifacts", type=Path, default=ROOT / "target")
    parser.add_argument("--out", type=Path, default=ROOT / "target" / "assets")
    parser.add_argument("--copy-to", type=Path, default=None)
    args = parser.parse_args(argv)
    manifest, catalog = load(args.artifacts)
    # Every model and every relationships test, once; each diagram takes its part. (Selecting
    # in dbterd would drop the lines whose test it maps onto a model outside the selection.)
    erd = run_dbterd(args.artifacts, ["wildcard:model.*"])
    nodes, edges = staging_graph(erd, manifest, catalog)
    diagrams = [area_diagram(area, nodes, edges) for area in AREAS]
    diagrams += [accounting_diagram(erd, manifest, catalog), staging_diagram(nodes, edges)]

    args.out.mkdir(parents=True, exist_ok=True)
    for name in VIEWER_FILES:  # the viewer's own script and style, beside the pages
        source = ROOT / "assets" / name
        if source.resolve() != (args.out / name).resolve():
            shutil.copyfile(source, args.out / name)
    for diagram in diagrams:
        svg = args.out / f"{diagram.name}.svg"
        render(diagram.dot, args.out / f"{diagram.name}.dot", svg)
        page = args.out / f"{diagram.name}.html"
        page.write_text(viewer_html(diagram, svg.read_text(), diagrams))
        print(f"wrote {svg} and {page.name}")
        if args.copy_to:
            args.copy_to.mkdir(parents=True, exist_ok=True)
            for written in (svg, page):
                if written.resolve() != (args.copy_to / written.name).resolve():
                    shutil.copyfile(written, args.copy_to / written.name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
