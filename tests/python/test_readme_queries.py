"""Every query the README shows runs, as written, against the demo warehouse, and answers.

Each ```sql block of README.md runs on a copy of the ``built_warehouse`` fixture (the
simulator's demo tenant, ``demo-agency``, after ``dbt build``; ``SCORO_BUILT_DUCKDB`` names
another built file). Each must return rows, and no column of its result may be null on every
row: a column that never has a value is a question the README cannot answer. The README's
``python -c`` one-liner runs too, as a shell command, on the same file.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from conftest import REPO

README = REPO / "README.md"
FENCED = re.compile(r"^```(\w*)\n(.*?)^```", re.S | re.M)
README_DUCKDB = "data/scoro.duckdb"
MIN_QUERIES = 5


@dataclass
class Query:
    name: str
    sql: str


def readme_blocks(language: str) -> list[str]:
    return [body for lang, body in FENCED.findall(README.read_text()) if lang == language]


def readme_queries() -> list[Query]:
    queries = []
    for number, sql in enumerate(readme_blocks("sql"), 1):
        table = re.search(r"\bfrom\s+([\w.\"]+)", sql, re.I)
        name = table.group(1).replace('"', "").split(".")[-1] if table else "query"
        queries.append(Query(f"{number}-{name}", sql))
    return queries


QUERIES = readme_queries()


@dataclass
class Answer:
    columns: list[str]
    rows: list[tuple]
    error: str = ""

    def empty_columns(self) -> set[str]:
        return {c for i, c in enumerate(self.columns) if all(r[i] is None for r in self.rows)}


@pytest.fixture(scope="module")
def readme_warehouse(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """A copy of the built demo warehouse ($SCORO_BUILT_DUCKDB if set, else built_warehouse)."""
    override = os.environ.get("SCORO_BUILT_DUCKDB")
    source = Path(override) if override else Path(request.getfixturevalue("built_warehouse"))
    assert source.is_file(), f"no built warehouse at {source}"
    path = tmp_path_factory.mktemp("readme") / "scoro.duckdb"
    shutil.copy(source, path)
    return path


@pytest.fixture(scope="module")
def answers(readme_warehouse: Path) -> dict[str, Answer]:
    found = {}
    with duckdb.connect(str(readme_warehouse), read_only=True) as con:
        for query in QUERIES:
            try:
                relation = con.sql(query.sql)
                found[query.name] = Answer(relation.columns, relation.fetchall())
            except duckdb.Error as error:
                found[query.name] = Answer([], [], f"{type(error).__name__}: {error}")
    return found


def test_readme_shows_its_queries() -> None:
    assert len(QUERIES) >= MIN_QUERIES, (
        f"found {len(QUERIES)} ```sql blocks in README.md, expected at least {MIN_QUERIES}"
    )


@pytest.mark.parametrize("query", QUERIES, ids=[q.name for q in QUERIES])
def test_readme_query_answers(answers: dict[str, Answer], query: Query) -> None:
    answer = answers[query.name]
    assert not answer.error, f"README query {query.name} fails:\n{answer.error}\n{query.sql}"
    assert answer.rows, f"README query {query.name} returns no rows:\n{query.sql}"
    empty = answer.empty_columns()
    assert not empty, (
        f"README query {query.name}: column(s) {sorted(empty)} null on all "
        f"{len(answer.rows)} rows:\n{query.sql}"
    )


def safe_shell_snippets() -> list[str]:
    """The README's shell blocks that only read the warehouse: python -c on a read-only file."""
    return [
        block
        for block in readme_blocks("sh")
        if block.lstrip().startswith(".venv/bin/python -c") and "read_only=True" in block
    ]


def test_readme_python_one_liner_prints_rows(readme_warehouse: Path) -> None:
    snippets = safe_shell_snippets()
    assert snippets, "README.md shows no `.venv/bin/python -c` query to try"
    for snippet in snippets:
        assert README_DUCKDB in snippet, f"the snippet reads another file:\n{snippet}"
        completed = subprocess.run(
            ["bash", "-c", snippet.replace(README_DUCKDB, str(readme_warehouse))],
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert completed.returncode == 0, f"{snippet}\n{completed.stderr[-2000:]}"
        # DuckDB's .show() draws a box: a header, a type row, then one line per row.
        box_lines = [line for line in completed.stdout.splitlines() if line.startswith("│")]
        assert len(box_lines) >= 3, f"no rows printed by:\n{snippet}\n{completed.stdout}"
