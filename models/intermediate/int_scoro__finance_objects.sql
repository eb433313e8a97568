-- One row per Scoro finance object (cost centre / department) named on any document line, per tenant.
with

invoice_lines as (
    select * from {{ ref('stg_scoro__invoice_lines') }}
),

bill_lines as (
    select * from {{ ref('stg_scoro__bill_lines') }}
),

prepayment_lines as (
    select * from {{ ref('stg_scoro__prepayment_lines') }}
),

named as (
    select
        tenant_id,
        finance_object_id,
        finance_object_name,
        finance_object_symbol
    from invoice_lines
    union all
    select
        tenant_id,
        finance_object_id,
        finance_object_name,
        finance_object_symbol
    from bill_lines
    union all
    select
        tenant_id,
        finance_object_id,
        finance_object_name,
        finance_object_symbol
    from prepayment_lines
),

final as (
    select
        cast(tenant_id as {{ dbt.type_string() }}) as tenant_id,
        cast(finance_object_id as {{ dbt.type_bigint() }}) as finance_object_id,
        cast(max(finance_object_name) as {{ dbt.type_string() }}) as name,
        cast(max(finance_object_symbol) as {{ dbt.type_string() }}) as symbol
    from named
    where finance_object_id > 0
    group by tenant_id, finance_object_id
)

select * from final
