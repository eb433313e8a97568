-- One row per ledger account (Scoro finance accounts, system accounts, bank accounts), deleted kept with hg_deleted.
with

accounts as (
    select * from {{ ref('int_scoro__accounts') }}
),

finance_accounts as (
    select * from {{ ref('stg_scoro__finance_accounts') }}
),

final as (
    select
        cast(accounts.account_id as {{ dbt.type_string() }}) as id,
        cast(accounts.name as {{ dbt.type_string() }}) as name,
        cast(accounts.classification as {{ dbt.type_string() }}) as type,
        cast(accounts.is_active and not accounts.is_deleted as {{ dbt.type_boolean() }}) as active,
        cast(accounts.account_type as {{ dbt.type_string() }}) as category,
        cast(accounts.currency as {{ dbt.type_string() }}) as currency,
        cast(accounts.parent_id as {{ dbt.type_string() }}) as "parentId",
        {{ unified_iso_timestamp('finance_accounts.created_date') }} as "createdAt",
        cast(accounts.tenant_id as {{ dbt.type_string() }}) as tenant_id,
        {{ unified_iso_timestamp('finance_accounts.modified_date') }} as "updatedAt",
        cast(accounts.is_deleted as {{ dbt.type_boolean() }}) as hg_deleted,
        cast(accounts.parent_name as {{ dbt.type_string() }}) as "parentName",
        cast(null as {{ dbt.type_string() }}) as subsidiary,
        cast(accounts.description as {{ dbt.type_string() }}) as description,
        cast(null as {{ dbt.type_string() }}) as "subsidiaryId",
        cast(accounts.account_number as {{ dbt.type_string() }}) as "accountNumber",
        cast(accounts.is_bank_account as {{ dbt.type_boolean() }}) as "isBankAccount",
        -- beyond the documented properties
        cast(accounts.normal_balance as {{ dbt.type_string() }}) as "normalBalance",
        cast(accounts.account_source as {{ dbt.type_string() }}) as source
    from accounts
    left join finance_accounts
        on
            accounts.tenant_id = finance_accounts.tenant_id
            and accounts.finance_account_id = finance_accounts.id
)

select * from final
