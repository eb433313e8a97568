-- One row per phase or milestone of a project, per tenant: typed, named as documented, latest copy only.
with

source as (
    select * from {{ scoro_source('project_phases') }}
),

parent as (
    -- the project each row belongs to, latest copy
    select
        tenant_id,
        project_id,
        is_deleted,
        row_number() over (
            partition by tenant_id, project_id
            order by _scoro_synced_at desc nulls last
        ) as copy_rank
    from {{ scoro_source('projects') }}
),

renamed as (
    select
        -- ids
        cast(source.tenant_id as {{ dbt.type_string() }}) as tenant_id,
        cast(source.id as {{ dbt.type_bigint() }}) as id,
        cast(source.project_id as {{ dbt.type_bigint() }}) as project_id,
        cast(source.quote_line_id as {{ dbt.type_bigint() }}) as quote_line_id,
        -- strings
        cast(source.type as {{ dbt.type_string() }}) as type,
        cast(source.title as {{ dbt.type_string() }}) as title,
        -- numerics
        cast(source.ordering as {{ dbt.type_int() }}) as ordering,
        -- dates and timestamps (UTC)
        cast(source.start_date as {{ dbt.type_timestamp() }}) as start_date,
        cast(source.end_date as {{ dbt.type_timestamp() }}) as end_date,
        {{ scoro_to_utc_timestamp('source.deleted_date') }} as deleted_date,
        -- mirror
        cast(source.id as {{ dbt.type_string() }}) as remote_id,
        cast(source.project_id as {{ dbt.type_string() }}) as project_remote_id,
        coalesce(source.is_deleted, false) or coalesce(parent.is_deleted, false) as is_deleted,
        cast(null as {{ dbt.type_timestamp() }}) as when_created,
        cast(null as {{ dbt.type_timestamp() }}) as when_modified,
        {{ scoro_to_utc_timestamp('source._scoro_synced_at') }} as when_upserted_into_data_store,
        cast(null as {{ dbt.type_int() }}) as mirror_remote_id
    from source
    left join parent
        on
            source.tenant_id = parent.tenant_id
            and source.project_id = parent.project_id
            and parent.copy_rank = 1
),

deduplicated as (
    -- one row per record and tenant: the latest load, then the latest modification
    select *
    from (
        select
            renamed.*,
            row_number() over (
                partition by renamed.tenant_id, renamed.id
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
        id,
        project_id,
        quote_line_id,
        type,
        title,
        ordering,
        start_date,
        end_date,
        deleted_date,
        remote_id,
        project_remote_id,
        is_deleted,
        when_created,
        when_modified,
        when_upserted_into_data_store,
        mirror_remote_id
    from deduplicated
)

select * from final
