-- At the as-of date, Σ amount due of ar_ageing equals the Accounts Receivable balance of the general ledger, and
-- Σ amount due of ap_ageing the Accounts Payable balance (credit-positive), per tenant and currency, in document and
-- base currency. Returns the tenants and currencies that differ.
with

ar_ageing as (
    select * from {{ ref('ar_ageing') }}
),

ap_ageing as (
    select * from {{ ref('ap_ageing') }}
),

general_ledger as (
    select * from {{ ref('int_scoro__general_ledger') }}
),

aged as (
    select
        'receivable' as side,
        tenant_id,
        currency,
        amount_due,
        amount_due_base
    from ar_ageing
    union all
    select
        'payable' as side,
        tenant_id,
        currency,
        amount_due,
        amount_due_base
    from ap_ageing
),

aged_totals as (
    select
        side,
        tenant_id,
        currency,
        sum(amount_due) as amount_due,
        sum(amount_due_base) as amount_due_base
    from aged
    group by side, tenant_id, currency
),

ledger_totals as (
    select
        case
            when account_id = '{{ var("scoro_accounts_receivable_account") }}' then 'receivable' else 'payable'
        end as side,
        tenant_id,
        currency,
        sum(
            case
                when account_id = '{{ var("scoro_accounts_receivable_account") }}' then signed_amount
                else -signed_amount
            end
        ) as amount_due,
        sum(
            case
                when account_id = '{{ var("scoro_accounts_receivable_account") }}' then signed_amount_base
                else -signed_amount_base
            end
        ) as amount_due_base
    from general_ledger
    where
        account_id in (
            '{{ var("scoro_accounts_receivable_account") }}', '{{ var("scoro_accounts_payable_account") }}'
        )
        and transaction_date <= {{ accounting_as_of_date() }}
    group by
        case
            when account_id = '{{ var("scoro_accounts_receivable_account") }}' then 'receivable' else 'payable'
        end,
        tenant_id,
        currency
)

select
    coalesce(aged_totals.side, ledger_totals.side) as side,
    coalesce(aged_totals.tenant_id, ledger_totals.tenant_id) as tenant_id,
    coalesce(aged_totals.currency, ledger_totals.currency) as currency,
    aged_totals.amount_due as aged_amount_due,
    ledger_totals.amount_due as ledger_amount_due,
    aged_totals.amount_due_base as aged_amount_due_base,
    ledger_totals.amount_due_base as ledger_amount_due_base
from aged_totals
full outer join ledger_totals
    on
        aged_totals.side = ledger_totals.side
        and aged_totals.tenant_id = ledger_totals.tenant_id
        and aged_totals.currency = ledger_totals.currency
where
    coalesce(aged_totals.amount_due, 0) <> coalesce(ledger_totals.amount_due, 0)
    or coalesce(aged_totals.amount_due_base, 0) <> coalesce(ledger_totals.amount_due_base, 0)
