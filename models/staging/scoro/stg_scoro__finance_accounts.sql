-- One row per finance, per tenant: typed, named as documented, latest copy only.
with

source as (
    select * from {{ scoro_source('finance_accounts') }}
),

renamed as (
    select
        -- ids
        cast(source.tenant_id as {{ dbt.type_string() }}) as tenant_id,
        cast(source.id as {{ dbt.type_bigint() }}) as id,
        cast(source.parent_id as {{ dbt.type_bigint() }}) as parent_id,
        -- strings
        cast(source.name as {{ dbt.type_string() }}) as name,
        cast(source.account_symbol as {{ dbt.type_string() }}) as account_symbol,
        cast(source.parent_name as {{ dbt.type_string() }}) as parent_name,
        -- booleans
        cast(source.is_active as {{ dbt.type_boolean() }}) as is_active,
        cast(source.is_sales_account as {{ dbt.type_boolean() }}) as is_sales_account,
        cast(source.is_purchases_account as {{ dbt.type_boolean() }}) as is_purchases_account,
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
        parent_id,
        name,
        account_symbol,
        parent_name,
        is_active,
        is_sales_account,
        is_purchases_account,
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
