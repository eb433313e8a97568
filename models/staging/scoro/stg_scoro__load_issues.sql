-- One row per raw value the loader could not convert, per tenant: typed, latest copy only.
with

source as (
    select * from {{ scoro_source('_scoro_load_issues') }}
),

renamed as (
    select
        -- ids
        cast(source.tenant_id as {{ dbt.type_string() }}) as tenant_id,
        cast(source.record_id as {{ dbt.type_string() }}) as record_id,
        -- strings
        cast(source.table_name as {{ dbt.type_string() }}) as table_name,
        cast(source.field as {{ dbt.type_string() }}) as field,
        cast(source.module as {{ dbt.type_string() }}) as module,
        cast(source.raw_value as {{ dbt.type_string() }}) as raw_value,
        cast(source.message as {{ dbt.type_string() }}) as message,
        -- mirror
        {{ scoro_composite_key(['source.table_name', 'source.record_id', 'source.field']) }} as remote_id,
        false as is_deleted,
        cast(null as {{ dbt.type_timestamp() }}) as when_created,
        cast(null as {{ dbt.type_timestamp() }}) as when_modified,
        {{ scoro_to_utc_timestamp('source._scoro_synced_at') }} as when_upserted_into_data_store,
        cast(null as {{ dbt.type_int() }}) as mirror_remote_id
    from source
),

deduplicated as (
    -- one row per record and tenant: the latest load, then the latest modification
    select *
    from (
        select
            renamed.*,
            row_number() over (
                partition by renamed.tenant_id, renamed.table_name, renamed.record_id, renamed.field
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
        record_id,
        table_name,
        field,
        module,
        raw_value,
        message,
        remote_id,
        is_deleted,
        when_created,
        when_modified,
        when_upserted_into_data_store,
        mirror_remote_id
    from deduplicated
)

select * from final
