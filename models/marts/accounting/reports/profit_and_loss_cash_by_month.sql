-- One row per tenant, income-statement account and month with cash-basis postings: amounts in base currency.
{#
    Cash basis: an invoice's, credit invoice's or bill's income and costs count when, and as far as,
    the document is settled: each settlement leg (money received or paid, a prepayment set off, a
    credit allocated) takes its pro-rata share of every line of the document, at the document's rate,
    in the leg's month (int_scoro__settlement_shares; cumulative cents, so a settled document has
    counted exactly its accrual amounts). What settlements post on income-statement accounts
    themselves (realised exchange differences, expense claims paid) counts as it posts. Unrealised
    revaluation and the year-end close are not cash events and are left out. Same columns as
    profit_and_loss_by_month. DECISIONLOG.md section 31.
#}

with

settlement_shares as (
    select * from {{ ref('int_scoro__settlement_shares') }}
),

general_ledger as (
    select * from {{ ref('int_scoro__general_ledger') }}
),

accounts as (
    select * from {{ ref('int_scoro__accounts') }}
),

-- Documents' income and costs, as their settlements pay them.
settled_document_lines as (
    select
        tenant_id,
        allocation_date as transaction_date,
        account_id,
        signed_share_base as signed_amount_base
    from settlement_shares
    where account_classification = 'incomestatement'
),

-- What settlements post on income-statement accounts (realised FX, expense claims); not the documents'
-- own entries (counted above as paid), the revaluation or the close.
settlement_entries as (
    select
        tenant_id,
        transaction_date,
        account_id,
        signed_amount_base
    from general_ledger
    where
        account_classification = 'incomestatement'
        and document_type not in ('invoice', 'credit_invoice', 'bill', 'fx_revaluation', 'year_end_close')
),

cash_basis_rows as (
    select * from settled_document_lines
    union all
    select * from settlement_entries
),

monthly as (
    select
        tenant_id,
        cast({{ dbt.date_trunc('month', 'transaction_date') }} as date) as period_month,
        account_id,
        sum(case when signed_amount_base > 0 then signed_amount_base else 0 end) as debit_base,
        sum(case when signed_amount_base < 0 then -signed_amount_base else 0 end) as credit_base
    from cash_basis_rows
    group by tenant_id, {{ dbt.date_trunc('month', 'transaction_date') }}, account_id
),

final as (
    select
        monthly.tenant_id,
        monthly.period_month,
        monthly.account_id,
        accounts.account_number,
        accounts.name as account_name,
        accounts.account_type,
        case accounts.account_type
            when 'Income' then 1
            when 'Cost of Goods Sold' then 2
            when 'Expense' then 3
            when 'Other Income' then 4
            when 'Other Expense' then 5
        end as section_order,
        accounts.parent_name as account_parent_name,
        {{ accounting_base_currency('monthly.tenant_id') }} as base_currency,
        cast(monthly.debit_base as {{ accounting_base_money_type() }}) as debit_base,
        cast(monthly.credit_base as {{ accounting_base_money_type() }}) as credit_base,
        cast(
            case
                when accounts.account_type in ('Income', 'Other Income') then monthly.credit_base - monthly.debit_base
                else monthly.debit_base - monthly.credit_base
            end
            as {{ accounting_base_money_type() }}
        ) as amount_base,
        cast(monthly.credit_base - monthly.debit_base as {{ accounting_base_money_type() }}) as net_profit_effect_base
    from monthly
    left join accounts
        on
            monthly.tenant_id = accounts.tenant_id
            and monthly.account_id = accounts.account_id
)

select * from final
