-- One row per custom field value set on a line of an order, per tenant: typed, latest copy only.
with

source as (
    select * from {{ scoro_source('order_line_custom_fields') }}
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
        cast(source.line_id as {{ dbt.type_bigint() }}) as line_id,
        cast(source.id as {{ dbt.type_string() }}) as id,
        -- strings
        cast(source.name as {{ dbt.type_string() }}) as name,
        cast(source.value as {{ dbt.type_string() }}) as value,
        cast(source.type as {{ dbt.type_string() }}) as type,
        -- mirror
        {{ scoro_composite_key(['source.order_id', 'source.line_id', 'source.id']) }} as remote_id,
        cast(source.order_id as {{ dbt.type_string() }}) as order_remote_id,
        {{ scoro_composite_key(['source.order_id', 'source.line_id']) }} as order_line_remote_id,
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
                partition by renamed.tenant_id, renamed.order_id, renamed.line_id, renamed.id
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
        line_id,
        id,
        name,
        value,
        type,
        remote_id,
        order_remote_id,
        order_line_remote_id,
        is_deleted,
        when_created,
        when_modified,
        when_upserted_into_data_store,
        mirror_remote_id
    from deduplicated
)

select * from final
