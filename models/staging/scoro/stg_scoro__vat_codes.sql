-- One row per VAT, per tenant: typed, named as documented, latest copy only.
with

source as (
    select * from {{ scoro_source('vat_codes') }}
),

renamed as (
    select
        -- ids
        cast(source.tenant_id as {{ dbt.type_string() }}) as tenant_id,
        cast(source.vat_code_id as {{ dbt.type_bigint() }}) as vat_code_id,
        -- strings
        cast(source.vat_code as {{ dbt.type_string() }}) as vat_code,
        cast(source.vat_name as {{ dbt.type_string() }}) as vat_name,
        -- numerics
        cast(source.percent as {{ scoro_type_decimal() }}) as percent,
        -- booleans
        cast(source.is_sales as {{ dbt.type_boolean() }}) as is_sales,
        cast(source.is_purchases as {{ dbt.type_boolean() }}) as is_purchases,
        cast(source.is_active as {{ dbt.type_boolean() }}) as is_active,
        cast(source.is_not_applicable as {{ dbt.type_boolean() }}) as is_not_applicable,
        -- dates and timestamps (UTC)
        {{ scoro_to_utc_timestamp('source.deleted_date') }} as deleted_date,
        -- mirror
        cast(source.vat_code_id as {{ dbt.type_string() }}) as remote_id,
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
                partition by renamed.tenant_id, renamed.vat_code_id
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
        vat_code_id,
        vat_code,
        vat_name,
        percent,
        is_sales,
        is_purchases,
        is_active,
        is_not_applicable,
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
