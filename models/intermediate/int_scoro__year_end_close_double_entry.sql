-- One row per debit or credit of a year-end close: each income-statement account's net result of a closed fiscal
-- year moves to retained earnings, on the fiscal year's last day.
{#
    A tenant's fiscal year starts on the first of month fiscal_year_start_month
    (int_scoro__tenant_settings: seed scoro_tenant_settings, else var scoro_fiscal_year_start_month).
    A fiscal year is closed once its last day is on or before the as-of date (var scoro_as_of_date,
    default today). Its close is one journal entry, 'year_end_close-<last day>', dated that day:
    every income-statement account with a net balance over the fiscal year's rows of the other
    double-entry models is debited or credited back to zero, and the net result goes to var
    scoro_retained_earnings_account. Base-currency amounts; the entry is in the base currency (amount
    = amount_base). The profit and loss reports leave these entries out (DECISIONLOG.md section 34).
#}

with

accounts as (
    select * from {{ ref('int_scoro__accounts') }}
),

tenant_settings as (
    select * from {{ ref('int_scoro__tenant_settings') }}
),

{% for model_name in accounting_double_entry_models() %}
    {{ model_name }} as (
        select * from {{ ref(model_name) }}
    ),
{% endfor %}

ledger_rows as (
    {% for model_name in accounting_double_entry_models() %}
        select
            tenant_id,
            transaction_date,
            account_id,
            posting_type,
            amount_base
        from {{ model_name }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

income_statement_rows as (
    select
        ledger_rows.tenant_id,
        ledger_rows.account_id,
        {{ accounting_fiscal_year_start('ledger_rows.transaction_date', 'tenant_settings.fiscal_year_start_month') }}
            as fiscal_year_start,
        case
            when ledger_rows.posting_type = 'Debit' then ledger_rows.amount_base else -ledger_rows.amount_base
        end as signed_amount_base
    from ledger_rows
    inner join accounts
        on
            ledger_rows.tenant_id = accounts.tenant_id
            and ledger_rows.account_id = accounts.account_id
    inner join tenant_settings
        on ledger_rows.tenant_id = tenant_settings.tenant_id
    where accounts.classification = 'incomestatement'
),

-- Net of each income-statement account over each fiscal year that has ended by the as-of date.
closed_balances as (
    select
        tenant_id,
        fiscal_year_start,
        account_id,
        sum(signed_amount_base) as net_base
    from income_statement_rows
    where
        {{ dbt.dateadd('month', 12, 'fiscal_year_start') }}
        <= {{ dbt.dateadd('day', 1, accounting_as_of_date()) }}
    group by tenant_id, fiscal_year_start, account_id
    having sum(signed_amount_base) <> 0
),

legs as (
    select
        tenant_id,
        fiscal_year_start,
        1 as leg_rank,
        account_id,
        -net_base as signed_amount_base
    from closed_balances

    union all

    select
        tenant_id,
        fiscal_year_start,
        0 as leg_rank,
        '{{ var("scoro_retained_earnings_account") }}' as account_id,
        sum(net_base) as signed_amount_base
    from closed_balances
    group by tenant_id, fiscal_year_start
    having sum(net_base) <> 0
),

dated_legs as (
    select
        legs.*,
        cast({{ dbt.dateadd('day', -1, dbt.dateadd('month', 12, 'legs.fiscal_year_start')) }} as date)
            as fiscal_year_end
    from legs
),

final as (
    select
        cast(dated_legs.tenant_id as {{ dbt.type_string() }}) as tenant_id,
        cast(
            {{ dbt.concat(["'year_end_close-'", 'cast(dated_legs.fiscal_year_end as ' ~ dbt.type_string() ~ ')']) }}
            as {{ dbt.type_string() }}
        ) as journal_entry_id,
        cast(row_number() over (
            partition by dated_legs.tenant_id, dated_legs.fiscal_year_start
            order by dated_legs.leg_rank, dated_legs.account_id
        ) as {{ dbt.type_int() }}) as line_index,
        dated_legs.fiscal_year_end as transaction_date,
        'year_end_close' as document_type,
        'Year-end Close' as transaction_type,
        cast(null as {{ dbt.type_bigint() }}) as document_id,
        cast(
            {{ dbt.concat([
                "'FY'",
                'cast(cast(extract(year from dated_legs.fiscal_year_end) as ' ~ dbt.type_int() ~ ') as '
                    ~ dbt.type_string() ~ ')',
            ]) }}
            as {{ dbt.type_string() }}
        ) as document_number,
        cast(dated_legs.account_id as {{ dbt.type_string() }}) as account_id,
        case when dated_legs.signed_amount_base > 0 then 'Debit' else 'Credit' end as posting_type,
        cast(tenant_settings.base_currency as {{ dbt.type_string() }}) as currency,
        cast(abs(dated_legs.signed_amount_base) as {{ accounting_money_type() }}) as amount,
        cast(abs(dated_legs.signed_amount_base) as {{ accounting_base_money_type() }}) as amount_base,
        cast(tenant_settings.base_currency as {{ dbt.type_string() }}) as base_currency,
        cast(1 as {{ accounting_money_type() }}) as currency_rate,
        cast(null as {{ dbt.type_bigint() }}) as customer_id,
        cast(null as {{ dbt.type_bigint() }}) as vendor_id,
        cast(null as {{ dbt.type_string() }}) as entity_name,
        cast(null as {{ dbt.type_bigint() }}) as project_id,
        cast(null as {{ dbt.type_bigint() }}) as vat_code_id,
        cast(null as {{ dbt.type_bigint() }}) as product_id,
        cast(
            case
                when dated_legs.leg_rank = 0 then 'Year-end close: net result of the fiscal year'
                else 'Year-end close: account balance of the fiscal year to retained earnings'
            end
            as {{ dbt.type_string() }}
        ) as description,
        cast(null as {{ dbt.type_bigint() }}) as finance_object_id,
        cast(null as {{ dbt.type_bigint() }}) as document_line_id
    from dated_legs
    inner join tenant_settings
        on dated_legs.tenant_id = tenant_settings.tenant_id
)

select * from final
