-- One row per line of an order, per tenant: typed, named as documented, latest copy only.
with

source as (
    select * from {{ scoro_source('order_lines') }}
),

parent as (
    -- the order each row belongs to, latest copy
    select
        tenant_id,
        id,
        is_deleted,
        modified_date,
        row_number() over (
            partition by tenant_id, id
            order by _scoro_synced_at desc nulls last
        ) as copy_rank
    from {{ scoro_source('orders') }}
),

renamed as (
    select
        -- ids
        cast(source.tenant_id as {{ dbt.type_string() }}) as tenant_id,
        cast(source.order_id as {{ dbt.type_bigint() }}) as order_id,
        cast(source.id as {{ dbt.type_bigint() }}) as id,
        cast(source.product_id as {{ dbt.type_bigint() }}) as product_id,
        cast(source.finance_object_id as {{ dbt.type_bigint() }}) as finance_object_id,
        cast(source.vat_code_id as {{ dbt.type_bigint() }}) as vat_code_id,
        cast(source.finance_account_id as {{ dbt.type_bigint() }}) as finance_account_id,
        cast(source.supplier_id as {{ dbt.type_bigint() }}) as supplier_id,
        cast(source.doer_id as {{ dbt.type_bigint() }}) as doer_id,
        cast(source.role_id as {{ dbt.type_bigint() }}) as role_id,
        cast(source.project_id as {{ dbt.type_bigint() }}) as project_id,
        -- strings
        cast(source.comment as {{ dbt.type_string() }}) as comment,
        cast(source.comment2 as {{ dbt.type_string() }}) as comment2,
        cast(source.unit as {{ dbt.type_string() }}) as unit,
        cast(source.product_name as {{ dbt.type_string() }}) as product_name,
        cast(source.product_code as {{ dbt.type_string() }}) as product_code,
        cast(source.vat_code as {{ dbt.type_string() }}) as vat_code,
        cast(source.finance_object_name as {{ dbt.type_string() }}) as finance_object_name,
        cast(source.finance_object_symbol as {{ dbt.type_string() }}) as finance_object_symbol,
        cast(source.finance_account_name as {{ dbt.type_string() }}) as finance_account_name,
        cast(source.finance_account_symbol as {{ dbt.type_string() }}) as finance_account_symbol,
        cast(source.supplier_name as {{ dbt.type_string() }}) as supplier_name,
        cast(source.doer_email as {{ dbt.type_string() }}) as doer_email,
        cast(source.role_name as {{ dbt.type_string() }}) as role_name,
        cast(source.project_name as {{ dbt.type_string() }}) as project_name,
        cast(source.dates as {{ dbt.type_string() }}) as dates,
        cast(source.depot_amounts as {{ dbt.type_string() }}) as depot_amounts,
        -- numerics
        cast(source.price as {{ scoro_type_decimal() }}) as price,
        cast(source.amount as {{ scoro_type_decimal() }}) as amount,
        cast(source.amount2 as {{ scoro_type_decimal() }}) as amount2,
        cast(source.discount as {{ scoro_type_decimal() }}) as discount,
        cast(source.sum as {{ scoro_type_decimal() }}) as sum,
        cast(source.vat as {{ scoro_type_decimal() }}) as vat,
        cast(source.cost as {{ scoro_type_decimal() }}) as cost,
        -- booleans
        cast(source.is_internal as {{ dbt.type_boolean() }}) as is_internal,
        -- mirror
        {{ scoro_composite_key(['source.order_id', 'source.id']) }} as remote_id,
        cast(source.order_id as {{ dbt.type_string() }}) as order_remote_id,
        coalesce(parent.is_deleted, false) as is_deleted,
        cast(null as {{ dbt.type_timestamp() }}) as when_created,
        {{ scoro_to_utc_timestamp('parent.modified_date') }} as when_modified,
        {{ scoro_to_utc_timestamp('source._scoro_synced_at') }} as when_upserted_into_data_store,
        cast(null as {{ dbt.type_int() }}) as mirror_remote_id
    from source
    left join parent
        on
            source.tenant_id = parent.tenant_id
            and source.order_id = parent.id
            and parent.copy_rank = 1
),

deduplicated as (
    -- one row per record and tenant: the latest load, then the latest modification
    select *
    from (
        select
            renamed.*,
            row_number() over (
                partition by renamed.tenant_id, renamed.order_id, renamed.id
                order by
                    renamed.when_upserted_into_data_store desc nulls last,
                    renamed.when_modified desc nulls last
            ) as copy_rank
        from renamed
    ) as ranked
    where copy_rank = 1
),

final as (
    select
        tenant_id,
        order_id,
        id,
        product_id,
        finance_object_id,
        vat_code_id,
        finance_account_id,
        supplier_id,
        doer_id,
        role_id,
        project_id,
        comment,
        comment2,
        unit,
        product_name,
        product_code,
        vat_code,
        finance_object_name,
        finance_object_symbol,
        finance_account_name,
        finance_account_symbol,
        supplier_name,
        doer_email,
        role_name,
        project_name,
        dates,
        depot_amounts,
        price,
        amount,
        amount2,
        discount,
        sum,
        vat,
        cost,
        is_internal,
        remote_id,
        order_remote_id,
        is_deleted,
        when_created,
        when_modified,
        when_upserted_into_data_store,
        mirror_remote_id
    from deduplicated
)

select * from final
