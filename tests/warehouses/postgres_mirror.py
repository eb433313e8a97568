"""Reading the raw tables a sync wrote into a Postgres database (psycopg2, read-only)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

RAW = "scoro_raw"


def pg_rows(
    url: str, table: str, where: str = "true", params: tuple = (), order: str = "1"
) -> list[dict[str, Any]]:
    """Rows of scoro_raw.<table> ([] when the table does not exist), times in UTC."""
    import psycopg2

    with psycopg2.connect(url) as connection, connection.cursor() as cursor:
        cursor.execute("set time zone 'UTC'")
        cursor.execute(
            "select count(*) from information_schema.tables "
            "where table_schema = %s and table_name = %s",
            (RAW, table),
        )
        if not cursor.fetchone()[0]:
            return []
        cursor.execute(f'select * from {RAW}."{table}" where {where} order by {order}', params)
        names = [column.name for column in cursor.description]
        rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    connection.close()
    return rows


def reader(url: str) -> Callable[[str, str], list[dict[str, Any]]]:
    """read(table, tenant): one tenant's rows, for mirror.differences()."""
    return lambda table, tenant: pg_rows(url, table, "tenant_id = %s", (tenant,))


def pipeline_names(url: str) -> set[str]:
    return {row["pipeline_name"] for row in pg_rows(url, "_dlt_pipeline_state")}
