-- One row per tenant, month and balance-sheet line at month end (accounts, retained and current-year earnings).
{#
    Current-year earnings: the income-statement movement from the start of the tenant's fiscal year to the
    month end, year-end close included, so 0 at the end of a closed fiscal year (a post-closing balance
    sheet). Retained earnings: the retained earnings account (fiscal years closed so far) plus the result of
    earlier fiscal years not closed yet. DECISIONLOG.md section 34.
#}
with

trial_balance as (
    select * from {{ ref('trial_balance_by_month') }}
),

tenant_settings as (
    select * from {{ ref('int_scoro__tenant_settings') }}
),

tenant_months as (
    select distinct
        tenant_id,
        period_month
    from trial_balance
),

-- Movement of the income-statement accounts of each month (credit-positive), year-end close included (it
-- empties them into retained earnings), 0 for months without income-statement postings.
monthly_profit as (
    select
        tenant_months.tenant_id,
        tenant_months.period_month,
        coalesce(sum(-trial_balance.period_net_base), 0) as net_profit_base
    from tenant_months
    left join trial_balance
        on
            tenant_months.tenant_id = trial_balance.tenant_id
            and tenant_months.period_month = trial_balance.period_month
            and trial_balance.account_classification = 'incomestatement'
    group by tenant_months.tenant_id, tenant_months.period_month
),

-- The tenant's fiscal year (seed scoro_tenant_settings, else var scoro_fiscal_year_start_month).
fiscal_years as (
    select
        monthly_profit.*,
        {{ accounting_fiscal_year_start('monthly_profit.period_month', 'tenant_settings.fiscal_year_start_month') }}
            as fiscal_year_start
    from monthly_profit
    inner join tenant_settings
        on monthly_profit.tenant_id = tenant_settings.tenant_id
),

-- The retained earnings account: the net result of the fiscal years closed so far (debit-positive).
retained_earnings_account as (
    select
        tenant_id,
        period_month,
        account_number,
        account_name,
        closing_balance_base
    from trial_balance
    where account_id = '{{ var("scoro_retained_earnings_account") }}'
),

earnings as (
    select
        tenant_id,
        period_month,
        sum(net_profit_base) over (
            partition by tenant_id
            order by period_month
            rows between unbounded preceding and current row
        ) as profit_to_date_base,
        sum(net_profit_base) over (
            partition by tenant_id, fiscal_year_start
            order by period_month
            rows between unbounded preceding and current row
        ) as current_year_earnings_base
    from fiscal_years
),

account_lines as (
    select
        tenant_id,
        period_month,
        'account' as line_type,
        account_id,
        account_number,
        account_name,
        account_type,
        account_parent_name,
        closing_balance_base as signed_balance_base
    from trial_balance
    where
        account_classification = 'balancesheet'
        and account_id <> '{{ var("scoro_retained_earnings_account") }}'
),

earnings_lines as (
    -- closed fiscal years (the retained earnings account) and earlier fiscal years not closed yet (months after
    -- the as-of date's fiscal year)
    select
        earnings.tenant_id,
        earnings.period_month,
        'retained_earnings' as line_type,
        cast('{{ var("scoro_retained_earnings_account") }}' as {{ dbt.type_string() }}) as account_id,
        cast(retained_earnings_account.account_number as {{ dbt.type_string() }}) as account_number,
        'Retained earnings (prior fiscal years)' as account_name,
        'Equity' as account_type,
        'Equity' as account_parent_name,
        coalesce(retained_earnings_account.closing_balance_base, 0)
        - (earnings.profit_to_date_base - earnings.current_year_earnings_base) as signed_balance_base
    from earnings
    left join retained_earnings_account
        on
            earnings.tenant_id = retained_earnings_account.tenant_id
            and earnings.period_month = retained_earnings_account.period_month

    union all

    select
        tenant_id,
        period_month,
        'current_year_earnings' as line_type,
        cast(null as {{ dbt.type_string() }}) as account_id,
        cast(null as {{ dbt.type_string() }}) as account_number,
        'Current year earnings' as account_name,
        'Equity' as account_type,
        'Equity' as account_parent_name,
        -current_year_earnings_base as signed_balance_base
    from earnings
),

all_lines as (
    select * from account_lines
    union all
    select * from earnings_lines
),

final as (
    select
        tenant_id,
        period_month,
        line_type,
        account_id,
        account_number,
        account_name,
        account_type,
        case account_type when 'Asset' then 1 when 'Liability' then 2 else 3 end as section_order,
        account_parent_name,
        {{ accounting_base_currency('all_lines.tenant_id') }} as base_currency,
        cast(
            case when account_type = 'Asset' then signed_balance_base else -signed_balance_base end
            as {{ accounting_base_money_type() }}
        ) as balance_base,
        cast(signed_balance_base as {{ accounting_base_money_type() }}) as signed_balance_base
    from all_lines
)

select * from final
