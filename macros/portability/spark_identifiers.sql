{#-
    Standard SQL quoted identifiers ("issueDate") on Spark.

    The models write identifiers that need quoting (the unified schema's camelCase names) the
    standard way, in double quotes, as Postgres, Snowflake and DuckDB read them. Spark reads
    double quotes as identifiers only in ANSI mode with spark.sql.ansi.doubleQuotedIdentifiers,
    and dbt-spark forces ANSI mode off. So on the spark target (and databricks, untested here)
    every statement dbt sends goes through scoro_spark_identifiers(), which turns each
    double-quoted identifier outside string literals and comments into a backquoted one
    ("a""b" becomes `a"b`), as Spark's own setting would. dbt sends SQL through two macros,
    overridden here for every adapter and changed only there: statement (models, tests, seeds,
    hooks, run_query) and get_column_schema_from_query (contract checks); both are otherwise
    dbt 1.11's own. Not covered: `dbt show`, which sends the compiled SQL itself.
-#}

{% macro scoro_spark_identifiers(sql) -%}
    {#- portability: spark only (rewrites SQL text on the spark target) -#}
    {%- if target.type not in ('spark', 'databricks') -%}
        {{ return(sql) }}
    {%- endif -%}
    {%- set pieces = modules.re.split(
        "('(?:[^'\\\\]|\\\\.)*'|--[^\\n]*|/\\*(?:.|\\n)*?\\*/|\"(?:[^\"]|\"\")*\")", sql | string
    ) -%}
    {%- set translated = [] -%}
    {%- for piece in pieces -%}
        {%- if piece.startswith('"') and piece.endswith('"') and piece | length > 1 -%}
            {%- do translated.append('`' ~ piece[1:-1].replace('""', '"').replace('`', '``') ~ '`') -%}
        {%- else -%}
            {%- do translated.append(piece) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(translated | join('')) }}
{%- endmacro %}

{% macro statement(name=None, fetch_result=False, auto_begin=True, language='sql') -%}
    {%- if execute -%}
        {%- set compiled_code = caller() -%}
        {%- if language == 'sql' -%}
            {%- set compiled_code = scoro_spark_identifiers(compiled_code) -%}
        {%- endif -%}
        {%- if name == 'main' -%}
            {{ log('Writing runtime {} for node "{}"'.format(language, model['unique_id'])) }}
            {{ write(compiled_code) }}
        {%- endif -%}
        {%- if language == 'sql' -%}
            {%- set res, table = adapter.execute(compiled_code, auto_begin=auto_begin, fetch=fetch_result) -%}
        {%- elif language == 'python' -%}
            {%- set res = submit_python_job(model, compiled_code) -%}
            {%- set table = None -%}
        {%- else -%}
            {%- do exceptions.raise_compiler_error("statement macro didn't get supported language") -%}
        {%- endif -%}
        {%- if name is not none -%}
            {{ store_result(name, response=res, agate_table=table) }}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}

{% macro get_column_schema_from_query(select_sql, select_sql_header=none) -%}
    {% set sql = get_empty_subquery_sql(select_sql, select_sql_header) %}
    {% set column_schema = adapter.get_column_schema_from_query(scoro_spark_identifiers(sql)) %}
    {{ return(column_schema) }}
{% endmacro %}
