-- One row per tenant, account and month since the account's first posting: opening, debits, credits, closing;
-- income-statement accounts restart each fiscal year (the year-end close is among the period's postings).
with

general_ledger as (
    select * from {{ ref('int_scoro__general_ledger') }}
),

accounts as (
    select * from {{ ref('int_scoro__accounts') }}
),

digits as (
    {% for digit in range(10) %}
        select {{ digit }} as digit
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

-- 0 .. 999 months: 83 years of history.
month_offsets as (
    select ones.digit + 10 * tens.digit + 100 * hundreds.digit as month_offset
    from digits as ones
    cross join digits as tens
    cross join digits as hundreds
),

monthly_activity as (
    select
        tenant_id,
        account_id,
        cast({{ dbt.date_trunc('month', 'transaction_date') }} as date) as period_month,
        sum(case when posting_type = 'Debit' then amount_base else 0 end) as period_debit_base,
        sum(case when posting_type = 'Credit' then amount_base else 0 end) as period_credit_base,
        sum(signed_amount_base) as period_net_base,
        sum(case when document_type = 'year_end_close' then signed_amount_base else 0 end)
            as period_year_end_close_base
    from general_ledger
    group by tenant_id, account_id, {{ dbt.date_trunc('month', 'transaction_date') }}
),

tenant_last_months as (
    select
        tenant_id,
        greatest(
            max(period_month),
            cast({{ dbt.date_trunc('month', accounting_as_of_date()) }} as date)
        ) as last_month
    from monthly_activity
    group by tenant_id
),

account_first_months as (
    select
        tenant_id,
        account_id,
        min(period_month) as first_month
    from monthly_activity
    group by tenant_id, account_id
),

account_months as (
    select
        account_first_months.tenant_id,
        account_first_months.account_id,
        cast({{ dbt.dateadd('month', 'month_offsets.month_offset', 'account_first_months.first_month') }} as date)
            as period_month
    from account_first_months
    inner join tenant_last_months
        on account_first_months.tenant_id = tenant_last_months.tenant_id
    cross join month_offsets
    where
        {{ dbt.dateadd('month', 'month_offsets.month_offset', 'account_first_months.first_month') }}
        <= tenant_last_months.last_month
),

balances as (
    select
        account_months.tenant_id,
        account_months.account_id,
        account_months.period_month,
        coalesce(monthly_activity.period_debit_base, 0) as period_debit_base,
        coalesce(monthly_activity.period_credit_base, 0) as period_credit_base,
        coalesce(monthly_activity.period_net_base, 0) as period_net_base,
        coalesce(monthly_activity.period_year_end_close_base, 0) as period_year_end_close_base,
        sum(coalesce(monthly_activity.period_net_base, 0)) over (
            partition by account_months.tenant_id, account_months.account_id
            order by account_months.period_month
            rows between unbounded preceding and current row
        ) as closing_balance_base
    from account_months
    left join monthly_activity
        on
            account_months.tenant_id = monthly_activity.tenant_id
            and account_months.account_id = monthly_activity.account_id
            and account_months.period_month = monthly_activity.period_month
),

final as (
    select
        balances.tenant_id,
        balances.period_month,
        balances.account_id,
        accounts.account_number,
        accounts.name as account_name,
        accounts.classification as account_classification,
        accounts.account_type,
        accounts.normal_balance as account_normal_balance,
        accounts.parent_name as account_parent_name,
        {{ accounting_base_currency('balances.tenant_id') }} as base_currency,
        cast(balances.closing_balance_base - balances.period_net_base as {{ accounting_base_money_type() }})
            as opening_balance_base,
        cast(balances.period_debit_base as {{ accounting_base_money_type() }}) as period_debit_base,
        cast(balances.period_credit_base as {{ accounting_base_money_type() }}) as period_credit_base,
        cast(balances.period_net_base as {{ accounting_base_money_type() }}) as period_net_base,
        cast(balances.closing_balance_base as {{ accounting_base_money_type() }}) as closing_balance_base,
        cast(
            case when balances.closing_balance_base > 0 then balances.closing_balance_base else 0 end
            as {{ accounting_base_money_type() }}
        ) as closing_debit_base,
        cast(
            case when balances.closing_balance_base < 0 then -balances.closing_balance_base else 0 end
            as {{ accounting_base_money_type() }}
        ) as closing_credit_base,
        -- the part of the month's postings that is the year-end close (0 in other months)
        cast(balances.period_year_end_close_base as {{ accounting_base_money_type() }}) as period_year_end_close_base
    from balances
    left join accounts
        on
            balances.tenant_id = accounts.tenant_id
            and balances.account_id = accounts.account_id
    where
        balances.closing_balance_base <> 0
        or balances.period_debit_base <> 0
        or balances.period_credit_base <> 0
        or balances.closing_balance_base - balances.period_net_base <> 0
)

select * from final
