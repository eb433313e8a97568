-- One row per Scoro receipt account (the company's bank and cash accounts), deleted kept with hg_deleted = true.
with

receipt_accounts as (
    select * from {{ ref('stg_scoro__receipt_accounts') }}
),

accounts as (
    select * from {{ ref('int_scoro__accounts') }}
),

-- The ledger account of each receipt account (named, numbered and given a currency by the
-- scoro_bank_accounts seed).
ledger_accounts as (
    select *
    from accounts
    where account_source = 'scoro_receipt_account'
),

final as (
    select
        cast(receipt_accounts.id as {{ dbt.type_string() }}) as id,
        cast(coalesce(ledger_accounts.name, receipt_accounts.name) as {{ dbt.type_string() }}) as name,
        cast(receipt_accounts.type as {{ dbt.type_string() }}) as type,
        cast(not receipt_accounts.is_deleted as {{ dbt.type_boolean() }}) as active,
        cast(
            coalesce(ledger_accounts.currency, '{{ var("scoro_base_currency") | upper }}') as {{ dbt.type_string() }}
        ) as currency,
        cast(null as {{ dbt.type_string() }}) as "createdAt",
        cast(null as {{ dbt.type_string() }}) as "swiftCode",
        cast(null as {{ dbt.type_string() }}) as "updatedAt",
        cast(receipt_accounts.is_deleted as {{ dbt.type_boolean() }}) as hg_deleted,
        cast(null as {{ dbt.type_string() }}) as "holderName",
        cast(receipt_accounts.name as {{ dbt.type_string() }}) as description,
        cast(ledger_accounts.account_number as {{ dbt.type_string() }}) as "accountNumber",
        -- beyond the documented properties
        cast(receipt_accounts.tenant_id as {{ dbt.type_string() }}) as tenant_id,
        cast(ledger_accounts.account_id as {{ dbt.type_string() }}) as "accountId"
    from receipt_accounts
    left join ledger_accounts
        on
            receipt_accounts.tenant_id = ledger_accounts.tenant_id
            and receipt_accounts.id = ledger_accounts.receipt_account_id
)

select * from final
