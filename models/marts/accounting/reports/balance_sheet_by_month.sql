-- One row per tenant, month and balance-sheet line at month end (accounts, retained and current-year earnings).
with

trial_balance as (
    select * from {{ ref('trial_balance_by_month') }}
),

tenant_months as (
    select distinct
        tenant_id,
        period_month
    from trial_balance
),

-- Net profit of each month (credit-positive), 0 for months without income-statement postings.
monthly_profit as (
    select
        tenant_months.tenant_id,
        tenant_months.period_month,
        cast(extract(month from tenant_months.period_month) as {{ dbt.type_int() }}) as calendar_month,
        coalesce(sum(-trial_balance.period_net_base), 0) as net_profit_base
    from tenant_months
    left join trial_balance
        on
            tenant_months.tenant_id = trial_balance.tenant_id
            and tenant_months.period_month = trial_balance.period_month
            and trial_balance.account_classification = 'incomestatement'
    group by tenant_months.tenant_id, tenant_months.period_month
),

fiscal_years as (
    select
        *,
        cast({{ dbt.dateadd(
            'month',
            '-mod(calendar_month - ' ~ var('scoro_fiscal_year_start_month', 1) ~ ' + 12, 12)',
            'period_month'
        ) }} as date) as fiscal_year_start
    from monthly_profit
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
    where account_classification = 'balancesheet'
),

earnings_lines as (
    select
        tenant_id,
        period_month,
        'retained_earnings' as line_type,
        cast(null as {{ dbt.type_string() }}) as account_id,
        cast(null as {{ dbt.type_string() }}) as account_number,
        'Retained earnings (prior fiscal years)' as account_name,
        'Equity' as account_type,
        'Equity' as account_parent_name,
        -(profit_to_date_base - current_year_earnings_base) as signed_balance_base
    from earnings

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
        '{{ var("scoro_base_currency") | upper }}' as base_currency,
        cast(
            case when account_type = 'Asset' then signed_balance_base else -signed_balance_base end
            as {{ accounting_base_money_type() }}
        ) as balance_base,
        cast(signed_balance_base as {{ accounting_base_money_type() }}) as signed_balance_base
    from all_lines
)

select * from final
