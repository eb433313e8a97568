{#-
    dbt.safe_cast() on DuckDB: try_cast, which gives null for a value that does not convert.
    dbt's default is a plain cast, which fails the whole query on one bad value.
-#}
{% macro duckdb__safe_cast(field, type) %}
    try_cast({{ field }} as {{ type }})
{% endmacro %}
