{#-
    unified_iso_date(expression): a DATE (or timestamp) as the ISO-8601 date string 'YYYY-MM-DD';
    null stays null. The default uses to_char (Postgres, Snowflake, Redshift); DuckDB strftime.
-#}
{% macro unified_iso_date(expression) -%}
    {{ return(adapter.dispatch('unified_iso_date')(expression)) }}
{%- endmacro %}

{% macro default__unified_iso_date(expression) -%}
    to_char({{ expression }}, 'YYYY-MM-DD')
{%- endmacro %}

{% macro bigquery__unified_iso_date(expression) -%}
    format_date('%Y-%m-%d', date({{ expression }}))
{%- endmacro %}

{% macro duckdb__unified_iso_date(expression) -%}
    strftime({{ expression }}, '%Y-%m-%d')
{%- endmacro %}
