{#-
    dbt run-operation scoro_register_raw_parquet --args '{location: /absolute/folder}'

    Registers the raw tables written by `scoro-warehouse export-parquet --to <folder>` as tables
    of schema var scoro_raw_schema on Spark: one parquet table per folder listed in
    <folder>/scoro_tables.txt, at <location>/<table> (a local path, or the same files copied to the
    cluster's storage: s3://..., abfss://..., /Volumes/...). A table registered before is
    replaced (its files are not touched), so a new export with new columns is picked up.
-#}
{% macro scoro_register_raw_parquet(location) %}
    {#- portability: spark only -#}
    {%- if target.type != 'spark' -%}
        {{ exceptions.raise_compiler_error(
            'scoro_register_raw_parquet registers parquet files as Spark tables; the '
            ~ target.type ~ ' target loads its raw tables with scoro-warehouse sync'
        ) }}
    {%- endif -%}
    {%- set location = location | string | trim -%}
    {%- set location = location[:-1] if location.endswith('/') else location -%}
    {%- set schema = var('scoro_raw_schema') -%}
    {%- set manifest = run_query("select value from text.`" ~ location ~ "/scoro_tables.txt`") -%}
    {%- do run_query('create schema if not exists ' ~ schema) -%}
    {%- for row in manifest.rows if row[0] | trim -%}
        {%- set table = row[0] | trim -%}
        {%- do run_query('drop table if exists ' ~ schema ~ '.' ~ table) -%}
        {%- do run_query(
            'create table ' ~ schema ~ '.' ~ table ~ " using parquet location '" ~ location ~ '/' ~ table ~ "'"
        ) -%}
        {{ log('registered ' ~ schema ~ '.' ~ table ~ ' at ' ~ location ~ '/' ~ table, info=true) }}
    {%- endfor -%}
{% endmacro %}

{#-
    on-run-start hook: with var scoro_raw_parquet_location set on the spark target, every dbt
    invocation first (re)registers the exported raw tables, so one `dbt build` does it all.
-#}
{% macro scoro_register_raw_parquet_on_run_start() %}
    {%- set location = var('scoro_raw_parquet_location', none) -%}
    {%- if execute and target.type == 'spark' and location -%}
        {%- do scoro_register_raw_parquet(location) -%}
    {%- endif -%}
{% endmacro %}
