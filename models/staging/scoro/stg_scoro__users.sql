-- One row per Scoro user, per tenant: typed, named as documented, latest copy only.
with

source as (
    select * from {{ scoro_source('users') }}
),

renamed as (
    select
        -- ids
        cast(source.tenant_id as {{ dbt.type_string() }}) as tenant_id,
        cast(source.id as {{ dbt.type_bigint() }}) as id,
        cast(source.role_id as {{ dbt.type_bigint() }}) as role_id,
        cast(source.country_id as {{ dbt.type_string() }}) as country_id,
        -- strings
        cast(source.username as {{ dbt.type_string() }}) as username,
        cast(source.firstname as {{ dbt.type_string() }}) as firstname,
        cast(source.lastname as {{ dbt.type_string() }}) as lastname,
        cast(source.full_name as {{ dbt.type_string() }}) as full_name,
        cast(source.initials as {{ dbt.type_string() }}) as initials,
        cast(source.email as {{ dbt.type_string() }}) as email,
        cast(source.status as {{ dbt.type_string() }}) as status,
        cast(source.category as {{ dbt.type_string() }}) as category,
        cast(source.position as {{ dbt.type_string() }}) as position,
        cast(source.comment as {{ dbt.type_string() }}) as comment,
        cast(source.gsm as {{ dbt.type_string() }}) as gsm,
        cast(source.timezone as {{ dbt.type_string() }}) as timezone,
        cast(source.user_picture as {{ dbt.type_string() }}) as user_picture,
        cast(source.user_groups_ids as {{ dbt.type_string() }}) as user_groups_ids,
        cast(source.birthday_month_day as {{ dbt.type_string() }}) as birthday_month_day,
        -- booleans
        cast(source.is_hidden as {{ dbt.type_boolean() }}) as hidden,
        cast(source.is_active as {{ dbt.type_boolean() }}) as is_active,
        -- dates and timestamps (UTC)
        cast(source.birthday as {{ dbt.type_timestamp() }}) as birthday,
        {{ scoro_to_utc_timestamp('source.created_date') }} as created_date,
        {{ scoro_to_utc_timestamp('source.modified_date') }} as modified_date,
        {{ scoro_to_utc_timestamp('source.deleted_date') }} as deleted_date,
        -- mirror
        cast(source.id as {{ dbt.type_string() }}) as remote_id,
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
        role_id,
        country_id,
        username,
        firstname,
        lastname,
        full_name,
        initials,
        email,
        status,
        category,
        position,
        comment,
        gsm,
        timezone,
        user_picture,
        user_groups_ids,
        birthday_month_day,
        hidden,
        is_active,
        birthday,
        created_date,
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
