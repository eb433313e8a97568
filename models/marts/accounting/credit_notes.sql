-- One row per Scoro credit invoice (an invoice naming the invoices it credits), amounts positive; deleted: Void.
with

invoices as (
    select * from {{ ref('stg_scoro__invoices') }}
),

invoice_lines as (
    select * from {{ ref('stg_scoro__invoice_lines') }}
),

credited_invoices as (
    select * from {{ ref('stg_scoro__invoice_credited_invoices') }}
),

allocations as (
    select * from {{ ref('int_scoro__document_allocations') }}
),

open_items as (
    select * from {{ ref('int_scoro__document_open_items') }}
),

receipt_accounts as (
    select * from {{ ref('stg_scoro__receipt_accounts') }}
),

products as (
    select * from {{ ref('stg_scoro__products') }}
),

vat_codes as (
    select * from {{ ref('stg_scoro__vat_codes') }}
),

accounts as (
    select * from {{ ref('int_scoro__accounts') }}
),

status_map as (
    select * from {{ ref('scoro_status_map') }}
),

-- Credit invoices, their sums turned positive (Scoro stores them negative).
credit_invoices as (
    select
        invoices.*,
        -coalesce(invoices.sum, 0) as sub_total,
        -coalesce(invoices.vat_sum, 0) as total_tax_amount,
        -(coalesce(invoices.sum, 0) + coalesce(invoices.vat_sum, 0)) as total_amount
    from invoices
    where
        exists (
            select 1
            from credited_invoices
            where
                credited_invoices.tenant_id = invoices.tenant_id
                and credited_invoices.invoice_id = invoices.id
        )
),

-- The invoices each credit invoice credits, as a list of their ids.
credited_lists as (
    select
        tenant_id,
        invoice_id,
        {{ unified_list_agg('cast(credited_invoice_id as ' ~ dbt.type_string() ~ ')', 'credited_invoice_id') }}
            as credited_invoice_ids
    from credited_invoices
    group by tenant_id, invoice_id
),

-- Each line with its account resolved as the general ledger posts it (line account, product's
-- sales account, default sales account) ...
line_accounts as (
    {{ accounting_line_accounts('invoice_lines', 'sales_finance_account_id', var('scoro_default_sales_account')) }}
),

-- ... and its amounts turned positive (a credit line carries a negative quantity and sum).
lines as (
    select
        line_accounts.tenant_id,
        line_accounts.invoice_id,
        line_accounts.id as line_id,
        line_accounts.product_id,
        line_accounts.finance_object_id,
        line_accounts.finance_object_name,
        coalesce(line_accounts.product_name, line_accounts.catalogue_product_name) as product_name,
        coalesce(line_accounts.comment, line_accounts.product_name) as description,
        -line_accounts.sum as line_sum,
        -(line_accounts.amount * coalesce(line_accounts.amount2, 1)) as quantity,
        line_accounts.price as unit_price,
        line_accounts.sum
        - line_accounts.price * line_accounts.amount * coalesce(line_accounts.amount2, 1) as discount_amount,
        -{{ accounting_vat_amount('coalesce(line_accounts.sum, 0)', 'coalesce(line_accounts.vat, 0)') }} as tax_amount,
        line_accounts.tax_code,
        line_accounts.account_name,
        line_accounts.account_number
    from line_accounts
    inner join credit_invoices
        on
            line_accounts.tenant_id = credit_invoices.tenant_id
            and line_accounts.invoice_id = credit_invoices.id
    -- internal cost lines are not part of the credit invoice (Scoro leaves them out of its sums)
    where not coalesce(line_accounts.is_internal, false)
),

-- The lines as invoices.lineItems has them (the same struct, plus taxAmount), amounts positive.
line_lists as (
    select
        tenant_id,
        invoice_id,
        count(*) as line_count,
        sum(line_sum) as lines_total,
        sum(discount_amount) as lines_discount,
        {{ unified_list_agg(accounting_line_item(tax_amount='tax_amount'), 'line_id') }} as line_items
    from lines
    group by tenant_id, invoice_id
),

-- What used the credit up, from the open-item allocation model: the invoices it was allocated to
-- and the money refunded to the customer (receipt rows on the credit invoice, negative), shown positive.
credit_uses as (
    select
        allocations.tenant_id,
        allocations.document_id as invoice_id,
        allocations.allocation_type,
        allocations.allocation_date,
        allocations.allocation_id,
        allocations.counter_document_id,
        allocations.receipt_group_id,
        allocations.receipt_row_id,
        -allocations.amount as used_amount,
        receipt_accounts.name as receipt_account_name
    from allocations
    inner join credit_invoices
        on
            allocations.tenant_id = credit_invoices.tenant_id
            and allocations.document_id = credit_invoices.id
    left join receipt_accounts
        on
            allocations.tenant_id = receipt_accounts.tenant_id
            and allocations.receipt_account_id = receipt_accounts.id
    where allocations.document_type = 'credit_invoice'
),

refund_lists as (
    select
        credit_uses.tenant_id,
        credit_uses.invoice_id,
        sum(case when credit_uses.allocation_type = 'receipt_row' then credit_uses.used_amount else 0 end)
            as refunded_amount,
        {{ unified_list_agg(unified_struct({
            'accountName': 'cast(credit_uses.receipt_account_name as ' ~ dbt.type_string() ~ ')',
            'amount': 'cast(credit_uses.used_amount as ' ~ accounting_money_type() ~ ')',
            'currency': 'cast(' ~ accounting_currency('credit_invoices.currency') ~ ' as ' ~ dbt.type_string() ~ ')',
            'paidOnDate': unified_iso_date('credit_uses.allocation_date'),
            'paymentId': "case when credit_uses.allocation_type = 'credit_allocation' then "
                ~ "cast(credit_uses.counter_document_id as " ~ dbt.type_string() ~ ") else "
                ~ dbt.concat([
                    'cast(credit_uses.receipt_group_id as ' ~ dbt.type_string() ~ ')',
                    "'-'",
                    'cast(credit_uses.receipt_row_id as ' ~ dbt.type_string() ~ ')',
                ]) ~ " end",
            'type': 'cast(case when credit_uses.allocation_type = ' ~ "'credit_allocation'"
                ~ " then 'Invoice' else 'Refund' end as " ~ dbt.type_string() ~ ')',
        }), 'credit_uses.allocation_date, credit_uses.allocation_id') }} as allocations
    from credit_uses
    inner join credit_invoices
        on
            credit_uses.tenant_id = credit_invoices.tenant_id
            and credit_uses.invoice_id = credit_invoices.id
    group by credit_uses.tenant_id, credit_uses.invoice_id
),

credit_amounts as (
    select
        credit_invoices.*,
        coalesce(refund_lists.refunded_amount, 0) as refunded_amount,
        -- the credit not yet used (allocated to invoices or refunded): −(its open item); none when deleted
        case
            when credit_invoices.is_deleted then 0
            else coalesce(-open_items.open_amount, credit_invoices.total_amount)
        end as remaining_credit,
        open_items.settled_on as allocated_on,
        coalesce(line_lists.lines_discount, 0)
        + case
            when line_lists.line_count > 0 then line_lists.lines_total - credit_invoices.sub_total else 0
        end as total_discount,
        line_lists.line_items,
        refund_lists.allocations,
        credited_lists.credited_invoice_ids
    from credit_invoices
    left join line_lists
        on
            credit_invoices.tenant_id = line_lists.tenant_id
            and credit_invoices.id = line_lists.invoice_id
    left join refund_lists
        on
            credit_invoices.tenant_id = refund_lists.tenant_id
            and credit_invoices.id = refund_lists.invoice_id
    left join credited_lists
        on
            credit_invoices.tenant_id = credited_lists.tenant_id
            and credit_invoices.id = credited_lists.invoice_id
    left join open_items
        on
            credit_invoices.tenant_id = open_items.tenant_id
            and credit_invoices.id = open_items.document_id
            and open_items.document_type = 'credit_invoice'
),

final as (
    select
        cast(credit_amounts.id as {{ dbt.type_string() }}) as id,
        cast(credit_amounts.description as {{ dbt.type_string() }}) as note,
        -- a deleted credit note is void
        cast(
            case when credit_amounts.is_deleted then 'Void' else coalesce(status_map.unified_status, 'Unknown') end
            as {{ dbt.type_string() }}
        ) as status,
        cast({{ accounting_currency('credit_amounts.currency') }} as {{ dbt.type_string() }}) as currency,
        cast(credit_amounts.sub_total as {{ accounting_money_type() }}) as "subTotal",
        {{ unified_iso_date('credit_amounts.date') }} as "issueDate",
        {{ unified_empty_list('credit_amounts.line_items') }} as "lineItems",
        {{ unified_struct({
            'id': 'cast(coalesce(credit_amounts.company_id, credit_amounts.person_id) as '
                ~ dbt.type_string() ~ ')',
            'customerName': 'coalesce(credit_amounts.company_name, credit_amounts.person_name)',
        }) }} as "customerRef",
        cast(credit_amounts.total_amount as {{ accounting_money_type() }}) as "totalAmount",
        -- an exact decimal, as invoices."currencyRate" and bills."currencyRate" (the schema says string)
        cast(credit_amounts.currency_rate as {{ accounting_money_type() }}) as "currencyRate",
        {{ unified_iso_timestamp('credit_amounts.modified_date') }} as "modifiedDate",
        cast(credit_amounts.total_discount as {{ accounting_money_type() }}) as "totalDiscount",
        cast(credit_amounts.total_tax_amount as {{ accounting_money_type() }}) as "totalTaxAmount",
        {{ unified_iso_date('credit_amounts.allocated_on') }} as "allocatedOnDate",
        cast(credit_amounts.remaining_credit as {{ accounting_money_type() }}) as "remainingCredit",
        cast(credit_amounts.no_text as {{ dbt.type_string() }}) as "creditNoteNumber",
        cast(credit_amounts.discount as {{ accounting_money_type() }}) as "discountPercentage",
        {{ unified_empty_list('credit_amounts.allocations') }} as "paymentAllocations",
        -- beyond the documented properties
        cast(credit_amounts.tenant_id as {{ dbt.type_string() }}) as tenant_id,
        {{ unified_empty_list('credit_amounts.credited_invoice_ids') }} as "creditedInvoiceIds",
        {{ unified_iso_timestamp('credit_amounts.created_date') }} as "createdAt",
        cast(credit_amounts.is_deleted as {{ dbt.type_boolean() }}) as hg_deleted
    from credit_amounts
    left join status_map
        on
            status_map.scoro_module = 'invoices'
            and lower(status_map.scoro_status) = lower(trim(credit_amounts.status))
            and status_map.is_partially_paid
            = (credit_amounts.remaining_credit <> credit_amounts.total_amount and credit_amounts.remaining_credit > 0)
)

select * from final
