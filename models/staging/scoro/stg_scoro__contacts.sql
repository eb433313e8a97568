-- One row per contact, per tenant: typed, named as documented, latest copy only.
with

source as (
    select * from {{ scoro_source('contacts') }}
),

renamed as (
    select
        -- ids
        cast(source.tenant_id as {{ dbt.type_string() }}) as tenant_id,
        cast(source.contact_id as {{ dbt.type_bigint() }}) as contact_id,
        cast(source.contact_id as {{ dbt.type_bigint() }}) as id,
        cast(source.manager_id as {{ dbt.type_bigint() }}) as manager_id,
        cast(source.client_profile_id as {{ dbt.type_bigint() }}) as client_profile_id,
        cast(source.cat_id as {{ dbt.type_bigint() }}) as cat_id,
        -- strings
        cast(source.name as {{ dbt.type_string() }}) as name,
        cast(source.lastname as {{ dbt.type_string() }}) as lastname,
        cast(source.search_name as {{ dbt.type_string() }}) as search_name,
        cast(source.contact_type as {{ dbt.type_string() }}) as contact_type,
        cast(source.id_code as {{ dbt.type_string() }}) as id_code,
        cast(source.bankaccount as {{ dbt.type_string() }}) as bankaccount,
        cast(source.position as {{ dbt.type_string() }}) as position,
        cast(source.comments as {{ dbt.type_string() }}) as comments,
        cast(source.sex as {{ dbt.type_string() }}) as sex,
        cast(source.vatno as {{ dbt.type_string() }}) as vatno,
        cast(source.timezone as {{ dbt.type_string() }}) as timezone,
        cast(source.manager_email as {{ dbt.type_string() }}) as manager_email,
        cast(source.reference_no as {{ dbt.type_string() }}) as reference_no,
        cast(source.cat_name as {{ dbt.type_string() }}) as cat_name,
        cast(source.contact_picture as {{ dbt.type_string() }}) as contact_picture,
        cast(source.tags as {{ dbt.type_string() }}) as tags,
        cast(source.contact_users as {{ dbt.type_string() }}) as contact_users,
        cast(source.related_companies as {{ dbt.type_string() }}) as related_companies,
        cast(source.birthday_month_day as {{ dbt.type_string() }}) as birthday_month_day,
        -- booleans
        cast(source.is_supplier as {{ dbt.type_boolean() }}) as is_supplier,
        cast(source.is_client as {{ dbt.type_boolean() }}) as is_client,
        -- dates and timestamps (UTC)
        cast(source.birthday as {{ dbt.type_timestamp() }}) as birthday,
        {{ scoro_to_utc_timestamp('source.deleted_date') }} as deleted_date,
        {{ scoro_to_utc_timestamp('source.created_date') }} as created_date,
        {{ scoro_to_utc_timestamp('source.modified_date') }} as modified_date,
        -- mirror
        cast(source.contact_id as {{ dbt.type_string() }}) as remote_id,
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
                partition by renamed.tenant_id, renamed.contact_id
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
        contact_id,
        id,
        manager_id,
        client_profile_id,
        cat_id,
        name,
        lastname,
        search_name,
        contact_type,
        id_code,
        bankaccount,
        position,
        comments,
        sex,
        vatno,
        timezone,
        manager_email,
        reference_no,
        cat_name,
        contact_picture,
        tags,
        contact_users,
        related_companies,
        birthday_month_day,
        is_supplier,
        is_client,
        birthday,
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
