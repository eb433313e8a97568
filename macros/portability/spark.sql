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

{#- Null fields are kept (Spark drops them by default), as DuckDB and Postgres write them. -#}
{% macro spark__unified_to_json(expression) -%}
    to_json({{ expression }}, map('ignoreNullFields', 'false'))
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
    accounting_round_division on Spark: the integer method of DuckDB's implementation on
    decimal(38, 0), which Spark computes exactly (a decimal division would be rounded at its
    18th decimal first, and Spark's default mode keeps 6). Numerator and denominator are written
    once, bound in a lambda: nested conversions (accounting_to_base of a division) would
    otherwise repeat them at every level, and Spark's parse, analysis and optimisation time grows
    with the text (a model took minutes). `div` gives a bigint, which wraps silently past 9.2e18
    cents: a quotient of 10^16 or more (a base amount no company books) fails the query instead
    of giving a wrong number. The sign is applied with a case, not sign() (a double).
-#}
{% macro spark__accounting_round_division(numerator, denominator) -%}
    cast(element_at(transform(
        array(named_struct(
            'n', cast(cast({{ numerator }} as decimal(38, 9)) * 1000000000 as decimal(38, 0)),
            'd', cast(cast({{ denominator }} as decimal(38, 9)) * 1000000000 as decimal(38, 0))
        )),
        v -> case
            when v.d = 0 then null
            when abs(v.n) >= abs(v.d) * 10000000000000000
                then raise_error('accounting_round_division: a quotient of 10^16 or more')
            else cast(
                case when (v.n < 0) = (v.d < 0) then 1 else -1 end
                * ((abs(v.n) * 200 + abs(v.d)) div (2 * abs(v.d)))
                as decimal(38, 0)
            ) * cast(0.01 as decimal(3, 2))
        end
    ), 1) as {{ accounting_base_money_type() }})
{%- endmacro %}

{#-
    dbt's date macros on Spark, compact. dbt-spark's dateadd rebuilds the timestamp from unix
    seconds and repeats its argument five times, so a nested call (last_day of a dateadd, as the
    ledger's month ends are written) grows the SQL exponentially; Spark's parse and analysis time
    grows with it. Same results: dateadd gives a timestamp (as on DuckDB and Postgres, a date
    argument is midnight; the spark target's session time zone is UTC), month arithmetic clamps
    to the month's last day, a null stays null (dbt-spark's raises); datediff counts the
    boundaries crossed, as dbt's other implementations do.
-#}
{% macro spark__dateadd(datepart, interval, from_date_or_timestamp) -%}
    {%- set units = {
        'day': 'DAY', 'week': 'WEEK', 'month': 'MONTH', 'quarter': 'QUARTER', 'year': 'YEAR',
        'hour': 'HOUR', 'minute': 'MINUTE', 'second': 'SECOND',
        'millisecond': 'MILLISECOND', 'microsecond': 'MICROSECOND'
    } -%}
    {%- if datepart | lower not in units -%}
        {{ exceptions.raise_compiler_error("dateadd: no datepart '" ~ datepart ~ "' on Spark") }}
    {%- endif -%}
    timestampadd({{ units[datepart | lower] }}, cast({{ interval }} as bigint), {{ from_date_or_timestamp }})
{%- endmacro %}

{% macro spark__datediff(first_date, second_date, datepart) -%}
    {%- set part = datepart | lower -%}
    {%- if part == 'day' -%}
        datediff(cast({{ second_date }} as date), cast({{ first_date }} as date))
    {%- elif part == 'month' -%}
        ((year({{ second_date }}) - year({{ first_date }})) * 12 + month({{ second_date }}) - month({{ first_date }}))
    {%- elif part == 'quarter' -%}
        ((year({{ second_date }}) - year({{ first_date }})) * 4 + quarter({{ second_date }}) - quarter({{ first_date }}))
    {%- elif part == 'year' -%}
        (year({{ second_date }}) - year({{ first_date }}))
    {%- else -%}
        {{ return(spark.spark__datediff(first_date, second_date, datepart)) }}
    {%- endif -%}
{%- endmacro %}

{% macro spark__last_day(date, datepart) -%}
    {%- if datepart | lower == 'month' -%}
        last_day(cast({{ date }} as date))
    {%- else -%}
        cast({{ dbt.dateadd('day', '-1', dbt.dateadd(datepart, '1', dbt.date_trunc(datepart, date))) }} as date)
    {%- endif -%}
{%- endmacro %}

{#-
    accounting_id_list_exploded on Spark: the JSON list read as array<string> (numbers keep
    their text), or the bare value as a one-element array, exploded.
-#}
{% macro spark__accounting_id_list_exploded(lists, key_columns) -%}
    select
        {{ key_columns | join(', ') }},
        element
    from {{ lists }}
    lateral view explode(
        case
            when list_text like '[%' then from_json(list_text, 'array<string>')
            else array(list_text)
        end
    ) elements as element
{%- endmacro %}
