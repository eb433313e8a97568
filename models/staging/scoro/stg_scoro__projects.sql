-- One row per project, per tenant: typed, named as documented, latest copy only.
with

source as (
    select * from {{ scoro_source('projects') }}
),

renamed as (
    select
        -- ids
        cast(source.tenant_id as {{ dbt.type_string() }}) as tenant_id,
        cast(source.project_id as {{ dbt.type_bigint() }}) as project_id,
        cast(source.project_id as {{ dbt.type_bigint() }}) as id,
        cast(source.company_id as {{ dbt.type_bigint() }}) as company_id,
        cast(source.manager_id as {{ dbt.type_bigint() }}) as manager_id,
        cast(source.account_id as {{ dbt.type_string() }}) as account_id,
        cast(source.local_price_list_id as {{ dbt.type_bigint() }}) as local_price_list_id,
        -- strings
        cast(source.project_name as {{ dbt.type_string() }}) as project_name,
        cast(source.color as {{ dbt.type_string() }}) as color,
        cast(source.status as {{ dbt.type_string() }}) as status,
        cast(source.status_name as {{ dbt.type_string() }}) as status_name,
        cast(source.manager_email as {{ dbt.type_string() }}) as manager_email,
        cast(source.duration as {{ dbt.type_string() }}) as duration,
        cast(source.budget_type as {{ dbt.type_string() }}) as budget_type,
        cast(source.description as {{ dbt.type_string() }}) as description,
        cast(source.company_name as {{ dbt.type_string() }}) as company_name,
        cast(source.tags as {{ dbt.type_string() }}) as tags,
        cast(source.phases as {{ dbt.type_string() }}) as phases,
        -- numerics
        cast(source.no as {{ dbt.type_int() }}) as no,
        -- booleans
        cast(source.is_personal as {{ dbt.type_boolean() }}) as is_personal,
        cast(source.is_private as {{ dbt.type_boolean() }}) as is_private,
        cast(null as {{ dbt.type_boolean() }}) as strip_description,
        cast(source.is_role_based as {{ dbt.type_boolean() }}) as is_role_based,
        -- dates and timestamps (UTC)
        cast(source.date as {{ dbt.type_timestamp() }}) as date,
        cast(source.deadline as {{ dbt.type_timestamp() }}) as deadline,
        {{ scoro_to_utc_timestamp('source.deleted_date') }} as deleted_date,
        {{ scoro_to_utc_timestamp('source.created_date') }} as created_date,
        {{ scoro_to_utc_timestamp('source.modified_date') }} as modified_date,
        -- mirror
        cast(source.project_id as {{ dbt.type_string() }}) as remote_id,
        coalesce(source.is_deleted, false) as is_deleted,
        {{ scoro_to_utc_timestamp('source.created_date') }} as when_created,
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
                partition by renamed.tenant_id, renamed.project_id
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
        project_id,
        id,
        company_id,
        manager_id,
        account_id,
        local_price_list_id,
        project_name,
        color,
        status,
        status_name,
        manager_email,
        duration,
        budget_type,
        description,
        company_name,
        tags,
        phases,
        no,
        is_personal,
        is_private,
        strip_description,
        is_role_based,
        date,
        deadline,
        deleted_date,
        created_date,
        modified_date,
        remote_id,
        is_deleted,
        when_created,
        when_modified,
        when_upserted_into_data_store,
        mirror_remote_id
    from deduplicated
)

select * from final
