{#-
    Money helpers for the accounting models. Every amount stays an exact decimal end to end:
    no float ever touches a number that reaches the general ledger.

    - accounting_money_type():       document-currency amounts and rates, decimal(38, 9),
                                     the type the loader and staging keep Scoro amounts in.
    - accounting_base_money_type():  base-currency amounts, decimal(38, 2): always whole cents.
    - accounting_money(expr):        expr cast to the document-currency money type.
    - accounting_base_currency(tenant_id): the tenant's base currency: its row in seed
                                     scoro_tenant_settings, else var scoro_base_currency (the var
                                     alone when no tenant_id expression is given).
    - accounting_currency(code, tenant_id): the document currency, upper-cased; none → the
                                     tenant's base currency.
    - accounting_rate(code, rate, tenant_id): the rate a document converts at: 1 when the
                                     document is in the tenant's base currency or carries no usable
                                     rate (null, 0, < 0).
    - accounting_to_base(amt, rate): amt in base currency, rounded half away from zero to cents,
                                     by var scoro_currency_rate_convention (divide | multiply).
    - accounting_round_division(n, d): round(n / d, 2), half away from zero, exactly.
    - accounting_vat_amount(net, percent): round(net × percent / 100, 2), exactly.
-#}

{% macro accounting_money_type() -%}
    {{ return(adapter.dispatch('accounting_money_type')()) }}
{%- endmacro %}

{% macro default__accounting_money_type() -%}
    {{ return('decimal(38, 9)') }}
{%- endmacro %}

{% macro accounting_base_money_type() -%}
    {{ return(adapter.dispatch('accounting_base_money_type')()) }}
{%- endmacro %}

{% macro default__accounting_base_money_type() -%}
    {{ return('decimal(38, 2)') }}
{%- endmacro %}

{% macro accounting_money(expression) -%}
    cast({{ expression }} as {{ accounting_money_type() }})
{%- endmacro %}

{#-
    A correlated scalar subquery on the small settings seed (max() so that every warehouse accepts
    it), rather than a join in every model that converts money.
-#}
{% macro accounting_base_currency(tenant_id=none) -%}
    {%- if tenant_id is none -%}
        '{{ var("scoro_base_currency") | upper }}'
    {%- else -%}
        coalesce(
            (
                select max(nullif(upper(trim(tenant_settings_row.base_currency)), ''))
                from {{ ref('scoro_tenant_settings') }} as tenant_settings_row
                where tenant_settings_row.tenant_id = {{ tenant_id }}
            ),
            '{{ var("scoro_base_currency") | upper }}'
        )
    {%- endif -%}
{%- endmacro %}

{% macro accounting_currency(currency, tenant_id=none) -%}
    coalesce(nullif(upper(trim({{ currency }})), ''), {{ accounting_base_currency(tenant_id) }})
{%- endmacro %}

{% macro accounting_rate(currency, rate, tenant_id=none) -%}
    cast(
        case
            when {{ accounting_currency(currency, tenant_id) }} = {{ accounting_base_currency(tenant_id) }} then 1
            when {{ rate }} is null or {{ rate }} <= 0 then 1
            else {{ rate }}
        end
        as {{ accounting_money_type() }}
    )
{%- endmacro %}

{% macro accounting_to_base(amount, rate) -%}
    {{ return(adapter.dispatch('accounting_to_base')(amount, rate)) }}
{%- endmacro %}

{#- Warehouses whose decimal division is exact (Postgres, Snowflake, BigQuery, ...). -#}
{% macro default__accounting_to_base(amount, rate) -%}
    {%- if var('scoro_currency_rate_convention', 'divide') == 'multiply' -%}
        cast(round(cast({{ amount }} as {{ accounting_money_type() }})
            * cast({{ rate }} as {{ accounting_money_type() }}), 2) as {{ accounting_base_money_type() }})
    {%- else -%}
        {{ accounting_round_division(amount, rate) }}
    {%- endif -%}
{%- endmacro %}

{#-
    round(numerator / denominator, 2), half away from zero, as a base-money decimal: the one
    division of money the ledger does (currency conversion, pro-rata shares of a payment).
-#}
{% macro accounting_round_division(numerator, denominator) -%}
    {{ return(adapter.dispatch('accounting_round_division')(numerator, denominator)) }}
{%- endmacro %}

{% macro default__accounting_round_division(numerator, denominator) -%}
    cast(round(cast({{ numerator }} as {{ accounting_money_type() }})
        / cast({{ denominator }} as {{ accounting_money_type() }}), 2) as {{ accounting_base_money_type() }})
{%- endmacro %}

{#-
    DuckDB divides decimals in double precision, which can turn 0.005 into 0.00499…; so on DuckDB
    the division is done on 128-bit integers: both sides scaled by 10^9 (their exact scale),
    cents = round_half_away_from_zero(numerator × 100 / denominator).
-#}
{% macro duckdb__accounting_round_division(numerator, denominator) -%}
    {%- set n = 'cast(cast(' ~ numerator ~ ' as decimal(38, 9)) * 1000000000 as hugeint)' -%}
    {%- set d = 'cast(cast(' ~ denominator ~ ' as decimal(38, 9)) * 1000000000 as hugeint)' -%}
    cast(
        cast(sign({{ n }}) * sign({{ d }}) * ((abs({{ n }}) * 200 + abs({{ d }})) // (2 * abs({{ d }}))) as decimal(38, 0))
        * cast(0.01 as decimal(3, 2))
        as {{ accounting_base_money_type() }}
    )
{%- endmacro %}

{% macro accounting_vat_amount(net, percent) -%}
    cast(
        round(cast({{ net }} as {{ accounting_money_type() }})
            * cast({{ percent }} as decimal(18, 9)) * cast(0.01 as decimal(3, 2)), 2)
        as {{ accounting_money_type() }}
    )
{%- endmacro %}

{#- The date the ageing reports are measured at: var scoro_as_of_date, or today. -#}
{% macro accounting_as_of_date() -%}
    {%- set as_of = var('scoro_as_of_date', none) -%}
    {%- if as_of is none or as_of | string | trim | lower in ('', 'none', 'null') -%}
        current_date
    {%- else -%}
        cast('{{ as_of }}' as date)
    {%- endif -%}
{%- endmacro %}
