-- One row per Scoro product (a good or service the company sells or buys), deleted products kept (hg_deleted).
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

-- The accounts an item posts to: its sales and purchases finance accounts, else the defaults
-- (the general ledger's rule for a line that names no finance account).
product_accounts as (
    select
        products.tenant_id,
        products.product_id,
        coalesce(sales_account.account_id, default_sales_account.account_id) as sales_account_id,
        coalesce(sales_account.name, default_sales_account.name) as sales_account_name,
        coalesce(sales_account.account_number, default_sales_account.account_number) as sales_account_number,
        coalesce(purchases_account.account_id, default_purchases_account.account_id) as purchases_account_id
    from products
    left join accounts as sales_account
        on
            products.tenant_id = sales_account.tenant_id
            and cast(products.sales_finance_account_id as {{ dbt.type_string() }}) = sales_account.account_id
            and sales_account.account_source = 'scoro_finance_account'
    left join accounts as default_sales_account
        on
            products.tenant_id = default_sales_account.tenant_id
            and default_sales_account.account_id = '{{ var("scoro_default_sales_account") }}'
    left join accounts as purchases_account
        on
            products.tenant_id = purchases_account.tenant_id
            and cast(products.purchases_finance_account_id as {{ dbt.type_string() }})
            = purchases_account.account_id
            and purchases_account.account_source = 'scoro_finance_account'
    left join accounts as default_purchases_account
        on
            products.tenant_id = default_purchases_account.tenant_id
            and default_purchases_account.account_id = '{{ var("scoro_default_purchases_account") }}'
),

final as (
    select
        cast(products.product_id as {{ dbt.type_string() }}) as id,
        cast(products.code as {{ dbt.type_string() }}) as sku,
        cast(products.code as {{ dbt.type_string() }}) as code,
        cast(products.name as {{ dbt.type_string() }}) as name,
        cast(
            case
                when products.is_service then 'Service'
                when products.depots_total_amounts is not null then 'Inventory'
                else 'NonInventory'
            end
            as {{ dbt.type_string() }}
        ) as type,
        cast(coalesce(products.is_active, true) and not products.is_deleted as {{ dbt.type_boolean() }}) as active,
        cast(vat_codes.vat_code as {{ dbt.type_string() }}) as "taxCode",
        cast(vat_codes.percent > 0 as {{ dbt.type_boolean() }}) as taxable,
        {{ unified_struct({
            'accountId': 'product_accounts.sales_account_id',
            'accountName': 'product_accounts.sales_account_name',
            'accountNumber': 'product_accounts.sales_account_number',
        }) }} as accounts,
        {{ unified_struct({
            'accountId': 'product_accounts.purchases_account_id',
            'description': 'coalesce(products.description2, products.description)',
            'unitPrice': 'cast(products.buying_price as ' ~ accounting_money_type() ~ ')',
        }) }} as "billItem",
        cast(products.default_type as {{ dbt.type_string() }}) as category,
        {{ unified_iso_timestamp('products.created_date') }} as "createdAt",
        cast(products.tenant_id as {{ dbt.type_string() }}) as tenant_id,
        {{ unified_iso_timestamp('products.modified_date') }} as "updatedAt",
        cast(
            products.purchases_finance_account_id is not null
            or coalesce(products.buying_price, 0) <> 0
            or products.supplier_id is not null
            as {{ dbt.type_boolean() }}
        ) as "isBillItem",
        cast(
            case
                when products.code is not null
                    then {{ dbt.concat(['products.code', "' '", 'products.name']) }}
                else products.name
            end
            as {{ dbt.type_string() }}
        ) as "displayName",
        {{ unified_struct({
            'accountId': 'product_accounts.sales_account_id',
            'description': 'products.description',
            'unitPrice': 'cast(products.price as ' ~ accounting_money_type() ~ ')',
        }) }} as "invoiceItem",
        {{ unified_empty_list(data_type='struct("name" varchar, "value" varchar)[]') }} as "customFields",
        cast(null as {{ dbt.type_string() }}) as "invStartDate",
        cast(null as {{ dbt.type_string() }}) as "reorderPoint",
        cast(
            products.sales_finance_account_id is not null
            or coalesce(products.price, 0) <> 0
            as {{ dbt.type_boolean() }}
        ) as "isInvoiceItem",
        cast(products.depots_total_amounts as {{ accounting_money_type() }}) as "quantityOnHand",
        -- beyond the documented properties
        cast(products.is_deleted as {{ dbt.type_boolean() }}) as hg_deleted,
        cast(products.unit as {{ dbt.type_string() }}) as unit,
        cast(products.supplier_id as {{ dbt.type_string() }}) as "vendorId"
    from products
    left join product_accounts
        on
            products.tenant_id = product_accounts.tenant_id
            and products.product_id = product_accounts.product_id
    left join vat_codes
        on
            products.tenant_id = vat_codes.tenant_id
            and products.default_vat_code_id = vat_codes.vat_code_id
)

select * from final
