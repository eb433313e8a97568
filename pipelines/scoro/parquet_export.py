"""The raw tables of a DuckDB mirror as parquet files, for engines that read files (Spark).

The sync keeps merging into DuckDB (its cursors, deletes and child-list fix-ups stay there);
this writes each raw table, as it stands after the sync, to ``<directory>/<table>/`` as one
parquet file, and lists the tables in ``<directory>/scoro_tables.txt``. Spark then reads them as
tables: ``dbt run-operation scoro_register_raw_parquet --args '{location: <directory>}'``
(see README "Outgrowing one file"). Types carry over exactly: decimal(38, 9) stays a parquet
decimal, timestamps with time zone are UTC instants, dates are dates.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb

RAW_DATASET = "scoro_raw"
MANIFEST = "scoro_tables.txt"  # Spark skips files whose name starts with _ or .


def export_parquet(duckdb_path: str | Path, directory: str | Path) -> dict[str, int]:
    """Write every raw table (dlt's own bookkeeping tables excepted) and return its row count."""
    duckdb_path, directory = Path(duckdb_path), Path(directory).resolve()
    if not duckdb_path.exists():
        raise FileNotFoundError(f"no DuckDB file at {duckdb_path}: run scoro-warehouse sync first")
    counts: dict[str, int] = {}
    with duckdb.connect(str(duckdb_path), read_only=True) as connection:
        tables = [
            name
            for (name,) in connection.execute(
                "select table_name from information_schema.tables "
                "where table_schema = ? and table_type = 'BASE TABLE' order by table_name",
                [RAW_DATASET],
            ).fetchall()
            if not name.startswith("_dlt")
        ]
        directory.mkdir(parents=True, exist_ok=True)
        for table in tables:
            target = directory / table
            shutil.rmtree(target, ignore_errors=True)
            target.mkdir()
            source = f'{RAW_DATASET}."{table}"'
            file = str(target / "part-0.parquet").replace("'", "''")
            connection.execute(f"copy (select * from {source}) to '{file}' (format parquet)")
            counts[table] = connection.execute(f"select count(*) from {source}").fetchone()[0]
    (directory / MANIFEST).write_text("".join(f"{table}\n" for table in counts))
    return counts


def summary(counts: dict[str, int], directory: str | Path) -> str:
    lines = [f"{sum(counts.values())} rows in {len(counts)} tables written to {directory}"]
    lines += [f"  {table}: {count}" for table, count in counts.items()]
    return "\n".join(lines)
