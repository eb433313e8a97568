"""The same models on DuckDB, Postgres and Spark give the same figures, to the cent.

Compared, table by table (every row, normalised by compare.py, DuckDB as the reference):
- the headline table: the trial balance, P&L and balance sheet by month, AR and AP ageing, the
  general ledger, every unified accounting object (journal_entries' digest is the hash of the
  journal, order-independent) and the open-item models (allocations, open items), with row
  counts, tenants and every amount column summed exactly;
- then every other relation dbt built in schemas staging and accounting (staging and
  intermediate models, seeds, any report added later): each engine must hold the same set of
  relations, each with the same rows. A model that exists on DuckDB only, or differs anywhere,
  fails the run.
The tables are printed and written to logs/warehouses/ (comparison.txt, relations.txt).
"""

from __future__ import annotations

from pathlib import Path

from compare import Summary, built_row, cents, differences, raw_row, staged_row, summarise, table

REPORTS = [
    "trial_balance_by_month",
    "profit_and_loss_by_month",
    "balance_sheet_by_month",
    "ar_ageing",
    "ap_ageing",
    "general_ledger",
]
# every unified accounting object: each model of models/marts/accounting (the reports are in
# its reports/ folder), so an object added later is in the headline table without being listed
UNIFIED_OBJECTS = sorted(
    path.stem
    for path in (Path(__file__).resolve().parents[2] / "models/marts/accounting").glob("*.sql")
)
# the open-item and ledger models issue 9 added (schema staging), shown in the headline table
LEDGER_MODELS = [
    "int_scoro__general_ledger",
    "int_scoro__document_allocations",
    "int_scoro__document_open_items",
]
SCHEMA = "accounting"
INTERMEDIATE_SCHEMA = "staging"
BUILT_SCHEMAS = ("staging", "accounting")
RAW_SCHEMA = "scoro_raw"
REFERENCE = "duckdb"


def digest_problems(relation: str, by_engine: dict[str, Summary]) -> list[str]:
    """One problem per engine whose rows of `relation` differ from the reference engine's."""
    reference = by_engine[REFERENCE]
    return [
        f"{relation}: {name} differs from {REFERENCE} ({summary.rows} vs {reference.rows} rows)\n"
        + "\n".join(differences(reference, summary))
        for name, summary in by_engine.items()
        if summary.digest != reference.digest
    ]


def test_every_engine_builds_green(warehouses, report):
    rows = [
        [
            name,
            f"{warehouses.load_seconds[name]:.0f} s",
            f"{build.seconds:.0f} s",
            build.done_line,
        ]
        for name, build in warehouses.builds.items()
    ]
    text = table(["engine", "raw load", "dbt build", "dbt's summary"], rows)
    (warehouses.report_dir / "builds.txt").write_text(text + "\n")
    report(text)
    broken = {
        name: build.failures[:10] or [f"exit code {build.returncode}, see {build.log}"]
        for name, build in warehouses.builds.items()
        if not build.green
    }
    assert not broken, broken


def test_every_engine_holds_the_same_raw_mirror(warehouses, report):
    """The raw tables, row for row: Postgres loaded by dlt's postgres destination (merge, deletes,
    sweep), Spark reading the parquet export of the DuckDB mirror."""
    summaries: dict[str, dict[str, Summary]] = {}
    for name, engine in warehouses.engines.items():
        tables = [t for t in engine.tables(RAW_SCHEMA) if not t.startswith("_dlt")]
        summaries[name] = {
            t: summarise([raw_row(row) for row in engine.rows(RAW_SCHEMA, t)]) for t in tables
        }
    names = list(summaries)
    rows, problems = [], []
    for t in sorted(set().union(*summaries.values())):
        found = [summaries[name].get(t) for name in names]
        digests = {s.digest if s else None for s in found}
        rows.append(
            [t, *(str(s.rows) if s else "-" for s in found), "yes" if len(digests) == 1 else "NO"]
        )
        if len(digests) > 1:
            reference = summaries[REFERENCE].get(t) or summarise([])
            for name, s in zip(names, found, strict=True):
                if (s.digest if s else None) != reference.digest:
                    problems.append(
                        f"raw {t}: {name} differs from {REFERENCE}\n"
                        + "\n".join(differences(reference, s or summarise([])))
                    )
    totals = ["(all rows)", *(str(sum(s.rows for s in summaries[n].values())) for n in names), ""]
    tenants = ["(tenants)"]
    for engine in warehouses.engines.values():
        tenants.append(str(len({row["tenant_id"] for row in engine.rows(RAW_SCHEMA, "contacts")})))
    text = table(["raw table", *names, "equal"], [*rows, totals, [*tenants, ""]])
    (warehouses.report_dir / "raw_tables.txt").write_text(text + "\n")
    report(text)
    assert not problems, "\n".join(problems)


def test_reports_and_unified_objects_are_equal_on_every_engine(warehouses, report):
    engines = warehouses.engines
    summaries: dict[str, dict[str, Summary]] = {}
    headline = [(SCHEMA, r) for r in REPORTS + UNIFIED_OBJECTS]
    headline += [(INTERMEDIATE_SCHEMA, r) for r in LEDGER_MODELS]
    for schema, relation in headline:
        normalise = staged_row if schema == INTERMEDIATE_SCHEMA else built_row
        summaries[relation] = {
            name: summarise([normalise(row) for row in engine.rows(schema, relation)])
            for name, engine in engines.items()
        }

    names = list(engines)
    header = ["relation", "measure", *names, "equal"]
    rows: list[list[str]] = []
    problems: list[str] = []
    for relation, by_engine in summaries.items():

        def line(measure: str, values: list[str], relation: str = relation) -> None:
            rows.append([relation, measure, *values, "yes" if len(set(values)) == 1 else "NO"])

        line("rows", [str(s.rows) for s in by_engine.values()])
        line("tenants", [str(s.tenants) for s in by_engine.values()])
        paths = sorted(set().union(*(s.amounts for s in by_engine.values())))
        for path in paths:
            line(
                f"Σ {path}",
                [cents(s.amounts[path]) if path in s.amounts else "-" for s in by_engine.values()],
            )
            exact = {str(s.amounts.get(path)) for s in by_engine.values()}
            if len(exact) > 1:
                problems.append(f"{relation}: Σ {path} differs: {exact}")
        line("digest", [s.digest[:16] for s in by_engine.values()])
        problems += digest_problems(relation, by_engine)

    text = (
        f"Same models on {', '.join(names)} (as-of date {warehouses.as_of_date}); "
        "amounts summed exactly, shown to the cent; digest = SHA-256 of the normalised rows\n"
        + table(header, rows)
    )
    (warehouses.report_dir / "comparison.txt").write_text(text + "\n")
    report(text)
    assert not problems, "\n".join(problems)


def test_every_relation_dbt_built_is_equal_on_every_engine(warehouses, report):
    """Every model and seed of schemas staging and accounting, not only the headline ones: the
    same relations on each engine, row for row. A model added later (a report, an intermediate
    step) is compared without being listed anywhere. Staging rows are compared without the time
    each mirror was synced (compare.staged_row), as the raw tables are."""
    engines = warehouses.engines
    names = list(engines)
    rows: list[list[str]] = []
    problems: list[str] = []
    for schema in BUILT_SCHEMAS:
        held = {name: set(engine.tables(schema)) for name, engine in engines.items()}
        for name, relations in held.items():
            if relations != held[REFERENCE]:
                missing = sorted(held[REFERENCE] - relations)
                extra = sorted(relations - held[REFERENCE])
                problems.append(f"{schema}: {name} lacks {missing} and has {extra} more")
        for relation in sorted(held[REFERENCE]):
            normalise = staged_row if schema == INTERMEDIATE_SCHEMA else built_row
            by_engine = {
                name: summarise([normalise(row) for row in engine.rows(schema, relation)])
                for name, engine in engines.items()
                if relation in held[name]
            }
            reference = by_engine[REFERENCE]
            equal = all(s.digest == reference.digest for s in by_engine.values())
            equal = equal and len(by_engine) == len(engines)
            counts = [str(by_engine[n].rows) if n in by_engine else "-" for n in names]
            rows.append([f"{schema}.{relation}", *counts, "yes" if equal else "NO"])
            problems += digest_problems(f"{schema}.{relation}", by_engine)
    total = ["(all relations)"]
    total += [str(sum(int(r[1 + i]) for r in rows if r[1 + i] != "-")) for i in range(len(names))]
    text = table(["relation", *names, "equal"], [*rows, [*total, ""]])
    (warehouses.report_dir / "relations.txt").write_text(text + "\n")
    equal = sum(1 for r in rows if r[-1] == "yes")
    report(
        f"{equal} of {len(rows)} relations dbt built (schemas {', '.join(BUILT_SCHEMAS)}) "
        f"equal on {', '.join(names)}; {total[1]} rows on {REFERENCE} "
        f"(table: {warehouses.report_dir / 'relations.txt'})"
    )
    assert not problems, "\n".join(problems)
