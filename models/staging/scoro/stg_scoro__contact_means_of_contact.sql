-- One row per means of contact of a contact, per tenant: typed, latest copy only.
with

source as (
    select * from {{ scoro_source('contact_means_of_contact') }}
),

parent as (
    -- the contact each row belongs to, latest copy
    select
        tenant_id,
        contact_id,
        is_deleted,
        modified_date,
        row_number() over (
            partition by tenant_id, contact_id
            order by _scoro_synced_at desc nulls last
        ) as copy_rank
    from {{ scoro_source('contacts') }}
),

renamed as (
    select
        -- ids
        cast(source.tenant_id as {{ dbt.type_string() }}) as tenant_id,
        cast(source.contact_id as {{ dbt.type_bigint() }}) as contact_id,
        -- strings
        cast(source.type as {{ dbt.type_string() }}) as type,
        cast(source.value as {{ dbt.type_string() }}) as value,
        -- numerics
        cast(source._index as {{ dbt.type_bigint() }}) as list_index,
        -- mirror
        {{ scoro_composite_key(['source.contact_id', 'source._index']) }} as remote_id,
        cast(source.contact_id as {{ dbt.type_string() }}) as contact_remote_id,
        coalesce(parent.is_deleted, false) as is_deleted,
        cast(null as {{ dbt.type_timestamp() }}) as when_created,
        {{ scoro_to_utc_timestamp('parent.modified_date') }} as when_modified,
        {{ scoro_to_utc_timestamp('source._scoro_synced_at') }} as when_upserted_into_data_store,
        cast(null as {{ dbt.type_int() }}) as mirror_remote_id
    from source
    left join parent
        on
            source.tenant_id = parent.tenant_id
            and source.contact_id = parent.contact_id
            and parent.copy_rank = 1
),

deduplicated as (
    -- one row per record and tenant: the latest load, then the latest modification
    select *
    from (
        select
            renamed.*,
            row_number() over (
                partition by renamed.tenant_id, renamed.contact_id, renamed.list_index
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
        type,
        value,
        list_index,
        remote_id,
        contact_remote_id,
        is_deleted,
        when_created,
        when_modified,
        when_upserted_into_data_store,
        mirror_remote_id
    from deduplicated
)

select * from final
