"""`make demo`'s summary (scripts/demo_summary.py) reads what the sync and dbt really print.

The sync's summary comes from a real sync of the simulator; if its wording changes, the demo
would fall back to printing it raw, and this test says so. The three example queries the
demo prints run on the built demo warehouse and answer.
"""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from pathlib import Path

import duckdb
import pytest

from conftest import REPO, sync_into


def demo_summary_module():
    spec = importlib.util.spec_from_file_location(
        "demo_summary", REPO / "scripts" / "demo_summary.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["demo_summary"] = module
    spec.loader.exec_module(module)
    return module


def test_summary_reads_the_syncs_own_words(simulator, tmp_path: Path) -> None:
    demo_summary = demo_summary_module()
    path = tmp_path / "scoro.duckdb"
    result = sync_into(path, simulator)
    lines = demo_summary.sync_lines(result.summary(), path)
    text = "\n".join(lines)
    assert lines[0].startswith("Sync: "), f"the sync's summary was not understood:\n{text}"
    requests = sum(result.requests.values())
    assert f"{requests:,} requests" in lines[0], text
    bookkeeping = ("_dlt", "_scoro_listed")  # dlt's and the sweep's own tables, not data
    rows = {t: n for t, n in result.rows_loaded.items() if not t.startswith(bookkeeping) and n}
    invoices = next(line for line in lines if line.strip().startswith("invoices "))
    assert f"{rows['invoices']:,}" in invoices and f"lines {rows['invoice_lines']:,}" in invoices
    # Every table the sync wrote is counted once, under its module.
    assert "Rows per module:" in lines
    module_lines = lines[lines.index("Rows per module:") + 1 :]
    shown = sum(int(n.replace(",", "")) for line in module_lines for n in numbers(line))
    assert shown == sum(rows.values()), text


def numbers(line: str) -> list[str]:
    return re.findall(r"(?<![\w-])\d[\d,]*(?![\w-])", line)


def test_summary_counts_dbt_results(tmp_path: Path) -> None:
    demo_summary = demo_summary_module()
    results = {
        "results": [
            {"unique_id": "model.p.a", "status": "success"},
            {"unique_id": "seed.p.s", "status": "success"},
            {"unique_id": "test.p.t1", "status": "pass"},
            {"unique_id": "test.p.t2", "status": "warn"},
            {"unique_id": "test.p.t3", "status": "fail"},
            {"unique_id": "unit_test.p.a.u", "status": "pass"},
        ]
    }
    path = tmp_path / "run_results.json"
    path.write_text(json.dumps(results))
    lines = demo_summary.dbt_lines(path)
    assert lines[0] == (
        "dbt build: 1 models and 1 seeds built; tests: 2 passed, 1 warned, 1 failed"
    ), lines
    assert "  fail: test.p.t3" in lines and "  warn: test.p.t2" in lines


@pytest.fixture(scope="module")
def demo_queries() -> tuple:
    return demo_summary_module().EXAMPLE_QUERIES


def test_example_queries_answer(built_warehouse: Path, demo_queries: tuple) -> None:
    assert len(demo_queries) == 3
    with duckdb.connect(str(built_warehouse), read_only=True) as con:
        for title, sql in demo_queries:
            assert "'" not in sql, f"{title}: a single quote would end the printed shell string"
            relation = con.sql(sql)
            rows = relation.fetchall()
            assert rows, f"{title}: no rows"
            empty = [c for i, c in enumerate(relation.columns) if all(r[i] is None for r in rows)]
            assert not empty, f"{title}: column(s) {empty} null on every row"
