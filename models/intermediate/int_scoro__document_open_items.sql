-- One row per document that can hold an open item (invoice, credit invoice, bill, prepayment): settled and open.
with

documents as (
    select * from {{ ref('int_scoro__open_item_documents') }}
),

allocations as (
    select * from {{ ref('int_scoro__document_allocations') }}
),

settlements as (
    select
        tenant_id,
        document_type,
        document_id,
        sum(case when allocation_type = 'receipt_row' then amount else 0 end) as paid_amount,
        sum(case when allocation_type = 'prepayment_setoff' then amount else 0 end) as setoff_amount,
        sum(case when allocation_type = 'credit_allocation' then amount else 0 end) as credited_amount,
        sum(amount) as settled_amount,
        sum(amount_base) as settled_amount_base,
        max(allocation_date) as last_allocation_date
    from allocations
    where document_type in ('invoice', 'credit_invoice', 'bill', 'prepayment')
    group by tenant_id, document_type, document_id
),

final as (
    select
        documents.tenant_id,
        documents.document_type,
        documents.document_id,
        documents.document_number,
        documents.open_item_side,
        documents.open_item_account_id,
        documents.document_date,
        documents.due_date,
        documents.currency,
        documents.currency_rate,
        documents.customer_id,
        documents.vendor_id,
        documents.entity_name,
        documents.total_amount,
        documents.total_amount_base,
        documents.requested_amount,
        cast(coalesce(settlements.paid_amount, 0) as {{ accounting_money_type() }}) as paid_amount,
        cast(coalesce(settlements.setoff_amount, 0) as {{ accounting_money_type() }}) as setoff_amount,
        cast(coalesce(settlements.credited_amount, 0) as {{ accounting_money_type() }}) as credited_amount,
        cast(coalesce(settlements.settled_amount, 0) as {{ accounting_money_type() }}) as settled_amount,
        cast(documents.total_amount - coalesce(settlements.settled_amount, 0) as {{ accounting_money_type() }})
            as open_amount,
        cast(
            documents.total_amount_base - coalesce(settlements.settled_amount_base, 0)
            as {{ accounting_base_money_type() }}
        ) as open_amount_base,
        settlements.last_allocation_date,
        -- the date the open item closed: its last settlement, once nothing is open
        case
            when documents.total_amount - coalesce(settlements.settled_amount, 0) = 0
                then settlements.last_allocation_date
        end as settled_on
    from documents
    left join settlements
        on
            documents.tenant_id = settlements.tenant_id
            and documents.document_type = settlements.document_type
            and documents.document_id = settlements.document_id
)

select * from final
