"""sqlfluff stand-in for dbt's ``target``: the DuckDB target the models are linted as."""

type = "duckdb"
name = "dev"
schema = "main"
