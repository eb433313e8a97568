"""Read the built warehouse on each engine as plain Python rows.

Each engine gives its tables as lists of dicts, nested values as lists and dicts, amounts as
Decimal (never float: Postgres jsonb numbers are parsed as Decimal), so that compare.py can
normalise them the same way whatever engine they came from.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb


class DuckDBEngine:
    name = "duckdb"

    def __init__(self, path: Path) -> None:
        self._connection = duckdb.connect(str(path), read_only=True)

    def tables(self, schema: str) -> list[str]:
        rows = self._connection.execute(
            "select table_name from information_schema.tables where table_schema = ?", [schema]
        ).fetchall()
        return sorted(name for (name,) in rows)

    def rows(self, schema: str, table: str) -> list[dict[str, Any]]:
        cursor = self._connection.execute(f'select * from {schema}."{table}"')
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def close(self) -> None:
        self._connection.close()


class PostgresEngine:
    name = "postgres"

    def __init__(self, url: str) -> None:
        import psycopg2
        import psycopg2.extras

        self._connection = psycopg2.connect(url)
        self._connection.set_session(readonly=True, autocommit=True)
        psycopg2.extras.register_default_jsonb(
            self._connection, loads=lambda text: json.loads(text, parse_float=Decimal)
        )

    def tables(self, schema: str) -> list[str]:
        with self._connection.cursor() as cursor:
            cursor.execute(
                "select table_name from information_schema.tables where table_schema = %s",
                [schema],
            )
            return sorted(name for (name,) in cursor.fetchall())

    def rows(self, schema: str, table: str) -> list[dict[str, Any]]:
        with self._connection.cursor() as cursor:
            cursor.execute(f'select * from {schema}."{table}"')
            names = [column.name for column in cursor.description]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def close(self) -> None:
        self._connection.close()


class SparkEngine:
    """A local Spark session on the metastore the dbt spark target wrote (same settings as
    profiles.yml); dbt's own session has ended by then, so the embedded metastore is free."""

    name = "spark"

    def __init__(self, spark_dir: Path, settings: dict[str, str]) -> None:
        from pyspark.sql import SparkSession

        builder = SparkSession.builder.appName("scoro-warehouse-compare").enableHiveSupport()
        for key, value in settings.items():
            builder = builder.config(key, value)
        self._session = builder.getOrCreate()
        self._session.sparkContext.setLogLevel("ERROR")

    def tables(self, schema: str) -> list[str]:
        listed = self._session.sql(f"show tables in {schema}").collect()
        return sorted(row.tableName for row in listed if not row.isTemporary)

    def rows(self, schema: str, table: str) -> list[dict[str, Any]]:
        rows = self._session.table(f"{schema}.{table}").collect()
        return [row.asDict(recursive=True) for row in rows]

    def close(self) -> None:
        self._session.stop()
