-- One row per bill still open (or overpaid) at var scoro_as_of_date: amount due, days overdue, ageing bucket.
with

general_ledger as (
    select * from {{ ref('int_scoro__general_ledger') }}
),

documents as (
    select * from {{ ref('stg_scoro__bills') }}
),

-- The document's open item on Accounts Payable: its own entry and its payments, up to the as-of date.
open_items as (
    select
        tenant_id,
        document_id,
        max(case when document_type in ('bill') then document_type end) as document_type,
        max(document_number) as document_number,
        max(currency) as currency,
        max(vendor_id) as vendor_id,
        max(entity_name) as vendor_name,
        -sum(case when document_type in ('bill') then signed_amount else 0 end) as total_amount,
        sum(case when document_type = 'bill_payment' then signed_amount else 0 end) as paid_amount,
        -sum(signed_amount) as amount_due,
        -sum(
            case when document_type in ('bill') then signed_amount_base else 0 end
        ) as total_amount_base,
        -sum(signed_amount_base) as amount_due_base
    from general_ledger
    where
        account_id = '{{ var("scoro_accounts_payable_account") }}'
        and document_type in ('bill', 'bill_payment')
        and transaction_date <= {{ accounting_as_of_date() }}
    group by tenant_id, document_id
),

aged as (
    select
        open_items.*,
        cast(documents.date as date) as document_date,
        cast(coalesce(documents.deadline, documents.date) as date) as due_date,
        {{ dbt.datediff('cast(coalesce(documents.deadline, documents.date) as date)', accounting_as_of_date(), 'day') }}
            as days_overdue
    from open_items
    inner join documents
        on
            open_items.tenant_id = documents.tenant_id
            and open_items.document_id = documents.id
    where open_items.amount_due <> 0 or open_items.amount_due_base <> 0
),

final as (
    select
        tenant_id,
        {{ accounting_as_of_date() }} as as_of_date,
        document_type,
        document_id,
        document_number,
        vendor_id,
        vendor_name,
        document_date,
        due_date,
        currency,
        cast(total_amount as {{ accounting_money_type() }}) as total_amount,
        cast(paid_amount as {{ accounting_money_type() }}) as paid_amount,
        cast(amount_due as {{ accounting_money_type() }}) as amount_due,
        '{{ var("scoro_base_currency") | upper }}' as base_currency,
        cast(total_amount_base as {{ accounting_base_money_type() }}) as total_amount_base,
        cast(amount_due_base as {{ accounting_base_money_type() }}) as amount_due_base,
        cast(days_overdue as {{ dbt.type_int() }}) as days_overdue,
        days_overdue > 0 as is_overdue,
        {{ accounting_ageing_bucket('days_overdue') }} as ageing_bucket
    from aged
)

select * from final
