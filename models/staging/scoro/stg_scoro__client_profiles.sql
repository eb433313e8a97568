-- One row per client profile, per tenant: typed, named as documented, latest copy only.
with

source as (
    select * from {{ scoro_source('client_profiles') }}
),

renamed as (
    select
        -- ids
        cast(source.tenant_id as {{ dbt.type_string() }}) as tenant_id,
        cast(source.id as {{ dbt.type_bigint() }}) as id,
        cast(source.vat_code_id as {{ dbt.type_bigint() }}) as vat_code_id,
        cast(source.language_id as {{ dbt.type_string() }}) as language_id,
        cast(source.price_list_id as {{ dbt.type_bigint() }}) as price_list_id,
        -- strings
        cast(source.name as {{ dbt.type_string() }}) as name,
        cast(source.discount as {{ dbt.type_string() }}) as discount,
        cast(source.discount2 as {{ dbt.type_string() }}) as discount2,
        cast(source.discount3 as {{ dbt.type_string() }}) as discount3,
        cast(source.fine as {{ dbt.type_string() }}) as fine,
        cast(source.currency as {{ dbt.type_string() }}) as currency,
        cast(source.payment_type as {{ dbt.type_string() }}) as payment_type,
        -- numerics
        cast(source.deadline_days as {{ dbt.type_int() }}) as deadline_days,
        -- dates and timestamps (UTC)
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
        vat_code_id,
        language_id,
        price_list_id,
        name,
        discount,
        discount2,
        discount3,
        fine,
        currency,
        payment_type,
        deadline_days,
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
