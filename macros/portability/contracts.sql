{#-
    Model contracts on Postgres and Spark with the project's one set of YAML data_types.

    The YAML writes each contract type once, in DuckDB's syntax; dbt reads data_type in two places,
    which these adapter overrides of dbt's own macros route through scoro_data_type():
    - get_empty_schema_sql: the `select cast(null as <data_type>)` whose result types dbt compares
      with the model's (every adapter);
    - get_table_columns_and_constraints: the column list of Postgres's `create table` for a
      contracted model.
    DuckDB keeps dbt's macros untouched.
-#}

{% macro scoro_contract_columns(columns) -%}
    {%- set translated = {} -%}
    {%- for name, column in columns.items() -%}
        {%- set copy = dict(column) -%}
        {%- if copy.get('data_type') -%}
            {%- do copy.update({'data_type': scoro_data_type(copy['data_type'])}) -%}
        {%- endif -%}
        {%- do translated.update({name: copy}) -%}
    {%- endfor -%}
    {{ return(translated) }}
{%- endmacro %}

{% macro postgres__get_empty_schema_sql(columns) -%}
    {{ dbt.default__get_empty_schema_sql(scoro_contract_columns(columns)) }}
{%- endmacro %}

{% macro spark__get_empty_schema_sql(columns) -%}
    {{ dbt.default__get_empty_schema_sql(scoro_contract_columns(columns)) }}
{%- endmacro %}

{% macro postgres__get_table_columns_and_constraints() -%}
    {%- set raw_column_constraints = adapter.render_raw_columns_constraints(
        raw_columns=scoro_contract_columns(model['columns'])
    ) -%}
    {%- set raw_model_constraints = adapter.render_raw_model_constraints(raw_constraints=model['constraints']) -%}
    (
    {% for c in raw_column_constraints -%}
        {{ c }}{{ "," if not loop.last or raw_model_constraints }}
    {% endfor %}
    {% for c in raw_model_constraints -%}
        {{ c }}{{ "," if not loop.last }}
    {% endfor -%}
    )
{%- endmacro %}
