-- One row per debit or credit in the general ledger, with its account's running balance in base currency.
with

general_ledger as (
    select * from {{ ref('int_scoro__general_ledger') }}
),

final as (
    select
        general_ledger.*,
        cast({{ dbt.date_trunc('month', 'general_ledger.transaction_date') }} as date) as period_month,
        sum(general_ledger.signed_amount_base) over (
            partition by general_ledger.tenant_id, general_ledger.account_id
            order by general_ledger.transaction_date, general_ledger.journal_entry_id, general_ledger.line_index
            rows between unbounded preceding and current row
        ) as running_balance_base,
        case when general_ledger.account_normal_balance = 'Credit' then -1 else 1 end
        * sum(general_ledger.signed_amount_base) over (
            partition by general_ledger.tenant_id, general_ledger.account_id
            order by general_ledger.transaction_date, general_ledger.journal_entry_id, general_ledger.line_index
            rows between unbounded preceding and current row
        ) as running_balance_natural_base
    from general_ledger
)

select * from final
