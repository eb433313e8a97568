"""sqlfluff stand-in for dbt's ``adapter.dispatch``: the project's DuckDB or default macro."""

from jinja2 import pass_context


@pass_context
def dispatch(context, macro_name: str, macro_namespace: str | None = None):
    for prefix in ("duckdb__", "default__"):
        macro = context.get(prefix + macro_name)
        if macro is not None:
            return macro
    raise KeyError(f"no duckdb__ or default__ implementation of {macro_name}")


class _Column:
    def __init__(self, name: str, data_type: str) -> None:
        self.name = name
        self.data_type = data_type


def get_columns_in_relation(relation: object) -> list[_Column]:
    """A few ledger columns: enough for the incremental markers to render as SQL (and the
    bookkeeping columns that tell an incremental build from an older table)."""
    return [
        _Column("tenant_id", "varchar"),
        _Column("journal_entry_id", "varchar"),
        _Column("document_type", "varchar"),
        _Column("document_id", "bigint"),
        _Column("source_synced_at", "timestamp"),
        _Column("source_fingerprint", "varchar"),
    ]


def quote(identifier: str) -> str:
    return f'"{identifier}"'
