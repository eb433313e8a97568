-- customers.balance per customer equals its Accounts Receivable in the general ledger, and vendors.balance per vendor
-- its Accounts Payable (credit-positive), customers and vendors deleted in Scoro included: no open balance drops out
-- of the objects, and none is counted twice (so Σ customers.balance = AR and Σ vendors.balance = AP). Returns every
-- counterparty whose balances differ, or whose ledger balance has no row in the object.
with

customers as (
    select * from {{ ref('customers') }}
),

vendors as (
    select * from {{ ref('vendors') }}
),

general_ledger as (
    select * from {{ ref('int_scoro__general_ledger') }}
),

ledger_balances as (
    select
        case
            when account_id = '{{ var("scoro_accounts_receivable_account") }}' then 'customer' else 'vendor'
        end as counterparty_role,
        tenant_id,
        cast(
            case
                when account_id = '{{ var("scoro_accounts_receivable_account") }}' then customer_id else vendor_id
            end
            as {{ dbt.type_string() }}
        ) as counterparty_id,
        sum(
            case
                when account_id = '{{ var("scoro_accounts_receivable_account") }}' then signed_amount_base
                else -signed_amount_base
            end
        ) as ledger_balance
    from general_ledger
    where
        account_id in (
            '{{ var("scoro_accounts_receivable_account") }}', '{{ var("scoro_accounts_payable_account") }}'
        )
    group by 1, 2, 3
),

object_balances as (
    select
        'customer' as counterparty_role,
        tenant_id,
        id as counterparty_id,
        balance as object_balance,
        hg_deleted
    from customers
    union all
    select
        'vendor' as counterparty_role,
        tenant_id,
        id as counterparty_id,
        balance as object_balance,
        hg_deleted
    from vendors
),

compared as (
    select
        coalesce(ledger_balances.counterparty_role, object_balances.counterparty_role) as counterparty_role,
        coalesce(ledger_balances.tenant_id, object_balances.tenant_id) as tenant_id,
        coalesce(ledger_balances.counterparty_id, object_balances.counterparty_id) as counterparty_id,
        coalesce(ledger_balances.ledger_balance, 0) as ledger_balance,
        object_balances.object_balance,
        object_balances.hg_deleted
    from ledger_balances
    full outer join object_balances
        on
            ledger_balances.counterparty_role = object_balances.counterparty_role
            and ledger_balances.tenant_id = object_balances.tenant_id
            and ledger_balances.counterparty_id = object_balances.counterparty_id
)

select *
from compared
where
    (object_balance is null and ledger_balance <> 0)
    or object_balance <> ledger_balance
