{#-
    Seeds on Spark.
    - column_types: seeds/_seeds.yml writes them once, in DuckDB's syntax like every type in the
      project (varchar); Spark has no bare varchar, so they go through scoro_data_type().
    - rows: dbt-spark's session method puts bound values into the SQL text unescaped (a seed value
      with an apostrophe breaks the insert) and turns numbers into floats; here every value is
      an escaped string literal cast to its column's type, so decimals stay exact.
-#}

{% macro _scoro_translate_seed_column_types(model) %}
    {%- set column_types = model['config'].get('column_types') or {} -%}
    {%- set translated = {} -%}
    {%- for name, data_type in column_types.items() -%}
        {%- do translated.update({name: scoro_data_type(data_type)}) -%}
    {%- endfor -%}
    {%- do model['config'].update({'column_types': translated}) -%}
{%- endmacro %}

{% macro spark__create_csv_table(model, agate_table) %}
    {%- do _scoro_translate_seed_column_types(model) -%}
    {{ return(dbt.spark__create_csv_table(model, agate_table)) }}
{%- endmacro %}

{% macro spark__load_csv_rows(model, agate_table) %}
    {%- do _scoro_translate_seed_column_types(model) -%}
    {%- set column_override = model['config'].get('column_types', {}) -%}
    {%- set types = [] -%}
    {%- for col_name in agate_table.column_names -%}
        {%- do types.append(column_override.get(col_name, adapter.convert_type(agate_table, loop.index0))) -%}
    {%- endfor -%}
    {%- set statements = [] -%}
    {%- for chunk in agate_table.rows | batch(get_batch_size()) -%}
        {%- set rows = [] -%}
        {%- for row in chunk -%}
            {%- set cells = [] -%}
            {%- for value in row -%}
                {%- if value is none -%}
                    {%- do cells.append('cast(null as ' ~ types[loop.index0] ~ ')') -%}
                {%- else -%}
                    {%- set text = value | string | replace('\\', '\\\\') | replace("'", "\\'") -%}
                    {%- do cells.append("cast('" ~ text ~ "' as " ~ types[loop.index0] ~ ')') -%}
                {%- endif -%}
            {%- endfor -%}
            {%- do rows.append('(' ~ cells | join(', ') ~ ')') -%}
        {%- endfor -%}
        {%- set sql = 'insert into ' ~ this.render() ~ ' values\n' ~ rows | join(',\n') -%}
        {%- do adapter.add_query(sql, abridge_sql_log=True) -%}
        {%- if loop.first -%}{%- do statements.append(sql) -%}{%- endif -%}
    {%- endfor -%}
    {{ return(statements[0] if statements else '') }}
{% endmacro %}
