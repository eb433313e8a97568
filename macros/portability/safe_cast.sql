{#-
    dbt.safe_cast(field, type) with the same answer on every engine: null for a value that does
    not convert, instead of failing the whole query (dbt's default is a plain cast).

    Engines disagree on what converts (DuckDB's try_cast reads '42.5' as 43 and '0x1F' as 31,
    Spark's as null; Postgres has no try_cast at all), so the two types the staging layer
    safe-casts are given one rule, written out on every engine:
    - integers: optional sign and 1 to 18 digits, surrounding blanks ignored ('42', ' -7 ');
      anything else (decimals, hex, digit groups, 19+ digits) is null;
    - boolean: true/t/yes/y/1 and false/f/no/n/0, any case, surrounding blanks ignored.
    Other types use the engine's own try_cast (Postgres: a plain cast). A list or mapping (a
    nested value in a unit test fixture) becomes the engine's nested literal: jsonb on Postgres,
    from_json on Spark.
-#}

{% macro _scoro_is_nested(field) -%}
    {{ return(field is not string and (field is mapping or field is sequence)) }}
{%- endmacro %}

{#-
    A literal (a unit test fixture's value: null, a whole number, true or false) is converted
    here, by the same rule: fixtures fill every column they do not give with null, and Spark's
    planning time grows with the text of those rows (a fixture is repeated at every reference).
-#}
{% macro _scoro_safe_cast(field, type) -%}
    {%- set text = 'trim(cast(' ~ field ~ ' as ' ~ dbt.type_string() ~ '))' -%}
    {%- set integer_type = type | lower | trim in ('bigint', 'integer', 'int', 'smallint') -%}
    {%- if field is none or (field is string and field | trim | lower == 'null') -%}
        cast(null as {{ type }})
    {%- elif integer_type and field is integer and field | abs < 1000000000000000000 -%}
        cast({{ field }} as {{ type }})
    {%- elif not integer_type and (field is sameas true or field is sameas false) -%}
        {{ 'true' if field else 'false' }}
    {%- elif integer_type -%}
        case when {{ scoro_matches_integer(text) }} then cast({{ text }} as {{ type }}) end
    {%- else -%}
        case
            when lower({{ text }}) in ('true', 't', 'yes', 'y', '1') then true
            when lower({{ text }}) in ('false', 'f', 'no', 'n', '0') then false
        end
    {%- endif -%}
{%- endmacro %}

{% macro _scoro_safe_cast_handles(type) -%}
    {{ return(type | lower | trim in ('bigint', 'integer', 'int', 'smallint', 'boolean')) }}
{%- endmacro %}

{#- scoro_matches_integer(text): true when text is an optional sign and 1 to 18 digits. -#}
{% macro scoro_matches_integer(text) -%}
    {{ return(adapter.dispatch('scoro_matches_integer')(text)) }}
{%- endmacro %}

{% macro duckdb__scoro_matches_integer(text) -%}
    regexp_full_match({{ text }}, '[+-]?[0-9]{1,18}')
{%- endmacro %}

{% macro postgres__scoro_matches_integer(text) -%}
    {{ text }} ~ '^[+-]?[0-9]{1,18}$'
{%- endmacro %}

{% macro spark__scoro_matches_integer(text) -%}
    {{ text }} rlike '^[+-]?[0-9]{1,18}$'
{%- endmacro %}

{% macro duckdb__safe_cast(field, type) -%}
    {%- if _scoro_safe_cast_handles(type) -%}
        {{ _scoro_safe_cast(field, type) }}
    {%- else -%}
        try_cast({{ field }} as {{ type }})
    {%- endif -%}
{%- endmacro %}

{% macro postgres__safe_cast(field, type) -%}
    {%- if _scoro_is_nested(field) -%}
        cast({{ dbt.string_literal(dbt.escape_single_quotes(field | tojson)) }} as {{ type }})
    {%- elif _scoro_safe_cast_handles(type) -%}
        {{ _scoro_safe_cast(field, type) }}
    {%- else -%}
        cast({{ field }} as {{ type }})
    {%- endif -%}
{%- endmacro %}

{% macro spark__safe_cast(field, type) -%}
    {%- if _scoro_is_nested(field) -%}
        from_json({{ dbt.string_literal(dbt.escape_single_quotes(field | tojson)) }}, '{{ type }}')
    {%- elif _scoro_safe_cast_handles(type) -%}
        {{ _scoro_safe_cast(field, type) }}
    {%- else -%}
        try_cast({{ field }} as {{ type }})
    {%- endif -%}
{%- endmacro %}
