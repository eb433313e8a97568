-- One row per receipt group, per tenant: typed, latest copy only.
with

source as (
    select * from {{ scoro_source('receipts') }}
),

renamed as (
    select
        -- ids
        cast(source.tenant_id as {{ dbt.type_string() }}) as tenant_id,
        cast(source.id as {{ dbt.type_bigint() }}) as id,
        cast(source.contact_id as {{ dbt.type_bigint() }}) as contact_id,
        cast(source.receipt_account_id as {{ dbt.type_bigint() }}) as receipt_account_id,
        -- strings
        cast(source.currency as {{ dbt.type_string() }}) as currency,
        cast(source.sales_doc_type as {{ dbt.type_string() }}) as sales_doc_type,
        -- numerics
        cast(source.sum as {{ scoro_type_decimal() }}) as sum,
        -- dates and timestamps (UTC)
        cast(source.date as {{ dbt.type_timestamp() }}) as date,
        {{ scoro_to_utc_timestamp('source.modified_date') }} as modified_date,
        {{ scoro_to_utc_timestamp('source.deleted_date') }} as deleted_date,
        -- mirror
        cast(source.id as {{ dbt.type_string() }}) as remote_id,
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
        contact_id,
        receipt_account_id,
        currency,
        sales_doc_type,
        sum,
        date,
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
