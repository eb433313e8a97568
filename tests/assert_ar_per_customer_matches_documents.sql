-- Accounts Receivable per tenant, customer and currency = Σ (sum + vat_sum) of the booked invoices and credit
-- invoices − Σ the receipt rows paying them, computed from staging, not from the ledger; in base currency each
-- invoice counts to_base(total) − to_base(Σ its receipts). Returns the customers whose ledger balance disagrees.
with

invoices as (
    select * from {{ ref('stg_scoro__invoices') }}
),

receipt_groups as (
    select * from {{ ref('stg_scoro__receipts') }}
),

receipt_rows as (
    select * from {{ ref('stg_scoro__receipt_rows') }}
),

status_map as (
    select * from {{ ref('scoro_status_map') }}
),

general_ledger as (
    select * from {{ ref('int_scoro__general_ledger') }}
),

booked_invoices as (
    select
        tenant_id,
        id,
        coalesce(company_id, person_id) as customer_id,
        {{ accounting_currency('currency') }} as currency,
        {{ accounting_rate('currency', 'currency_rate') }} as currency_rate,
        coalesce(sum, 0) + coalesce(vat_sum, 0) as total
    from invoices
    where
        not is_deleted
        and not exists (
            select 1 from status_map
            where
                status_map.scoro_module = 'invoices'
                and lower(status_map.scoro_status) = lower(trim(invoices.status))
                and not status_map.posts_to_ledger
        )
),

received as (
    select
        receipt_rows.tenant_id,
        receipt_rows.invoice_id,
        sum(receipt_rows.sum) as received
    from receipt_rows
    inner join receipt_groups
        on
            receipt_rows.tenant_id = receipt_groups.tenant_id
            and receipt_rows.receipt_group_id = receipt_groups.id
    where
        not receipt_groups.is_deleted
        and receipt_rows.prepayment_id is null
        and coalesce(receipt_rows.sales_doc_type, receipt_groups.sales_doc_type) = 'invoices'
    group by receipt_rows.tenant_id, receipt_rows.invoice_id
),

open_invoices as (
    select
        booked_invoices.tenant_id,
        booked_invoices.customer_id,
        booked_invoices.currency,
        booked_invoices.total - coalesce(received.received, 0) as amount_due,
        {{ accounting_to_base('booked_invoices.total', 'booked_invoices.currency_rate') }}
        - {{ accounting_to_base('coalesce(received.received, 0)', 'booked_invoices.currency_rate') }} as amount_due_base
    from booked_invoices
    left join received
        on
            booked_invoices.tenant_id = received.tenant_id
            and booked_invoices.id = received.invoice_id
),

expected as (
    select
        tenant_id,
        customer_id,
        currency,
        sum(amount_due) as amount_due,
        sum(amount_due_base) as amount_due_base
    from open_invoices
    group by tenant_id, customer_id, currency
),

actual as (
    select
        tenant_id,
        customer_id,
        currency,
        sum(signed_amount) as amount_due,
        sum(signed_amount_base) as amount_due_base
    from general_ledger
    where account_id = '{{ var("scoro_accounts_receivable_account") }}'
    group by tenant_id, customer_id, currency
)

select
    coalesce(expected.tenant_id, actual.tenant_id) as tenant_id,
    coalesce(expected.customer_id, actual.customer_id) as customer_id,
    coalesce(expected.currency, actual.currency) as currency,
    expected.amount_due as expected_amount_due,
    actual.amount_due as ledger_amount_due,
    expected.amount_due_base as expected_amount_due_base,
    actual.amount_due_base as ledger_amount_due_base
from expected
full outer join actual
    on
        expected.tenant_id = actual.tenant_id
        and expected.customer_id is not distinct from actual.customer_id
        and expected.currency = actual.currency
where
    coalesce(expected.amount_due, 0) <> coalesce(actual.amount_due, 0)
    or coalesce(expected.amount_due_base, 0) <> coalesce(actual.amount_due_base, 0)
