{#-
    The nested unified values on Spark: named_struct and array, typed as struct<...> and
    array<...> (scoro_data_type() maps the contract types). collect_list takes no ORDER BY, so
    unified_list_agg collects (key, value) pairs and sorts them by key before keeping the values;
    the key is a struct of the order_by expressions (one or several, comma-separated, ascending).
-#}

{% macro spark__unified_struct(fields) -%}
    named_struct(
    {%- for name, expression in fields.items() %}
        '{{ name }}', {{ expression }}{{ "," if not loop.last }}
    {%- endfor %}
    )
{%- endmacro %}

{% macro spark__unified_list(expressions) -%}
    array({{ expressions | join(", ") }})
{%- endmacro %}

{% macro spark__unified_list_agg(expression, order_by) -%}
    transform(
        array_sort(
            collect_list(named_struct('sort_key', struct({{ order_by }}), 'item', {{ expression }})),
            (left_item, right_item) -> case
                when left_item.sort_key < right_item.sort_key then -1
                when left_item.sort_key > right_item.sort_key then 1
                else 0
            end
        ),
        sorted_item -> sorted_item.item
    )
{%- endmacro %}

{% macro spark__unified_empty_list(expression=none, data_type=none) -%}
    {%- if expression is not none -%}
        coalesce({{ expression }}, array())
    {%- elif data_type is not none -%}
        cast(array() as {{ scoro_data_type(data_type) }})
    {%- else -%}
        array()
    {%- endif -%}
{%- endmacro %}

{% macro spark__unified_typed_null(data_type) -%}
    cast(null as {{ scoro_data_type(data_type) }})
{%- endmacro %}

{% macro spark__unified_to_json(expression) -%}
    to_json({{ expression }})
{%- endmacro %}

{% macro spark__unified_iso_date(expression) -%}
    date_format({{ expression }}, 'yyyy-MM-dd')
{%- endmacro %}

{#- The staging layer's timestamps are UTC and the spark target's session time zone is UTC. -#}
{% macro spark__unified_iso_timestamp(expression) -%}
    concat(date_format({{ expression }}, 'yyyy-MM-dd'), 'T', date_format({{ expression }}, 'HH:mm:ss'), 'Z')
{%- endmacro %}

{#- Spark's timestamp is an instant (shown in the session time zone, UTC on the spark target). -#}
{% macro spark__scoro_type_timestamp_tz() %}
    {{ return('timestamp') }}
{% endmacro %}

{#-
    accounting_to_base on Spark: the integer arithmetic of DuckDB's implementation on
    decimal(38, 0), which Spark computes exactly (its decimal division and wide multiplication
    keep only 6 decimals, which could round a conversion differently from DuckDB and Postgres).
    `div` is integer division (a bigint: cents up to 9.2e16 base units).
-#}
{% macro spark__accounting_to_base(amount, rate) -%}
    {%- set n = 'cast(cast(' ~ amount ~ ' as decimal(38, 9)) * 1000000000 as decimal(38, 0))' -%}
    {%- set d = 'cast(cast(' ~ rate ~ ' as decimal(38, 9)) * 1000000000 as decimal(38, 0))' -%}
    {%- if var('scoro_currency_rate_convention', 'divide') == 'multiply' -%}
        {%- set cents = '((abs(' ~ n ~ ') * ' ~ d ~ ' + 5000000000000000) div 10000000000000000)' -%}
    {%- else -%}
        {%- set cents = '((abs(' ~ n ~ ') * 200 + ' ~ d ~ ') div (2 * ' ~ d ~ '))' -%}
    {%- endif -%}
    cast(
        cast(case when {{ n }} < 0 then -{{ cents }} else {{ cents }} end as decimal(38, 0))
        * cast(0.01 as decimal(3, 2))
        as {{ accounting_base_money_type() }}
    )
{%- endmacro %}
