{#-
    A timestamp with time zone, as a timestamp without one, in UTC. A plain cast would use
    the session's time zone on DuckDB and Postgres, so the same data would give different
    values on different machines.
-#}
{% macro scoro_to_utc_timestamp(expression) %}
    {{ return(adapter.dispatch('scoro_to_utc_timestamp', 'scoro_warehouse')(expression)) }}
{% endmacro %}

{% macro default__scoro_to_utc_timestamp(expression) %}
    {{ return('cast(' ~ expression ~ ' as ' ~ dbt.type_timestamp() ~ ')') }}
{% endmacro %}

{% macro duckdb__scoro_to_utc_timestamp(expression) %}
    {{ return("timezone('UTC', " ~ expression ~ ")") }}
{% endmacro %}

{% macro postgres__scoro_to_utc_timestamp(expression) %}
    {{ return("timezone('UTC', " ~ expression ~ ")") }}
{% endmacro %}

{% macro snowflake__scoro_to_utc_timestamp(expression) %}
    {{ return("cast(convert_timezone('UTC', " ~ expression ~ ") as timestamp_ntz)") }}
{% endmacro %}
