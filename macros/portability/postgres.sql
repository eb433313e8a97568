{#-
    The nested unified values on Postgres: jsonb. A STRUCT is a JSON object (jsonb_build_object),
    a LIST a JSON array; amounts stay exact (jsonb numbers are numeric), and jsonb compares and
    groups like any value. The DuckDB implementations and their contracts are in the unified_*
    macro files beside the project's other macros; scoro_data_type() maps the contract types.
-#}

{% macro postgres__unified_struct(fields) -%}
    jsonb_build_object(
    {%- for name, expression in fields.items() %}
        '{{ name }}', {{ expression }}{{ "," if not loop.last }}
    {%- endfor %}
    )
{%- endmacro %}

{% macro postgres__unified_list(expressions) -%}
    jsonb_build_array({{ expressions | join(", ") }})
{%- endmacro %}

{% macro postgres__unified_list_agg(expression, order_by) -%}
    jsonb_agg({{ expression }} order by {{ order_by }})
{%- endmacro %}

{% macro postgres__unified_empty_list(expression=none, data_type=none) -%}
    {%- if expression is not none -%}
        coalesce({{ expression }}, cast('[]' as jsonb))
    {%- else -%}
        cast('[]' as jsonb)
    {%- endif -%}
{%- endmacro %}

{% macro postgres__unified_typed_null(data_type) -%}
    cast(null as {{ scoro_data_type(data_type) }})
{%- endmacro %}

{% macro postgres__unified_to_json(expression) -%}
    cast({{ expression }} as {{ dbt.type_string() }})
{%- endmacro %}

{#-
    accounting_round_division on Postgres: the integer method of DuckDB's implementation, on
    numeric (exact at any size), so that the three engines round every division the same way:
    both sides scaled by 10^9 to whole numbers (their exact scale), cents = round half away from
    zero of numerator × 100 / denominator, with div() (Postgres's numeric division would round
    the quotient at its 16th significant digit first). accounting_to_base divides through it.
-#}
{% macro postgres__accounting_round_division(numerator, denominator) -%}
    {%- set n = 'cast(' ~ numerator ~ ' as decimal(38, 9)) * 1000000000' -%}
    {%- set d = 'cast(' ~ denominator ~ ' as decimal(38, 9)) * 1000000000' -%}
    cast(
        sign({{ n }}) * sign({{ d }}) * div(abs({{ n }}) * 200 + abs({{ d }}), 2 * abs({{ d }}))
        * cast(0.01 as decimal(3, 2))
        as {{ accounting_base_money_type() }}
    )
{%- endmacro %}
