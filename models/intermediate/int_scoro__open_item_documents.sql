-- One row per document that posts and can hold an open item: invoice, credit invoice, bill, prepayment.
with

invoices as (
    select * from {{ ref('stg_scoro__invoices') }}
),

credited_invoices as (
    select * from {{ ref('stg_scoro__invoice_credited_invoices') }}
),

bills as (
    select * from {{ ref('stg_scoro__bills') }}
),

prepayments as (
    select * from {{ ref('stg_scoro__prepayments') }}
),

status_map as (
    select * from {{ ref('scoro_status_map') }}
),

invoice_lines as (
    select * from {{ ref('stg_scoro__invoice_lines') }}
),

bill_lines as (
    select * from {{ ref('stg_scoro__bill_lines') }}
),

prepayment_lines as (
    select * from {{ ref('stg_scoro__prepayment_lines') }}
),

-- The document's finance object (cost centre / department): the one its lines carry, when they carry exactly one.
document_finance_objects as (
    select
        tenant_id,
        scoro_module,
        document_id,
        max(finance_object_id) as finance_object_id
    from (
        select
            tenant_id,
            'invoices' as scoro_module,
            invoice_id as document_id,
            finance_object_id,
            is_internal
        from invoice_lines
        where not is_deleted
        union all
        select
            tenant_id,
            'bills' as scoro_module,
            bill_id as document_id,
            finance_object_id,
            is_internal
        from bill_lines
        where not is_deleted
        union all
        select
            tenant_id,
            'prepayments' as scoro_module,
            prepayment_id as document_id,
            finance_object_id,
            is_internal
        from prepayment_lines
        where not is_deleted
    ) as lines
    where finance_object_id > 0 and not coalesce(is_internal, false)
    group by tenant_id, scoro_module, document_id
    having count(distinct finance_object_id) = 1
),

-- Statuses whose documents are not in the books (drafts, voided documents), per module.
non_posting_statuses as (
    select
        scoro_module,
        lower(scoro_status) as scoro_status
    from status_map
    where not posts_to_ledger
    group by scoro_module, lower(scoro_status)
),

credit_invoice_ids as (
    select
        tenant_id,
        invoice_id
    from credited_invoices
    group by tenant_id, invoice_id
),

sales_documents as (
    select
        invoices.tenant_id,
        case when credit_invoice_ids.invoice_id is null then 'invoice' else 'credit_invoice' end as document_type,
        'invoices' as scoro_module,
        invoices.id as document_id,
        invoices.no_text as document_number,
        invoices.date as document_date,
        invoices.deadline as due_date,
        invoices.currency,
        invoices.currency_rate,
        coalesce(invoices.sum, 0) + coalesce(invoices.vat_sum, 0) as total_amount,
        coalesce(invoices.sum, 0) as net_amount,
        coalesce(invoices.vat_sum, 0) as vat_amount,
        invoices.vat_code_id,
        coalesce(invoices.company_id, invoices.person_id) as customer_id,
        cast(null as {{ dbt.type_bigint() }}) as vendor_id,
        coalesce(invoices.company_name, invoices.person_name) as entity_name,
        invoices.project_id,
        invoices.status,
        invoices.is_deleted
    from invoices
    left join credit_invoice_ids
        on
            invoices.tenant_id = credit_invoice_ids.tenant_id
            and invoices.id = credit_invoice_ids.invoice_id
),

purchase_documents as (
    select
        tenant_id,
        'bill' as document_type,
        'bills' as scoro_module,
        id as document_id,
        no as document_number,
        date as document_date,
        deadline as due_date,
        currency,
        currency_rate,
        coalesce(sum, 0) + coalesce(vat_sum, 0) as total_amount,
        coalesce(sum, 0) as net_amount,
        coalesce(vat_sum, 0) as vat_amount,
        vat_code_id,
        cast(null as {{ dbt.type_bigint() }}) as customer_id,
        coalesce(company_id, person_id) as vendor_id,
        coalesce(company_name, person_name) as entity_name,
        project_id,
        status,
        is_deleted
    from bills
),

prepayment_documents as (
    select
        tenant_id,
        'prepayment' as document_type,
        'prepayments' as scoro_module,
        id as document_id,
        no_text as document_number,
        date as document_date,
        deadline as due_date,
        currency,
        currency_rate,
        coalesce(sum, 0) + coalesce(vat_sum, 0) as total_amount,
        coalesce(sum, 0) as net_amount,
        coalesce(vat_sum, 0) as vat_amount,
        vat_code_id,
        coalesce(company_id, person_id) as customer_id,
        cast(null as {{ dbt.type_bigint() }}) as vendor_id,
        coalesce(company_name, person_name) as entity_name,
        project_id,
        status,
        is_deleted
    from prepayments
),

unioned as (
    select * from sales_documents
    union all
    select * from purchase_documents
    union all
    select * from prepayment_documents
),

-- Currency and rate resolved once per document, before any division: they read the tenant's
-- base currency through a subquery, which Spark does not allow inside the division's lambda.
posting_documents as (
    select
        unioned.*,
        document_finance_objects.finance_object_id,
        {{ accounting_currency('unioned.currency', 'unioned.tenant_id') }} as document_currency,
        {{ accounting_rate('unioned.currency', 'unioned.currency_rate', 'unioned.tenant_id') }} as document_rate
    from unioned
    left join document_finance_objects
        on
            unioned.tenant_id = document_finance_objects.tenant_id
            and unioned.scoro_module = document_finance_objects.scoro_module
            and unioned.document_id = document_finance_objects.document_id
    where
        not unioned.is_deleted
        and not exists (
            select 1
            from non_posting_statuses
            where
                non_posting_statuses.scoro_module = unioned.scoro_module
                and non_posting_statuses.scoro_status = lower(trim(unioned.status))
        )
),

final as (
    select
        cast(tenant_id as {{ dbt.type_string() }}) as tenant_id,
        cast(document_type as {{ dbt.type_string() }}) as document_type,
        cast(document_id as {{ dbt.type_bigint() }}) as document_id,
        cast(document_number as {{ dbt.type_string() }}) as document_number,
        cast(document_date as date) as document_date,
        cast(coalesce(due_date, document_date) as date) as due_date,
        cast(document_currency as {{ dbt.type_string() }}) as currency,
        document_rate as currency_rate,
        -- what the document puts on AR/AP; a prepayment puts nothing there (money received on it is
        -- a liability), so its open item starts at 0 and requested_amount keeps its total
        {{ accounting_money(
            "case when document_type = 'prepayment' then 0 else total_amount end"
        ) }} as total_amount,
        {{ accounting_to_base(
            "case when document_type = 'prepayment' then 0 else total_amount end",
            'document_rate'
        ) }} as total_amount_base,
        {{ accounting_money('total_amount') }} as requested_amount,
        {{ accounting_money('net_amount') }} as net_amount,
        {{ accounting_money('vat_amount') }} as vat_amount,
        cast(vat_code_id as {{ dbt.type_bigint() }}) as vat_code_id,
        cast(
            case
                when document_type = 'bill' then 'payable'
                when document_type = 'prepayment' then 'prepayment'
                else 'receivable'
            end
            as {{ dbt.type_string() }}
        ) as open_item_side,
        cast(
            case
                when document_type = 'bill' then '{{ var("scoro_accounts_payable_account") }}'
                when document_type = 'prepayment' then '{{ var("scoro_customer_prepayments_account") }}'
                else '{{ var("scoro_accounts_receivable_account") }}'
            end
            as {{ dbt.type_string() }}
        ) as open_item_account_id,
        cast(customer_id as {{ dbt.type_bigint() }}) as customer_id,
        cast(vendor_id as {{ dbt.type_bigint() }}) as vendor_id,
        cast(entity_name as {{ dbt.type_string() }}) as entity_name,
        cast(project_id as {{ dbt.type_bigint() }}) as project_id,
        cast(status as {{ dbt.type_string() }}) as status,
        cast(finance_object_id as {{ dbt.type_bigint() }}) as finance_object_id
    from posting_documents
)

select * from final
