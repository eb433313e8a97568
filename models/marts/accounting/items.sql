-- One row per Scoro product (a good or service the company sells or buys), deleted products excluded.
with

products as (
    select * from {{ ref('stg_scoro__products') }}
),

vat_codes as (
    select * from {{ ref('stg_scoro__vat_codes') }}
),

accounts as (
    select * from {{ ref('int_scoro__accounts') }}
),

live_products as (
    select products.*
    from products
    where not products.is_deleted
),

-- The accounts an item posts to: its sales and purchases finance accounts, else the defaults
-- (the general ledger's rule for a line that names no finance account).
product_accounts as (
    select
        live_products.tenant_id,
        live_products.product_id,
        coalesce(sales_account.account_id, default_sales_account.account_id) as sales_account_id,
        coalesce(sales_account.name, default_sales_account.name) as sales_account_name,
        coalesce(sales_account.account_number, default_sales_account.account_number) as sales_account_number,
        coalesce(purchases_account.account_id, default_purchases_account.account_id) as purchases_account_id
    from live_products
    left join accounts as sales_account
        on
            live_products.tenant_id = sales_account.tenant_id
            and cast(live_products.sales_finance_account_id as {{ dbt.type_string() }}) = sales_account.account_id
            and sales_account.account_source = 'scoro_finance_account'
    left join accounts as default_sales_account
        on
            live_products.tenant_id = default_sales_account.tenant_id
            and default_sales_account.account_id = '{{ var("scoro_default_sales_account") }}'
    left join accounts as purchases_account
        on
            live_products.tenant_id = purchases_account.tenant_id
            and cast(live_products.purchases_finance_account_id as {{ dbt.type_string() }})
            = purchases_account.account_id
            and purchases_account.account_source = 'scoro_finance_account'
    left join accounts as default_purchases_account
        on
            live_products.tenant_id = default_purchases_account.tenant_id
            and default_purchases_account.account_id = '{{ var("scoro_default_purchases_account") }}'
),

final as (
    select
        cast(live_products.product_id as {{ dbt.type_string() }}) as id,
        cast(live_products.code as {{ dbt.type_string() }}) as sku,
        cast(live_products.code as {{ dbt.type_string() }}) as code,
        cast(live_products.name as {{ dbt.type_string() }}) as name,
        cast(
            case
                when live_products.is_service then 'Service'
                when live_products.depots_total_amounts is not null then 'Inventory'
                else 'NonInventory'
            end
            as {{ dbt.type_string() }}
        ) as type,
        cast(coalesce(live_products.is_active, true) as {{ dbt.type_boolean() }}) as active,
        cast(vat_codes.vat_code as {{ dbt.type_string() }}) as "taxCode",
        cast(vat_codes.percent > 0 as {{ dbt.type_boolean() }}) as taxable,
        {{ unified_struct({
            'accountId': 'product_accounts.sales_account_id',
            'accountName': 'product_accounts.sales_account_name',
            'accountNumber': 'product_accounts.sales_account_number',
        }) }} as accounts,
        {{ unified_struct({
            'accountId': 'product_accounts.purchases_account_id',
            'description': 'coalesce(live_products.description2, live_products.description)',
            'unitPrice': 'cast(live_products.buying_price as ' ~ accounting_money_type() ~ ')',
        }) }} as "billItem",
        cast(live_products.default_type as {{ dbt.type_string() }}) as category,
        {{ unified_iso_timestamp('live_products.created_date') }} as "createdAt",
        cast(live_products.tenant_id as {{ dbt.type_string() }}) as tenant_id,
        {{ unified_iso_timestamp('live_products.modified_date') }} as "updatedAt",
        cast(
            live_products.purchases_finance_account_id is not null
            or coalesce(live_products.buying_price, 0) <> 0
            or live_products.supplier_id is not null
            as {{ dbt.type_boolean() }}
        ) as "isBillItem",
        cast(
            case
                when live_products.code is not null
                    then {{ dbt.concat(['live_products.code', "' '", 'live_products.name']) }}
                else live_products.name
            end
            as {{ dbt.type_string() }}
        ) as "displayName",
        {{ unified_struct({
            'accountId': 'product_accounts.sales_account_id',
            'description': 'live_products.description',
            'unitPrice': 'cast(live_products.price as ' ~ accounting_money_type() ~ ')',
        }) }} as "invoiceItem",
        {{ unified_empty_list(data_type='struct("name" varchar, "value" varchar)[]') }} as "customFields",
        cast(null as {{ dbt.type_string() }}) as "invStartDate",
        cast(null as {{ dbt.type_string() }}) as "reorderPoint",
        cast(
            live_products.sales_finance_account_id is not null
            or coalesce(live_products.price, 0) <> 0
            as {{ dbt.type_boolean() }}
        ) as "isInvoiceItem",
        cast(live_products.depots_total_amounts as {{ accounting_money_type() }}) as "quantityOnHand",
        -- beyond the documented properties
        cast(live_products.unit as {{ dbt.type_string() }}) as unit,
        cast(live_products.supplier_id as {{ dbt.type_string() }}) as "vendorId"
    from live_products
    left join product_accounts
        on
            live_products.tenant_id = product_accounts.tenant_id
            and live_products.product_id = product_accounts.product_id
    left join vat_codes
        on
            live_products.tenant_id = vat_codes.tenant_id
            and live_products.default_vat_code_id = vat_codes.vat_code_id
)

select * from final
