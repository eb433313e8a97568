-- One row per account the general ledger can post to, per tenant: finance, system and bank accounts.
with

finance_accounts as (
    select * from {{ ref('stg_scoro__finance_accounts') }}
),

receipt_accounts as (
    select * from {{ ref('stg_scoro__receipt_accounts') }}
),

invoices as (
    select * from {{ ref('stg_scoro__invoices') }}
),

bills as (
    select * from {{ ref('stg_scoro__bills') }}
),

receipts as (
    select * from {{ ref('stg_scoro__receipts') }}
),

prepayments as (
    select * from {{ ref('stg_scoro__prepayments') }}
),

system_accounts as (
    select * from {{ ref('scoro_system_accounts') }}
),

classification_overrides as (
    select * from {{ ref('scoro_account_classification') }}
),

bank_account_overrides as (
    select * from {{ ref('scoro_bank_accounts') }}
),

tenants as (
    select tenant_id from finance_accounts
    union
    select tenant_id from receipt_accounts
    union
    select tenant_id from invoices
    union
    select tenant_id from bills
    union
    select tenant_id from receipts
    union
    select tenant_id from prepayments
),

-- The override that applies to each finance account: this tenant's before all tenants',
-- a match on the finance account id before a match on its symbol.
ranked_overrides as (
    select
        finance_accounts.tenant_id,
        finance_accounts.id as finance_account_id,
        -- one spelling (incomestatement | balancesheet); the seed's older income_statement /
        -- balance_sheet are still read (deprecated, DECISIONLOG section 16 "Vocabulary")
        lower(replace(trim(classification_overrides.classification), '_', '')) as classification,
        classification_overrides.account_type,
        row_number() over (
            partition by finance_accounts.tenant_id, finance_accounts.id
            order by
                case when classification_overrides.tenant_id is null then 1 else 0 end,
                case when classification_overrides.finance_account_id is null then 1 else 0 end
        ) as override_rank
    from finance_accounts
    inner join classification_overrides
        on
            (
                classification_overrides.tenant_id is null
                or finance_accounts.tenant_id = classification_overrides.tenant_id
            )
            and (
                cast(finance_accounts.id as {{ dbt.type_string() }})
                = trim(cast(classification_overrides.finance_account_id as {{ dbt.type_string() }}))
                or (
                    classification_overrides.finance_account_id is null
                    and finance_accounts.account_symbol = classification_overrides.account_symbol
                )
            )
),

scoro_accounts as (
    select
        finance_accounts.tenant_id,
        cast(finance_accounts.id as {{ dbt.type_string() }}) as account_id,
        finance_accounts.account_symbol as account_number,
        finance_accounts.name,
        coalesce(
            ranked_overrides.account_type,
            case
                when ranked_overrides.classification = 'balancesheet' then 'Asset'
                when finance_accounts.is_sales_account then 'Income'
                when finance_accounts.is_purchases_account then 'Expense'
                when ranked_overrides.classification = 'incomestatement' then 'Expense'
                else 'Asset'
            end
        ) as account_type,
        cast(finance_accounts.parent_id as {{ dbt.type_string() }}) as parent_id,
        finance_accounts.parent_name,
        false as is_bank_account,
        {{ accounting_base_currency('finance_accounts.tenant_id') }} as currency,
        coalesce(finance_accounts.is_active, true) as is_active,
        finance_accounts.is_deleted,
        'scoro_finance_account' as account_source,
        finance_accounts.id as finance_account_id,
        cast(null as {{ dbt.type_bigint() }}) as receipt_account_id,
        cast(null as {{ dbt.type_string() }}) as description
    from finance_accounts
    left join ranked_overrides
        on
            finance_accounts.tenant_id = ranked_overrides.tenant_id
            and finance_accounts.id = ranked_overrides.finance_account_id
            and ranked_overrides.override_rank = 1
),

seeded_system_accounts as (
    select
        tenants.tenant_id,
        system_accounts.account_id,
        system_accounts.account_number,
        system_accounts.name,
        system_accounts.account_type,
        cast(null as {{ dbt.type_string() }}) as parent_id,
        system_accounts.parent_name,
        system_accounts.is_bank_account,
        {{ accounting_base_currency('tenants.tenant_id') }} as currency,
        true as is_active,
        false as is_deleted,
        'system' as account_source,
        cast(null as {{ dbt.type_bigint() }}) as finance_account_id,
        cast(null as {{ dbt.type_bigint() }}) as receipt_account_id,
        system_accounts.description
    from tenants
    cross join system_accounts
),

ranked_bank_overrides as (
    select
        receipt_accounts.tenant_id,
        receipt_accounts.id as receipt_account_id,
        bank_account_overrides.account_number,
        bank_account_overrides.name,
        bank_account_overrides.currency,
        row_number() over (
            partition by receipt_accounts.tenant_id, receipt_accounts.id
            order by case when bank_account_overrides.tenant_id is null then 1 else 0 end
        ) as override_rank
    from receipt_accounts
    inner join bank_account_overrides
        on
            (
                bank_account_overrides.tenant_id is null
                or receipt_accounts.tenant_id = bank_account_overrides.tenant_id
            )
            and cast(receipt_accounts.id as {{ dbt.type_string() }})
            = trim(cast(bank_account_overrides.receipt_account_id as {{ dbt.type_string() }}))
),

-- The currency of the receipts a receipt account holds, when they all share one.
receipt_account_currencies as (
    select
        tenant_id,
        receipt_account_id,
        max(upper(currency)) as currency
    from receipts
    where not is_deleted and currency is not null
    group by tenant_id, receipt_account_id
    having count(distinct upper(currency)) = 1
),

bank_accounts as (
    select
        receipt_accounts.tenant_id,
        {{ dbt.concat(["'bank_'", 'cast(receipt_accounts.id as ' ~ dbt.type_string() ~ ')']) }} as account_id,
        ranked_bank_overrides.account_number,
        coalesce(ranked_bank_overrides.name, receipt_accounts.name) as name,
        'Asset' as account_type,
        cast(null as {{ dbt.type_string() }}) as parent_id,
        'Cash and bank' as parent_name,
        true as is_bank_account,
        coalesce(
            upper(ranked_bank_overrides.currency),
            receipt_account_currencies.currency,
            {{ accounting_base_currency('receipt_accounts.tenant_id') }}
        ) as currency,
        true as is_active,
        receipt_accounts.is_deleted,
        'scoro_receipt_account' as account_source,
        cast(null as {{ dbt.type_bigint() }}) as finance_account_id,
        receipt_accounts.id as receipt_account_id,
        receipt_accounts.type as description
    from receipt_accounts
    left join ranked_bank_overrides
        on
            receipt_accounts.tenant_id = ranked_bank_overrides.tenant_id
            and receipt_accounts.id = ranked_bank_overrides.receipt_account_id
            and ranked_bank_overrides.override_rank = 1
    left join receipt_account_currencies
        on
            receipt_accounts.tenant_id = receipt_account_currencies.tenant_id
            and receipt_accounts.id = receipt_account_currencies.receipt_account_id
),

unioned as (
    select * from scoro_accounts
    union all
    select * from seeded_system_accounts
    union all
    select * from bank_accounts
),

final as (
    select
        cast(tenant_id as {{ dbt.type_string() }}) as tenant_id,
        cast(account_id as {{ dbt.type_string() }}) as account_id,
        cast(account_number as {{ dbt.type_string() }}) as account_number,
        cast(name as {{ dbt.type_string() }}) as name,
        cast(
            case
                when account_type in ('Income', 'Cost of Goods Sold', 'Expense', 'Other Income', 'Other Expense')
                    then 'incomestatement'
                else 'balancesheet'
            end
            as {{ dbt.type_string() }}
        ) as classification,
        cast(account_type as {{ dbt.type_string() }}) as account_type,
        cast(
            case
                when account_type in ('Asset', 'Cost of Goods Sold', 'Expense', 'Other Expense') then 'Debit'
                else 'Credit'
            end
            as {{ dbt.type_string() }}
        ) as normal_balance,
        cast(parent_id as {{ dbt.type_string() }}) as parent_id,
        cast(parent_name as {{ dbt.type_string() }}) as parent_name,
        cast(is_bank_account as {{ dbt.type_boolean() }}) as is_bank_account,
        cast(currency as {{ dbt.type_string() }}) as currency,
        cast(is_active as {{ dbt.type_boolean() }}) as is_active,
        cast(coalesce(is_deleted, false) as {{ dbt.type_boolean() }}) as is_deleted,
        cast(account_source as {{ dbt.type_string() }}) as account_source,
        cast(finance_account_id as {{ dbt.type_bigint() }}) as finance_account_id,
        cast(receipt_account_id as {{ dbt.type_bigint() }}) as receipt_account_id,
        cast(description as {{ dbt.type_string() }}) as description
    from unioned
)

select * from final
