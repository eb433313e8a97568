-- Every month of every tenant: assets = liabilities + equity (current-year earnings and retained earnings included),
-- and the equity lines (retained earnings, with the year-end closes, and current-year earnings) hold all the net
-- profit the ledger shows up to that month. Returns the months that break.
with

balance_sheet as (
    select * from {{ ref('balance_sheet_by_month') }}
),

general_ledger as (
    select * from {{ ref('int_scoro__general_ledger') }}
),

sides as (
    select
        tenant_id,
        period_month,
        sum(case when account_type = 'Asset' then balance_base else 0 end) as assets_base,
        sum(case when account_type in ('Liability', 'Equity') then balance_base else 0 end)
            as liabilities_and_equity_base,
        sum(case when line_type in ('retained_earnings', 'current_year_earnings') then balance_base else 0 end)
            as earnings_base
    from balance_sheet
    group by tenant_id, period_month
),

monthly_profit as (
    select
        tenant_id,
        cast({{ dbt.date_trunc('month', 'transaction_date') }} as date) as period_month,
        -sum(signed_amount_base) as net_profit_base
    from general_ledger
    where account_classification = 'incomestatement' and document_type <> 'year_end_close'
    group by tenant_id, {{ dbt.date_trunc('month', 'transaction_date') }}
),

profit_to_date as (
    select
        sides.tenant_id,
        sides.period_month,
        sum(monthly_profit.net_profit_base) as net_profit_base
    from sides
    inner join monthly_profit
        on
            sides.tenant_id = monthly_profit.tenant_id
            and sides.period_month >= monthly_profit.period_month
    group by sides.tenant_id, sides.period_month
)

select
    sides.*,
    profit_to_date.net_profit_base
from sides
left join profit_to_date
    on
        sides.tenant_id = profit_to_date.tenant_id
        and sides.period_month = profit_to_date.period_month
where
    sides.assets_base <> sides.liabilities_and_equity_base
    or sides.earnings_base <> coalesce(profit_to_date.net_profit_base, 0)
