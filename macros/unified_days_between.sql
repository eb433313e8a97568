{#-
    unified_days_between(start_date, end_date): whole days from start_date to end_date (an integer),
    through dbt's cross-database datediff. The DuckDB implementation spells the same call out.
-#}
{% macro unified_days_between(start_date, end_date) -%}
    {{ return(adapter.dispatch('unified_days_between')(start_date, end_date)) }}
{%- endmacro %}

{% macro default__unified_days_between(start_date, end_date) -%}
    {{ return(dbt.datediff(start_date, end_date, 'day')) }}
{%- endmacro %}

{% macro duckdb__unified_days_between(start_date, end_date) -%}
    datediff('day', cast({{ start_date }} as date), cast({{ end_date }} as date))
{%- endmacro %}
