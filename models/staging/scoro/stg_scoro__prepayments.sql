-- One row per prepayment invoice, per tenant: typed, named as documented, latest copy only.
with

source as (
    select * from {{ scoro_source('prepayments') }}
),

renamed as (
    select
        -- ids
        cast(source.tenant_id as {{ dbt.type_string() }}) as tenant_id,
        cast(source.id as {{ dbt.type_bigint() }}) as id,
        cast(source.quote_id as {{ dbt.type_bigint() }}) as quote_id,
        cast(source.order_id as {{ dbt.type_bigint() }}) as order_id,
        cast(source.local_price_list_id as {{ dbt.type_bigint() }}) as local_price_list_id,
        cast(source.vat_code_id as {{ dbt.type_bigint() }}) as vat_code_id,
        cast(source.company_id as {{ dbt.type_bigint() }}) as company_id,
        cast(source.person_id as {{ dbt.type_bigint() }}) as person_id,
        cast(source.company_address_id as {{ dbt.type_bigint() }}) as company_address_id,
        cast(source.interested_party_id as {{ dbt.type_bigint() }}) as interested_party_id,
        cast(source.project_id as {{ dbt.type_bigint() }}) as project_id,
        cast(source.owner_id as {{ dbt.type_bigint() }}) as owner_id,
        cast(source.account_id as {{ dbt.type_string() }}) as account_id,
        cast(source.interested_party_address_id as {{ dbt.type_bigint() }}) as interested_party_address_id,
        -- strings
        cast(source.description as {{ dbt.type_string() }}) as description,
        cast(source.fine as {{ dbt.type_string() }}) as fine,
        cast(source.company_address__city as {{ dbt.type_string() }}) as address_city,
        cast(source.company_address__country as {{ dbt.type_string() }}) as address_country_code,
        cast(null as {{ dbt.type_string() }}) as address_country_name,
        cast(source.company_address__county as {{ dbt.type_string() }}) as address_county,
        cast(source.company_address__municipality as {{ dbt.type_string() }}) as address_municipality,
        cast(source.company_address__street as {{ dbt.type_string() }}) as address_street,
        cast(source.company_address__zipcode as {{ dbt.type_string() }}) as address_zip_code,
        cast(source.project_name as {{ dbt.type_string() }}) as project_name,
        cast(source.currency as {{ dbt.type_string() }}) as currency,
        cast(source.status as {{ dbt.type_string() }}) as status,
        cast(source.no as {{ dbt.type_string() }}) as no_text,
        cast(source.vat_code as {{ dbt.type_string() }}) as vat_code,
        cast(source.company_name as {{ dbt.type_string() }}) as company_name,
        cast(source.person_name as {{ dbt.type_string() }}) as person_name,
        cast(source.owner_email as {{ dbt.type_string() }}) as owner_email,
        -- numerics
        cast(source.prepayment_percent as {{ scoro_type_decimal() }}) as prepayment_percent,
        cast(source.vat as {{ scoro_type_decimal() }}) as vat,
        cast(source.currency_rate as {{ scoro_type_decimal() }}) as currency_rate,
        {{ dbt.safe_cast('source.no', dbt.type_bigint()) }} as no,
        cast(source.discount as {{ scoro_type_decimal() }}) as discount,
        cast(source.discount2 as {{ scoro_type_decimal() }}) as discount2,
        cast(source.discount3 as {{ scoro_type_decimal() }}) as discount3,
        cast(source.sum as {{ scoro_type_decimal() }}) as sum,
        cast(source.vat_sum as {{ scoro_type_decimal() }}) as vat_sum,
        -- booleans
        cast(source.is_role_based as {{ dbt.type_boolean() }}) as is_role_based,
        cast(source.is_sent as {{ dbt.type_boolean() }}) as is_sent,
        -- dates and timestamps (UTC)
        cast(source.shipment_date as {{ dbt.type_timestamp() }}) as shipment_date,
        cast(source.date as {{ dbt.type_timestamp() }}) as date,
        cast(source.deadline as {{ dbt.type_timestamp() }}) as deadline,
        {{ scoro_to_utc_timestamp('source.deleted_date') }} as deleted_date,
        {{ scoro_to_utc_timestamp('source.created_date') }} as created_date,
        {{ scoro_to_utc_timestamp('source.modified_date') }} as modified_date,
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
        quote_id,
        order_id,
        local_price_list_id,
        vat_code_id,
        company_id,
        person_id,
        company_address_id,
        interested_party_id,
        project_id,
        owner_id,
        account_id,
        interested_party_address_id,
        description,
        fine,
        address_city,
        address_country_code,
        address_country_name,
        address_county,
        address_municipality,
        address_street,
        address_zip_code,
        project_name,
        currency,
        status,
        no_text,
        vat_code,
        company_name,
        person_name,
        owner_email,
        prepayment_percent,
        vat,
        currency_rate,
        no,
        discount,
        discount2,
        discount3,
        sum,
        vat_sum,
        is_role_based,
        is_sent,
        shipment_date,
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
