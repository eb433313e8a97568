-- Live receipt rows that post nothing: rows of sales_doc_type 'expenses' (no expense documents in the ledger yet), and
-- rows paying an invoice, bill or prepayment that is missing, deleted or in a non-posting status. Also rows whose
-- receipt group is in another currency than the document they pay (the ledger books them in the document's currency).
-- A warning: each row returned is money in the bank the ledger does not show as the receipt says.
{{ config(severity='warn') }}

with

receipt_groups as (
    select * from {{ ref('stg_scoro__receipts') }}
),

receipt_rows as (
    select * from {{ ref('stg_scoro__receipt_rows') }}
),

general_ledger as (
    select * from {{ ref('int_scoro__general_ledger') }}
),

live_rows as (
    select
        receipt_rows.tenant_id,
        receipt_rows.receipt_group_id,
        receipt_rows.receipt_id,
        coalesce(receipt_rows.sales_doc_type, receipt_groups.sales_doc_type) as sales_doc_type,
        coalesce(receipt_rows.prepayment_id, receipt_rows.invoice_id) as document_id,
        {{ accounting_currency('receipt_groups.currency') }} as receipt_currency,
        receipt_rows.sum
    from receipt_rows
    inner join receipt_groups
        on
            receipt_rows.tenant_id = receipt_groups.tenant_id
            and receipt_rows.receipt_group_id = receipt_groups.id
    where not receipt_groups.is_deleted and coalesce(receipt_rows.sum, 0) <> 0
),

posted as (
    select
        tenant_id,
        journal_entry_id,
        max(currency) as currency
    from general_ledger
    where document_type in ('invoice_receipt', 'bill_payment', 'prepayment')
    group by tenant_id, journal_entry_id
)

select
    live_rows.*,
    posted.currency as ledger_currency,
    case when posted.journal_entry_id is null then 'not posted' else 'currency differs' end as issue
from live_rows
left join posted
    on
        live_rows.tenant_id = posted.tenant_id
        and posted.journal_entry_id in (
            {{ dbt.concat([
                "'invoice_receipt-'", 'cast(live_rows.receipt_group_id as ' ~ dbt.type_string() ~ ')',
                "'-'", 'cast(live_rows.receipt_id as ' ~ dbt.type_string() ~ ')'
            ]) }},
            {{ dbt.concat([
                "'bill_payment-'", 'cast(live_rows.receipt_group_id as ' ~ dbt.type_string() ~ ')',
                "'-'", 'cast(live_rows.receipt_id as ' ~ dbt.type_string() ~ ')'
            ]) }},
            {{ dbt.concat([
                "'prepayment-'", 'cast(live_rows.receipt_group_id as ' ~ dbt.type_string() ~ ')',
                "'-'", 'cast(live_rows.receipt_id as ' ~ dbt.type_string() ~ ')'
            ]) }}
        )
where posted.journal_entry_id is null or posted.currency <> live_rows.receipt_currency
