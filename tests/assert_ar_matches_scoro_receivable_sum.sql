-- Reconciliation with Scoro's own figure, at error severity: per tenant, customer and currency, Σ receivable_sum of the
-- posted invoices and credit invoices equals their open accounts receivable from the open-item allocation model
-- (total − money received − prepayments set off − credit allocated; a credit invoice: −unused credit), and the Accounts
-- Receivable balance of the general ledger. Returns the customers and currencies that differ.
with

invoices as (
    select * from {{ ref('stg_scoro__invoices') }}
),

open_items as (
    select * from {{ ref('int_scoro__document_open_items') }}
),

general_ledger as (
    select * from {{ ref('int_scoro__general_ledger') }}
),

scoro_receivable as (
    select
        open_items.tenant_id,
        open_items.customer_id,
        open_items.currency,
        sum(coalesce(invoices.receivable_sum, 0)) as receivable_sum,
        sum(open_items.open_amount) as open_amount
    from open_items
    inner join invoices
        on
            open_items.tenant_id = invoices.tenant_id
            and open_items.document_id = invoices.id
    where open_items.open_item_side = 'receivable'
    group by open_items.tenant_id, open_items.customer_id, open_items.currency
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
    scoro_receivable.open_amount as open_items_receivable,
    ledger_receivable.receivable_sum as ledger_receivable
from scoro_receivable
full outer join ledger_receivable
    on
        scoro_receivable.tenant_id = ledger_receivable.tenant_id
        and scoro_receivable.customer_id is not distinct from ledger_receivable.customer_id
        and scoro_receivable.currency = ledger_receivable.currency
where
    coalesce(scoro_receivable.receivable_sum, 0) <> coalesce(scoro_receivable.open_amount, 0)
    or coalesce(scoro_receivable.receivable_sum, 0) <> coalesce(ledger_receivable.receivable_sum, 0)
