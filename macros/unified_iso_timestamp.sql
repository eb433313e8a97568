{#-
    unified_iso_timestamp(expression): a UTC timestamp as the ISO-8601 string
    'YYYY-MM-DDTHH:MM:SSZ'; null stays null. The staging layer stores every timestamp in UTC.
-#}
{% macro unified_iso_timestamp(expression) -%}
    {{ return(adapter.dispatch('unified_iso_timestamp')(expression)) }}
{%- endmacro %}

{% macro default__unified_iso_timestamp(expression) -%}
    to_char({{ expression }}, 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
{%- endmacro %}

{% macro bigquery__unified_iso_timestamp(expression) -%}
    format_timestamp('%Y-%m-%dT%H:%M:%SZ', timestamp({{ expression }}))
{%- endmacro %}

{% macro duckdb__unified_iso_timestamp(expression) -%}
    strftime({{ expression }}, '%Y-%m-%dT%H:%M:%SZ')
{%- endmacro %}
