-- One row per debit or credit in the general ledger, with its account's running balance in base currency.
with

general_ledger as (
    select * from {{ ref('int_scoro__general_ledger') }}
),

final as (
    select
        general_ledger.tenant_id,
        general_ledger.journal_entry_id,
        general_ledger.line_index,
        general_ledger.transaction_date,
        general_ledger.document_type,
        general_ledger.transaction_type,
        -- ids are text in schema accounting, as in the unified objects (join without casts)
        cast(general_ledger.document_id as {{ dbt.type_string() }}) as document_id,
        general_ledger.document_number,
        general_ledger.account_id,
        general_ledger.posting_type,
        general_ledger.currency,
        general_ledger.amount,
        general_ledger.amount_base,
        general_ledger.base_currency,
        general_ledger.currency_rate,
        cast(general_ledger.customer_id as {{ dbt.type_string() }}) as customer_id,
        cast(general_ledger.vendor_id as {{ dbt.type_string() }}) as vendor_id,
        general_ledger.entity_name,
        cast(general_ledger.project_id as {{ dbt.type_string() }}) as project_id,
        cast(general_ledger.vat_code_id as {{ dbt.type_string() }}) as vat_code_id,
        cast(general_ledger.product_id as {{ dbt.type_string() }}) as product_id,
        general_ledger.description,
        cast(general_ledger.finance_object_id as {{ dbt.type_string() }}) as finance_object_id,
        cast(general_ledger.document_line_id as {{ dbt.type_string() }}) as document_line_id,
        general_ledger.signed_amount,
        general_ledger.signed_amount_base,
        general_ledger.account_name,
        general_ledger.account_number,
        general_ledger.account_classification,
        general_ledger.account_type,
        general_ledger.account_normal_balance,
        general_ledger.account_parent_id,
        general_ledger.account_parent_name,
        general_ledger.is_bank_account,
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
