-- One row per tenant, currency and period in which one rate of seeds/scoro_currency_rates.csv applies.
with

rates as (
    select * from {{ ref('scoro_currency_rates') }}
),

tenants as (
    select tenant_id from {{ ref('stg_scoro__invoices') }}
    union
    select tenant_id from {{ ref('stg_scoro__bills') }}
    union
    select tenant_id from {{ ref('stg_scoro__receipts') }}
    union
    select tenant_id from {{ ref('stg_scoro__prepayments') }}
),

-- Each tenant's rates: its own rows for a currency, else the rows for every tenant (blank tenant_id).
tenant_rates as (
    select
        tenants.tenant_id,
        upper(trim(rates.currency)) as currency,
        cast(rates.rate_date as date) as rate_date,
        rates.rate,
        rates.tenant_id is not null as is_tenant_row
    from tenants
    inner join rates
        on rates.tenant_id is null or tenants.tenant_id = rates.tenant_id
    where rates.rate > 0
),

ranked as (
    select
        *,
        max(case when is_tenant_row then 1 else 0 end) over (partition by tenant_id, currency) as has_tenant_rows
    from tenant_rates
),

chosen as (
    select
        tenant_id,
        currency,
        rate_date,
        max(rate) as rate
    from ranked
    where (has_tenant_rows = 1) = is_tenant_row
    group by tenant_id, currency, rate_date
),

final as (
    select
        cast(tenant_id as {{ dbt.type_string() }}) as tenant_id,
        cast(currency as {{ dbt.type_string() }}) as currency,
        rate_date as valid_from,
        lead(rate_date) over (partition by tenant_id, currency order by rate_date) as valid_to,
        {{ accounting_money('rate') }} as rate
    from chosen
)

select * from final
