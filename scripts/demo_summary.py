"""Print what `make demo` built: rows per Scoro module, requests, dbt results, docs, queries.

Reads the sync's own summary (the text `scoro-warehouse sync` prints at its end), dbt's
run_results.json of the `dbt build` step, and the DuckDB file (read-only) for which dlt
resource (Scoro module) each raw table came from. Any part it cannot read is printed as the
source says it, never guessed.

Usage: demo_summary.py --sync-output FILE --run-results FILE --duckdb FILE --docs DIR --log FILE
"""

from __future__ import annotations

import argparse
import json
import re
from collections import Counter
from pathlib import Path

import duckdb

# The sync summary: a headline, then one "  <table>: <rows>" line per raw table.
HEADLINE = re.compile(
    r"^tenant (?P<tenant>\S+): (?P<rows>\d+) rows written to (?P<path>.+?) "
    r"\((?P<list>\d+) list and (?P<view>\d+) view requests, "
    r"(?P<issues>\d+) (?:unreadable values|load issues[^)]*)\)"
)
TABLE_LINE = re.compile(r"^  (?P<table>\w+): (?P<rows>\d+)$")
RAW_SCHEMA = "scoro_raw"
DOCS_PORT = 8080
# Three first questions, runnable as printed (no single quotes: they sit in a shell string).
EXAMPLE_QUERIES = (
    (
        "net profit by month",
        "select period_month, sum(net_profit_effect_base) as net_profit "
        "from accounting.profit_and_loss_by_month group by all order by period_month",
    ),
    (
        "who owes the most",
        "select customer_name, sum(amount_due_base) as amount_due from accounting.ar_ageing "
        "group by all order by amount_due desc limit 5",
    ),
    (
        "the latest invoices",
        'select "invoiceNumber", "issueDate", "customerName", "totalAmount", "amountDue" '
        'from accounting.invoices order by "issueDate" desc, "invoiceNumber" desc limit 5',
    ),
)


def module_of_tables(duckdb_path: Path) -> dict[str, str]:
    """raw table -> the dlt resource (Scoro module) that loaded it, from dlt's stored schema."""
    try:
        with duckdb.connect(str(duckdb_path), read_only=True) as con:
            row = con.execute(
                f"select schema from {RAW_SCHEMA}._dlt_version order by inserted_at desc limit 1"
            ).fetchone()
    except duckdb.Error:
        return {}
    if not row:
        return {}
    tables = json.loads(row[0]).get("tables", {})
    return {name: t.get("resource") or name for name, t in tables.items()}


def child_label(table: str, module: str) -> str:
    """invoice_lines of invoices -> lines; contact_means_of_contact -> means of contact."""
    stem = module[:-1] if module.endswith("s") else module
    return table.removeprefix(stem + "_").replace("_", " ")


def sync_lines(sync_output: str, duckdb_path: Path) -> list[str]:
    lines = sync_output.splitlines()
    headline = next((m for line in lines if (m := HEADLINE.match(line))), None)
    counts = {m["table"]: int(m["rows"]) for line in lines if (m := TABLE_LINE.match(line))}
    if headline is None:
        tail = [line for line in lines if line.strip()][-12:]
        return ["Sync (the end of its output):", *("  " + line for line in tail)]
    requests = int(headline["list"]) + int(headline["view"])
    out = [
        f"Sync: {int(headline['rows']):,} rows written to {headline['path']} "
        f"(schema {RAW_SCHEMA}) for tenant {headline['tenant']}; {requests:,} requests "
        f"({headline['list']} list, {headline['view']} view); "
        f"{headline['issues']} unreadable values"
    ]
    if not counts:
        out.append(
            "  Nothing changed since this file's last sync (the sync is incremental); "
            f"delete {headline['path']} for a fresh demo."
        )
        return out
    out.append("Rows per module:")
    module_of = module_of_tables(duckdb_path)
    modules: dict[str, dict[str, int]] = {}
    for table, rows in counts.items():
        modules.setdefault(module_of.get(table, table), {})[table] = rows
    width = max(len(m) for m in modules)
    for module in sorted(modules):
        tables = modules[module]
        own = tables.pop(module, 0)
        children = " · ".join(
            f"{child_label(t, module)} {n:,}" for t, n in sorted(tables.items()) if n
        )
        out.append(f"  {module:<{width}} {own:>7,}" + (f"   ({children})" if children else ""))
    for line in lines:  # the id sweep's and the daily limit's notes, as the sync wrote them
        if "flagged deleted" in line or line.startswith("stopped:"):
            out.append("  " + line.strip())
    return out


def dbt_lines(run_results: Path) -> list[str]:
    if not run_results.is_file():
        return [f"dbt build: no {run_results} to read"]
    results = json.loads(run_results.read_text())["results"]
    status = Counter((r["unique_id"].split(".", 1)[0], r["status"]) for r in results)
    built = {kind: status[(kind, "success")] for kind in ("model", "seed", "snapshot")}
    tests = Counter()
    for (kind, state), n in status.items():
        if kind in ("test", "unit_test"):
            tests[state] += n
    failed = tests["fail"] + tests["error"]
    skipped = sum(n for (kind, state), n in status.items() if state == "skipped")
    line = (
        f"dbt build: {built['model']} models and {built['seed']} seeds built; tests: "
        f"{tests['pass']} passed, {tests['warn']} warned, {failed} failed"
    )
    if skipped:
        line += f", {skipped} skipped"
    out = [line]
    for result in results:
        if result["status"] in ("fail", "error", "warn"):
            out.append(f"  {result['status']}: {result['unique_id']}")
    return out


def query_command(duckdb_path: Path, sql: str) -> str:
    return (
        f'.venv/bin/python -c \'import duckdb; duckdb.connect("{duckdb_path}", '
        f'read_only=True).sql("""{sql}""").show()\''
    )


def summary(args: argparse.Namespace) -> str:
    sync_output = args.sync_output.read_text() if args.sync_output.is_file() else ""
    out = ["", *sync_lines(sync_output, args.duckdb), "", *dbt_lines(args.run_results), ""]
    out += [
        f"Docs: {args.docs / 'index.html'} (ER diagrams linked from its landing page).",
        f"      Serve them with `make serve-docs`, then open http://localhost:{DOCS_PORT}",
        "",
        'Three queries to try (read-only; the README\'s "For analysts" has more):',
    ]
    for title, sql in EXAMPLE_QUERIES:
        out += [f"  # {title}", f"  {query_command(args.duckdb, sql)}"]
    out += ["", f"Full log: {args.log}"]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--sync-output", type=Path, required=True)
    parser.add_argument("--run-results", type=Path, required=True)
    parser.add_argument("--duckdb", type=Path, required=True)
    parser.add_argument("--docs", type=Path, required=True)
    parser.add_argument("--log", type=Path, required=True)
    print(summary(parser.parse_args(argv)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
