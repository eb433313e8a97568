-- One row per tenant, income-statement account and month with postings: amounts in base currency.
with

general_ledger as (
    select * from {{ ref('int_scoro__general_ledger') }}
),

income_statement_lines as (
    select * from general_ledger
    -- the year-end close moves the year's result to retained earnings; it is not a result of the month
    where account_classification = 'incomestatement' and document_type <> 'year_end_close'
),

monthly as (
    select
        tenant_id,
        cast({{ dbt.date_trunc('month', 'transaction_date') }} as date) as period_month,
        account_id,
        account_number,
        account_name,
        account_type,
        account_parent_name,
        sum(case when posting_type = 'Debit' then amount_base else 0 end) as debit_base,
        sum(case when posting_type = 'Credit' then amount_base else 0 end) as credit_base
    from income_statement_lines
    group by 1, 2, 3, 4, 5, 6, 7
),

final as (
    select
        tenant_id,
        period_month,
        account_id,
        account_number,
        account_name,
        account_type,
        case account_type
            when 'Income' then 1
            when 'Cost of Goods Sold' then 2
            when 'Expense' then 3
            when 'Other Income' then 4
            when 'Other Expense' then 5
        end as section_order,
        account_parent_name,
        {{ accounting_base_currency('monthly.tenant_id') }} as base_currency,
        cast(debit_base as {{ accounting_base_money_type() }}) as debit_base,
        cast(credit_base as {{ accounting_base_money_type() }}) as credit_base,
        cast(
            case
                when account_type in ('Income', 'Other Income') then credit_base - debit_base
                else debit_base - credit_base
            end
            as {{ accounting_base_money_type() }}
        ) as amount_base,
        cast(credit_base - debit_base as {{ accounting_base_money_type() }}) as net_profit_effect_base
    from monthly
)

select * from final
