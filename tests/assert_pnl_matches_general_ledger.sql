-- Net profit of each tenant and month from profit_and_loss_by_month equals credits minus debits on the income-statement
-- accounts of the general ledger (the year-end close left out), and its rows cover every such ledger row. Returns the
-- months that differ.
with

profit_and_loss as (
    select * from {{ ref('profit_and_loss_by_month') }}
),

general_ledger as (
    select * from {{ ref('int_scoro__general_ledger') }}
),

reported as (
    select
        tenant_id,
        period_month,
        sum(net_profit_effect_base) as net_profit_base,
        sum(debit_base) + sum(credit_base) as volume_base
    from profit_and_loss
    group by tenant_id, period_month
),

ledger as (
    select
        tenant_id,
        cast({{ dbt.date_trunc('month', 'transaction_date') }} as date) as period_month,
        -sum(signed_amount_base) as net_profit_base,
        sum(amount_base) as volume_base
    from general_ledger
    where account_classification = 'incomestatement' and document_type <> 'year_end_close'
    group by tenant_id, {{ dbt.date_trunc('month', 'transaction_date') }}
)

select
    coalesce(reported.tenant_id, ledger.tenant_id) as tenant_id,
    coalesce(reported.period_month, ledger.period_month) as period_month,
    reported.net_profit_base as reported_net_profit_base,
    ledger.net_profit_base as ledger_net_profit_base
from reported
full outer join ledger
    on
        reported.tenant_id = ledger.tenant_id
        and reported.period_month = ledger.period_month
where
    coalesce(reported.net_profit_base, 0) <> coalesce(ledger.net_profit_base, 0)
    or coalesce(reported.volume_base, 0) <> coalesce(ledger.volume_base, 0)
