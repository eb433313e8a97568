-- One row per module a custom field is used in, per tenant: typed, named as documented, latest copy only.
with

source as (
    select * from {{ scoro_source('custom_field_modules') }}
),

parent as (
    -- the custom field each row belongs to, latest copy
    select
        tenant_id,
        id,
        is_deleted,
        row_number() over (
            partition by tenant_id, id
            order by _scoro_synced_at desc nulls last
        ) as copy_rank
    from {{ scoro_source('custom_fields') }}
),

renamed as (
    select
        -- ids
        cast(source.tenant_id as {{ dbt.type_string() }}) as tenant_id,
        cast(source.custom_field_id as {{ dbt.type_string() }}) as custom_field_id,
        cast(source.module_id as {{ dbt.type_bigint() }}) as module_id,
        cast(source.parent_module_id as {{ dbt.type_bigint() }}) as parent_module_id,
        -- strings
        cast(source.module_name as {{ dbt.type_string() }}) as module_name,
        cast(source.status as {{ dbt.type_string() }}) as status,
        cast(source.title as {{ dbt.type_string() }}) as title,
        cast(source.path as {{ dbt.type_string() }}) as path,
        cast(source.full_path as {{ dbt.type_string() }}) as full_path,
        -- numerics
        cast(source._index as {{ dbt.type_bigint() }}) as list_index,
        -- mirror
        {{ scoro_composite_key(['source.custom_field_id', 'source._index']) }} as remote_id,
        cast(source.custom_field_id as {{ dbt.type_string() }}) as custom_field_remote_id,
        coalesce(parent.is_deleted, false) as is_deleted,
        cast(null as {{ dbt.type_timestamp() }}) as when_created,
        cast(null as {{ dbt.type_timestamp() }}) as when_modified,
        {{ scoro_to_utc_timestamp('source._scoro_synced_at') }} as when_upserted_into_data_store,
        cast(null as {{ dbt.type_int() }}) as mirror_remote_id
    from source
    left join parent
        on
            source.tenant_id = parent.tenant_id
            and source.custom_field_id = parent.id
            and parent.copy_rank = 1
),

deduplicated as (
    -- one row per record and tenant: the latest load, then the latest modification
    select *
    from (
        select
            renamed.*,
            row_number() over (
                partition by renamed.tenant_id, renamed.custom_field_id, renamed.list_index
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
        custom_field_id,
        module_id,
        parent_module_id,
        module_name,
        status,
        title,
        path,
        full_path,
        list_index,
        remote_id,
        custom_field_remote_id,
        is_deleted,
        when_created,
        when_modified,
        when_upserted_into_data_store,
        mirror_remote_id
    from deduplicated
)

select * from final
