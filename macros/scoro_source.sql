{#-
    source('scoro', table_name) when that raw table exists; otherwise an empty relation with
    the columns and types the source declares (data_type in _scoro__sources.yml), so that a
    small account that never had, say, purchase orders still builds every staging model.
-#}
{% macro scoro_source(table_name) %}
    {%- set relation = source('scoro', table_name) -%}
    {%- if not execute or model.resource_type == 'unit_test' -%}
        {{ return(relation) }}
    {%- endif -%}
    {%- set existing = adapter.get_relation(
        database=relation.database, schema=relation.schema, identifier=relation.identifier
    ) -%}
    {%- if existing is not none -%}
        {{ return(relation) }}
    {%- endif -%}
    {%- set node = graph.sources.values()
        | selectattr('source_name', 'equalto', 'scoro')
        | selectattr('name', 'equalto', table_name)
        | first -%}
    {%- set columns = [] -%}
    {%- for column in node.columns.values() -%}
        {%- do columns.append(
            'cast(null as ' ~ scoro_raw_type(column.data_type) ~ ') as ' ~ column.name
        ) -%}
    {%- endfor -%}
    {{ log('scoro_source: ' ~ relation ~ ' does not exist: read as an empty table', info=true) }}
    {{ return('(select ' ~ columns | join(', ') ~ ' where 1 = 0) as missing_' ~ table_name) }}
{% endmacro %}

{#- The adapter's type for a raw column type declared in _scoro__sources.yml. -#}
{% macro scoro_raw_type(data_type) %}
    {#- portability: exempt (maps declared type names to the adapter's) -#}
    {%- set types = {
        'text': dbt.type_string(),
        'bigint': dbt.type_bigint(),
        'decimal(38, 9)': scoro_type_decimal(),
        'boolean': dbt.type_boolean(),
        'date': 'date',
        'timestamp with time zone': scoro_type_timestamp_tz(),
    } -%}
    {%- if data_type not in types -%}
        {{ exceptions.raise_compiler_error('scoro_raw_type: unknown raw type ' ~ data_type) }}
    {%- endif -%}
    {{ return(types[data_type]) }}
{% endmacro %}

{#- The type of a timestamp that keeps its time zone (the loader's _scoro_synced_at and dates). -#}
{% macro scoro_type_timestamp_tz() %}
    {{ return(adapter.dispatch('scoro_type_timestamp_tz', 'scoro_warehouse')()) }}
{% endmacro %}

{% macro default__scoro_type_timestamp_tz() %}
    {{ return('timestamp with time zone') }}
{% endmacro %}

{% macro bigquery__scoro_type_timestamp_tz() %}
    {{ return('timestamp') }}
{% endmacro %}

{% macro snowflake__scoro_type_timestamp_tz() %}
    {{ return('timestamp_tz') }}
{% endmacro %}

{#- on-run-start: the raw schema's relations listed into dbt's relation cache once, before the
    threads start. A schema dbt has not cached is listed on first use and its relations added one
    by one; a thread that looks meanwhile finds the schema cached with only part of them, so
    scoro_source took an existing raw table for a missing one (seen on Postgres with 4 threads:
    stg_scoro__bill_lines built empty). -#}
{% macro scoro_cache_raw_relations() %}
    {%- if execute -%}
        {%- set node = graph.sources.values() | selectattr('source_name', 'equalto', 'scoro') | first -%}
        {%- do adapter.get_relation(database=node.database, schema=node.schema, identifier=node.identifier) -%}
    {%- endif -%}
{% endmacro %}
