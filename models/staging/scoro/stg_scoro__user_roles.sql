-- One row per user role, per tenant: typed, named as documented, latest copy only.
with

source as (
    select * from {{ scoro_source('user_roles') }}
),

renamed as (
    select
        -- ids
        cast(source.tenant_id as {{ dbt.type_string() }}) as tenant_id,
        cast(source.role_id as {{ dbt.type_bigint() }}) as role_id,
        -- strings
        cast(source.role_name as {{ dbt.type_string() }}) as role_name,
        cast(source.role_users as {{ dbt.type_string() }}) as role_users,
        -- dates and timestamps (UTC)
        {{ scoro_to_utc_timestamp('source.deleted_date') }} as deleted_date,
        -- mirror
        cast(source.role_id as {{ dbt.type_string() }}) as remote_id,
        coalesce(source.is_deleted, false) as is_deleted,
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
                partition by renamed.tenant_id, renamed.role_id
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
        role_id,
        role_name,
        role_users,
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
