{#-
    accounting_month_numbers(): the body of a CTE with one column, month_number, 0..239 (twenty
    years of months), built from digits so that every warehouse can run it (no generate_series).
-#}
{% macro accounting_month_numbers() -%}
    select units.digit + 10 * tens.digit + 100 * hundreds.digit as month_number
    from (
        select 0 as digit union all select 1 union all select 2 union all select 3 union all select 4
        union all select 5 union all select 6 union all select 7 union all select 8 union all select 9
    ) as units
    cross join (
        select 0 as digit union all select 1 union all select 2 union all select 3 union all select 4
        union all select 5 union all select 6 union all select 7 union all select 8 union all select 9
    ) as tens
    cross join (select 0 as digit union all select 1 union all select 2) as hundreds
{%- endmacro %}

{#-
    accounting_period_month(date_expression, by_month=true): the month of date_expression as a date,
    or one fixed date for every row when by_month is false (given as a boolean or its text), so a
    comparison per month can run over all time instead.
-#}
{% macro accounting_period_month(date_expression, by_month=true) -%}
    {%- if (by_month | string | lower) in ('false', '0', 'none', '') -%}
        cast('1900-01-01' as date)
    {%- else -%}
        cast({{ dbt.date_trunc('month', date_expression) }} as date)
    {%- endif -%}
{%- endmacro %}
