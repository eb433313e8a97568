-- One row per Scoro sales invoice that credits no other invoice (those are credit_notes), deleted ones kept as Void.
with

invoices as (
    select * from {{ ref('stg_scoro__invoices') }}
),

invoice_lines as (
    select * from {{ ref('stg_scoro__invoice_lines') }}
),

invoice_custom_fields as (
    select * from {{ ref('stg_scoro__invoice_custom_fields') }}
),

credited_invoices as (
    select * from {{ ref('stg_scoro__invoice_credited_invoices') }}
),

open_items as (
    select * from {{ ref('int_scoro__document_open_items') }}
),

means_of_contact as (
    select * from {{ ref('stg_scoro__contact_means_of_contact') }}
),

products as (
    select * from {{ ref('stg_scoro__products') }}
),

vat_codes as (
    select * from {{ ref('stg_scoro__vat_codes') }}
),

custom_fields as (
    select * from {{ ref('stg_scoro__custom_fields') }}
),

accounts as (
    select * from {{ ref('int_scoro__accounts') }}
),

status_map as (
    select * from {{ ref('scoro_status_map') }}
),

-- Invoices that are not credit invoices (a credit invoice names the invoices it credits), deleted ones included.
sales_invoices as (
    select invoices.*
    from invoices
    where
        not exists (
            select 1
            from credited_invoices
            where
                credited_invoices.tenant_id = invoices.tenant_id
                and credited_invoices.invoice_id = invoices.id
        )
),

-- Each line with its account, resolved as the general ledger posts it: the line's finance
-- account, else its product's sales account, else the default sales account.
line_accounts as (
    {{ accounting_line_accounts('invoice_lines', 'sales_finance_account_id', var('scoro_default_sales_account')) }}
),

lines as (
    select
        line_accounts.tenant_id,
        line_accounts.invoice_id,
        line_accounts.id as line_id,
        line_accounts.product_id,
        line_accounts.sum as line_sum,
        line_accounts.finance_object_id,
        line_accounts.finance_object_name,
        coalesce(line_accounts.product_name, line_accounts.catalogue_product_name) as product_name,
        coalesce(line_accounts.comment, line_accounts.product_name) as description,
        -- Scoro's quantity is amount × amount2 (e.g. 3 people × 5 days): sum = price × both × (1 − discount)
        line_accounts.amount * coalesce(line_accounts.amount2, 1) as quantity,
        line_accounts.price as unit_price,
        line_accounts.price * line_accounts.amount * coalesce(line_accounts.amount2, 1)
        - line_accounts.sum as discount_amount,
        line_accounts.tax_code,
        line_accounts.account_name,
        line_accounts.account_number
    from line_accounts
    -- internal cost lines are not part of the invoice (Scoro leaves them out of its sums); a deleted
    -- invoice keeps the lines last seen
    where not coalesce(line_accounts.is_internal, false)
),

line_items as (
    select
        tenant_id,
        invoice_id,
        count(*) as line_count,
        sum(line_sum) as lines_sum,
        sum(discount_amount) as lines_discount,
        {{ unified_list_agg(accounting_line_item(), 'line_id') }} as line_items
    from lines
    group by tenant_id, invoice_id
),

custom_field_lists as (
    {{ accounting_custom_field_lists('invoice_custom_fields', 'invoice_id') }}
),

-- The customer's first e-mail address (Scoro means of contact of type email).
billing_emails as (
    select
        tenant_id,
        contact_id,
        value as email_address
    from (
        select
            tenant_id,
            contact_id,
            value,
            row_number() over (partition by tenant_id, contact_id order by list_index) as email_rank
        from means_of_contact
        where lower(type) = 'email'
    ) as ranked
    where email_rank = 1
),

invoice_amounts as (
    select
        sales_invoices.*,
        coalesce(sales_invoices.company_id, sales_invoices.person_id) as customer_id,
        coalesce(sales_invoices.sum, 0) + coalesce(sales_invoices.vat_sum, 0) as total_amount,
        -- what settled the invoice, from the open-item allocation model: money received, prepayments
        -- set off, credit invoices allocated to it; a deleted invoice (not in it) owes nothing
        coalesce(open_items.paid_amount, 0) as paid_amount,
        coalesce(open_items.setoff_amount, 0) as setoff_amount,
        coalesce(open_items.credited_amount, 0) as credited_amount,
        case
            when sales_invoices.is_deleted then 0
            else coalesce(
                open_items.open_amount, coalesce(sales_invoices.sum, 0) + coalesce(sales_invoices.vat_sum, 0)
            )
        end as amount_due,
        open_items.settled_on as paid_date,
        coalesce(line_items.lines_discount, 0)
        + case when line_items.line_count > 0 then line_items.lines_sum - sales_invoices.sum else 0 end
            as total_discount,
        line_items.line_items,
        custom_field_lists.custom_fields
    from sales_invoices
    left join open_items
        on
            sales_invoices.tenant_id = open_items.tenant_id
            and sales_invoices.id = open_items.document_id
            and open_items.document_type = 'invoice'
    left join line_items
        on
            sales_invoices.tenant_id = line_items.tenant_id
            and sales_invoices.id = line_items.invoice_id
    left join custom_field_lists
        on
            sales_invoices.tenant_id = custom_field_lists.tenant_id
            and sales_invoices.id = custom_field_lists.invoice_id
),

final as (
    select
        cast(invoice_amounts.id as {{ dbt.type_string() }}) as id,
        -- a deleted invoice is void
        cast(
            case when invoice_amounts.is_deleted then 'Void' else coalesce(status_map.unified_status, 'Unknown') end
            as {{ dbt.type_string() }}
        ) as status,
        case
            when
                coalesce(
                    invoice_amounts.address_street,
                    invoice_amounts.address_city,
                    invoice_amounts.address_zip_code,
                    invoice_amounts.address_country_code
                ) is not null
                then {{ unified_list([unified_struct({
                    'city': 'invoice_amounts.address_city',
                    'country': 'invoice_amounts.address_country_code',
                    'id': 'cast(invoice_amounts.company_address_id as ' ~ dbt.type_string() ~ ')',
                    'line1': 'invoice_amounts.address_street',
                    'line2': 'case when invoice_amounts.address_municipality <> invoice_amounts.address_city'
                        ~ ' then invoice_amounts.address_municipality end',
                    'line3': 'cast(null as ' ~ dbt.type_string() ~ ')',
                    'postalCode': 'invoice_amounts.address_zip_code',
                    'state': 'invoice_amounts.address_county',
                })]) }}
            else {{ unified_empty_list() }}
        end as address,
        cast(invoice_amounts.setoff_amount as {{ accounting_money_type() }}) as deposit,
        {{ unified_iso_date('invoice_amounts.deadline') }} as "dueDate",
        cast(coalesce(invoice_amounts.vat_code, vat_codes.vat_code) as {{ dbt.type_string() }}) as "taxCode",
        cast({{ accounting_currency('invoice_amounts.currency') }} as {{ dbt.type_string() }}) as currency,
        {{ unified_iso_date('invoice_amounts.paid_date') }} as "paidDate",
        {{ unified_iso_date('invoice_amounts.shipment_date') }} as "shipDate",
        cast(invoice_amounts.sum as {{ accounting_money_type() }}) as "subTotal",
        cast(invoice_amounts.amount_due as {{ accounting_money_type() }}) as "amountDue",
        cast(billing_emails.email_address as {{ dbt.type_string() }}) as "billEmail",
        {{ unified_iso_timestamp('invoice_amounts.created_date') }} as "createdAt",
        {{ unified_iso_date('invoice_amounts.date') }} as "issueDate",
        {{ unified_empty_list('invoice_amounts.line_items') }} as "lineItems",
        case
            when invoice_amounts.deadline is not null and invoice_amounts.date is not null
                then {{ dbt.concat(["'Net '", 'cast(' ~ unified_days_between(
                    'invoice_amounts.date', 'invoice_amounts.deadline'
                ) ~ ' as ' ~ dbt.type_string() ~ ')']) }}
        end as "salesTerm",
        cast(invoice_amounts.tenant_id as {{ dbt.type_string() }}) as tenant_id,
        {{ unified_iso_timestamp('invoice_amounts.modified_date') }} as "updatedAt",
        cast(invoice_amounts.customer_id as {{ dbt.type_string() }}) as "customerId",
        cast(null as {{ dbt.type_string() }}) as "shipMethod",
        cast(null as {{ dbt.type_string() }}) as subsidiary,
        cast(invoice_amounts.description as {{ dbt.type_string() }}) as "invoiceMemo",
        cast(invoice_amounts.total_amount as {{ accounting_money_type() }}) as "totalAmount",
        {{ unified_empty_list('invoice_amounts.custom_fields') }} as "customFields",
        cast(null as {{ dbt.type_string() }}) as "customerMemo",
        cast(coalesce(invoice_amounts.company_name, invoice_amounts.person_name) as {{ dbt.type_string() }})
            as "customerName",
        cast(invoice_amounts.no_text as {{ dbt.type_string() }}) as "invoiceNumber",
        cast(invoice_amounts.payment_type as {{ dbt.type_string() }}) as "paymentMethod",
        cast(invoice_amounts.total_discount as {{ accounting_money_type() }}) as "totalDiscount",
        cast(null as {{ dbt.type_string() }}) as "trackingNumber",
        -- beyond the documented properties
        cast(invoice_amounts.vat_sum as {{ accounting_money_type() }}) as "totalTaxAmount",
        cast(invoice_amounts.paid_amount as {{ accounting_money_type() }}) as "paidAmount",
        cast(invoice_amounts.currency_rate as {{ accounting_money_type() }}) as "currencyRate",
        cast(invoice_amounts.project_id as {{ dbt.type_string() }}) as "projectId",
        cast(invoice_amounts.credited_amount as {{ accounting_money_type() }}) as "creditedAmount",
        cast(invoice_amounts.is_deleted as {{ dbt.type_boolean() }}) as hg_deleted
    from invoice_amounts
    left join vat_codes
        on
            invoice_amounts.tenant_id = vat_codes.tenant_id
            and invoice_amounts.vat_code_id = vat_codes.vat_code_id
    left join billing_emails
        on
            invoice_amounts.tenant_id = billing_emails.tenant_id
            and invoice_amounts.customer_id = billing_emails.contact_id
    left join status_map
        on
            status_map.scoro_module = 'invoices'
            and lower(status_map.scoro_status) = lower(trim(invoice_amounts.status))
            and status_map.is_partially_paid
            = (invoice_amounts.total_amount <> invoice_amounts.amount_due and invoice_amounts.amount_due > 0)
)

select * from final
