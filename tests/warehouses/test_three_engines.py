"""The same models on DuckDB, Postgres and Spark give the same figures, to the cent.

Compared, table by table (every row, normalised by compare.py, DuckDB as the reference):
the trial balance, P&L and balance sheet by month, AR and AP ageing, the general ledger and
every unified accounting object, journal_entries included (its digest is the hash of the
journal, order-independent). The comparison table is printed and written to
<run folder>/comparison.txt; any difference fails the test with the rows that differ.
"""

from __future__ import annotations

from compare import Summary, cents, differences, raw_row, summarise, table

REPORTS = [
    "trial_balance_by_month",
    "profit_and_loss_by_month",
    "balance_sheet_by_month",
    "ar_ageing",
    "ap_ageing",
    "general_ledger",
]
UNIFIED_OBJECTS = [
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
]
SCHEMA = "accounting"
RAW_SCHEMA = "scoro_raw"
REFERENCE = "duckdb"


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
    report(table(["engine", "raw load", "dbt build", "dbt's summary"], rows))
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
    (warehouses.workdir / "raw_tables.txt").write_text(text + "\n")
    report(text)
    assert not problems, "\n".join(problems)


def test_reports_and_unified_objects_are_equal_on_every_engine(warehouses, report):
    engines = warehouses.engines
    summaries: dict[str, dict[str, Summary]] = {}
    for relation in REPORTS + UNIFIED_OBJECTS:
        summaries[relation] = {
            name: summarise(engine.rows(SCHEMA, relation)) for name, engine in engines.items()
        }

    names = list(engines)
    header = ["relation", "measure", *names, "equal"]
    rows: list[list[str]] = []
    problems: list[str] = []
    for relation, by_engine in summaries.items():
        reference = by_engine[REFERENCE]

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
        for name, summary in by_engine.items():
            if summary.digest != reference.digest:
                problems.append(
                    f"{relation}: {name} differs from {REFERENCE} "
                    f"({summary.rows} vs {reference.rows} rows)\n"
                    + "\n".join(differences(reference, summary))
                )

    text = (
        f"Same models on {', '.join(names)} (as-of date {warehouses.as_of_date}); "
        "amounts summed exactly, shown to the cent; digest = SHA-256 of the normalised rows\n"
        + table(header, rows)
    )
    (warehouses.workdir / "comparison.txt").write_text(text + "\n")
    report(text)
    assert not problems, "\n".join(problems)
