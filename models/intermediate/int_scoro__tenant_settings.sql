-- One row per tenant: its base currency and the first month of its fiscal year (seed row, else the global vars).
with

tenant_settings as (
    select * from {{ ref('scoro_tenant_settings') }}
),

tenants as (
    select tenant_id from {{ ref('stg_scoro__finance_accounts') }}
    union
    select tenant_id from {{ ref('stg_scoro__receipt_accounts') }}
    union
    select tenant_id from {{ ref('stg_scoro__invoices') }}
    union
    select tenant_id from {{ ref('stg_scoro__bills') }}
    union
    select tenant_id from {{ ref('stg_scoro__receipts') }}
    union
    select tenant_id from {{ ref('stg_scoro__prepayments') }}
    union
    select tenant_id from tenant_settings
),

final as (
    select
        cast(tenants.tenant_id as {{ dbt.type_string() }}) as tenant_id,
        cast(
            coalesce(
                max(nullif(upper(trim(tenant_settings.base_currency)), '')),
                '{{ var("scoro_base_currency") | upper }}'
            )
            as {{ dbt.type_string() }}
        ) as base_currency,
        cast(
            coalesce(max(tenant_settings.fiscal_year_start_month), {{ var('scoro_fiscal_year_start_month', 1) }})
            as {{ dbt.type_int() }}
        ) as fiscal_year_start_month,
        count(tenant_settings.tenant_id) > 0 as has_settings_row
    from tenants
    left join tenant_settings
        on tenants.tenant_id = tenant_settings.tenant_id
    where tenants.tenant_id is not null
    group by tenants.tenant_id
)

select * from final
