-- One row per product or service in the product list, per tenant: typed, named as documented, latest copy only.
with

source as (
    select * from {{ scoro_source('products') }}
),

renamed as (
    select
        -- ids
        cast(source.tenant_id as {{ dbt.type_string() }}) as tenant_id,
        cast(source.product_id as {{ dbt.type_bigint() }}) as product_id,
        cast(source.product_id as {{ dbt.type_bigint() }}) as id,
        cast(source.default_doer_id as {{ dbt.type_bigint() }}) as default_doer_id,
        cast(source.default_role_id as {{ dbt.type_bigint() }}) as default_role_id,
        cast(source.supplier_id as {{ dbt.type_bigint() }}) as supplier_id,
        cast(source.default_vat_code_id as {{ dbt.type_bigint() }}) as default_vat_code_id,
        cast(source.default_sales_tax_id as {{ dbt.type_bigint() }}) as default_sales_tax_id,
        cast(source.default_purchases_tax_id as {{ dbt.type_bigint() }}) as default_purchases_tax_id,
        cast(source.account_id as {{ dbt.type_string() }}) as account_id,
        cast(source.sales_finance_account_id as {{ dbt.type_bigint() }}) as sales_finance_account_id,
        cast(source.purchases_finance_account_id as {{ dbt.type_bigint() }}) as purchases_finance_account_id,
        cast(source.productgroup_id as {{ dbt.type_bigint() }}) as productgroup_id,
        cast(source.accounting_object_id as {{ dbt.type_bigint() }}) as accounting_object_id,
        -- strings
        cast(source.name as {{ dbt.type_string() }}) as name,
        cast(source.description as {{ dbt.type_string() }}) as description,
        cast(source.code as {{ dbt.type_string() }}) as code,
        cast(source.description2 as {{ dbt.type_string() }}) as description2,
        cast(source.unit as {{ dbt.type_string() }}) as unit,
        cast(source.tag as {{ dbt.type_string() }}) as tag,
        cast(source.url as {{ dbt.type_string() }}) as url,
        cast(source.default_type as {{ dbt.type_string() }}) as default_type,
        cast(source.depot_amounts as {{ dbt.type_string() }}) as depot_amounts,
        -- numerics
        cast(source.price as {{ scoro_type_decimal() }}) as price,
        cast(source.buying_price as {{ scoro_type_decimal() }}) as buying_price,
        cast(source.price_list as {{ dbt.type_bigint() }}) as price_list,
        cast(source.amount as {{ scoro_type_decimal() }}) as amount,
        cast(source.amount2 as {{ scoro_type_decimal() }}) as amount2,
        cast(source.depots_total_amount as {{ scoro_type_decimal() }}) as depots_total_amounts,
        -- booleans
        cast(source.use_supplier as {{ dbt.type_boolean() }}) as use_supplier,
        cast(source.is_active as {{ dbt.type_boolean() }}) as is_active,
        cast(source.is_service as {{ dbt.type_boolean() }}) as is_service,
        cast(source.no_discounts as {{ dbt.type_boolean() }}) as no_discounts,
        -- dates and timestamps (UTC)
        {{ scoro_to_utc_timestamp('source.deleted_date') }} as deleted_date,
        {{ scoro_to_utc_timestamp('source.created_date') }} as created_date,
        {{ scoro_to_utc_timestamp('source.modified_date') }} as modified_date,
        -- mirror
        cast(source.product_id as {{ dbt.type_string() }}) as remote_id,
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
                partition by renamed.tenant_id, renamed.product_id
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
        product_id,
        id,
        default_doer_id,
        default_role_id,
        supplier_id,
        default_vat_code_id,
        default_sales_tax_id,
        default_purchases_tax_id,
        account_id,
        sales_finance_account_id,
        purchases_finance_account_id,
        productgroup_id,
        accounting_object_id,
        name,
        description,
        code,
        description2,
        unit,
        tag,
        url,
        default_type,
        depot_amounts,
        price,
        buying_price,
        price_list,
        amount,
        amount2,
        depots_total_amounts,
        use_supplier,
        is_active,
        is_service,
        no_discounts,
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
