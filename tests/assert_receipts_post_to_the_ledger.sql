-- Live receipt rows that settle nothing: rows paying an invoice, bill or prepayment that is missing, deleted or in a
-- non-posting status (the open-item allocation model, and so the ledger, leaves them out). A warning: each row returned
-- is money in the bank the ledger does not show. Linear: one equality join on the allocation id.
{{ config(severity='warn') }}

with

receipt_groups as (
    select * from {{ ref('stg_scoro__receipts') }}
),

receipt_rows as (
    select * from {{ ref('stg_scoro__receipt_rows') }}
),

allocations as (
    select * from {{ ref('int_scoro__document_allocations') }}
),

live_rows as (
    select
        receipt_rows.tenant_id,
        receipt_rows.receipt_group_id,
        receipt_rows.receipt_id,
        coalesce(receipt_rows.sales_doc_type, receipt_groups.sales_doc_type) as sales_doc_type,
        receipt_rows.invoice_id,
        receipt_rows.prepayment_id,
        receipt_rows.sum,
        {{ dbt.concat([
            "'receipt_row-'", 'cast(receipt_rows.receipt_group_id as ' ~ dbt.type_string() ~ ')',
            "'-'", 'cast(receipt_rows.receipt_id as ' ~ dbt.type_string() ~ ')'
        ]) }} as allocation_id
    from receipt_rows
    inner join receipt_groups
        on
            receipt_rows.tenant_id = receipt_groups.tenant_id
            and receipt_rows.receipt_group_id = receipt_groups.id
    where not receipt_groups.is_deleted and not receipt_rows.is_deleted and coalesce(receipt_rows.sum, 0) <> 0
)

select live_rows.*
from live_rows
where not exists (
    select 1
    from allocations
    where
        allocations.tenant_id = live_rows.tenant_id
        and allocations.allocation_id = live_rows.allocation_id
)
