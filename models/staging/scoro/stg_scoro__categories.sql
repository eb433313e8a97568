-- One row per contact category, per tenant: typed, named as documented, latest copy only.
with

source as (
    select * from {{ scoro_source('categories') }}
),

renamed as (
    select
        -- ids
        cast(source.tenant_id as {{ dbt.type_string() }}) as tenant_id,
        cast(source.cat_id as {{ dbt.type_bigint() }}) as cat_id,
        -- strings
        cast(source.cat_name as {{ dbt.type_string() }}) as cat_name,
        cast(source.symbol as {{ dbt.type_string() }}) as symbol,
        cast(source.description as {{ dbt.type_string() }}) as description_text,
        -- booleans
        {{ dbt.safe_cast('source.description', dbt.type_boolean()) }} as description,
        -- dates and timestamps (UTC)
        {{ scoro_to_utc_timestamp('source.modified_date') }} as modified_date,
        {{ scoro_to_utc_timestamp('source.deleted_date') }} as deleted_date,
        -- mirror
        cast(source.cat_id as {{ dbt.type_string() }}) as remote_id,
        coalesce(source.is_deleted, false) as is_deleted,
        cast(null as {{ dbt.type_timestamp() }}) as when_created,
        {{ scoro_to_utc_timestamp('source.modified_date') }} as when_modified,
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
                partition by renamed.tenant_id, renamed.cat_id
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
        cat_id,
        cat_name,
        symbol,
        description_text,
        description,
        modified_date,
        deleted_date,
        remote_id,
        is_deleted,
        when_created,
        when_modified,
        when_upserted_into_data_store,
        mirror_remote_id
    from deduplicated
)

select * from final
