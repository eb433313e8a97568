-- Reconciliation with Scoro's own figure: per tenant, customer and currency, Σ receivable_sum of the booked invoices
-- and credit invoices equals the Accounts Receivable balance of the ledger (total − receipts). A warning, not an
-- error: Scoro's receivable_sum also moves for things the ledger does not see (receipts deleted long ago, prepayments
-- offset on the invoice); each row returned is a difference to look at in Scoro.
{{ config(severity='warn') }}

with

invoices as (
    select * from {{ ref('stg_scoro__invoices') }}
),

status_map as (
    select * from {{ ref('scoro_status_map') }}
),

general_ledger as (
    select * from {{ ref('int_scoro__general_ledger') }}
),

scoro_receivable as (
    select
        tenant_id,
        coalesce(company_id, person_id) as customer_id,
        {{ accounting_currency('currency') }} as currency,
        sum(coalesce(receivable_sum, 0)) as receivable_sum
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
    group by tenant_id, coalesce(company_id, person_id), {{ accounting_currency('currency') }}
),

ledger_receivable as (
    select
        tenant_id,
        customer_id,
        currency,
        sum(signed_amount) as receivable_sum
    from general_ledger
    where account_id = '{{ var("scoro_accounts_receivable_account") }}'
    group by tenant_id, customer_id, currency
)

select
    coalesce(scoro_receivable.tenant_id, ledger_receivable.tenant_id) as tenant_id,
    coalesce(scoro_receivable.customer_id, ledger_receivable.customer_id) as customer_id,
    coalesce(scoro_receivable.currency, ledger_receivable.currency) as currency,
    scoro_receivable.receivable_sum as scoro_receivable_sum,
    ledger_receivable.receivable_sum as ledger_receivable
from scoro_receivable
full outer join ledger_receivable
    on
        scoro_receivable.tenant_id = ledger_receivable.tenant_id
        and scoro_receivable.customer_id is not distinct from ledger_receivable.customer_id
        and scoro_receivable.currency = ledger_receivable.currency
where coalesce(scoro_receivable.receivable_sum, 0) <> coalesce(ledger_receivable.receivable_sum, 0)
