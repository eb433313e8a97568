-- One row per Scoro bill (purchase invoice), deleted bills kept with hg_deleted = true.
with

bills as (
    select * from {{ ref('stg_scoro__bills') }}
),

bill_lines as (
    select * from {{ ref('stg_scoro__bill_lines') }}
),

bill_custom_fields as (
    select * from {{ ref('stg_scoro__bill_custom_fields') }}
),

open_items as (
    select * from {{ ref('int_scoro__document_open_items') }}
),

products as (
    select * from {{ ref('stg_scoro__products') }}
),

vat_codes as (
    select * from {{ ref('stg_scoro__vat_codes') }}
),

custom_fields as (
    select * from {{ ref('stg_scoro__custom_fields') }}
),

accounts as (
    select * from {{ ref('int_scoro__accounts') }}
),

status_map as (
    select * from {{ ref('scoro_status_map') }}
),

-- Each line with its account, resolved as the general ledger posts it: the line's finance
-- account, else its product's purchases account, else the default purchases account.
line_accounts as (
    {{ accounting_line_accounts('bill_lines', 'purchases_finance_account_id', var('scoro_default_purchases_account')) }}
),

lines as (
    select
        line_accounts.tenant_id,
        line_accounts.bill_id,
        line_accounts.id as line_id,
        line_accounts.product_id,
        bills.purchase_order_id,
        line_accounts.sum as line_sum,
        line_accounts.finance_object_id,
        line_accounts.finance_object_name,
        coalesce(line_accounts.product_name, line_accounts.catalogue_product_name) as product_name,
        coalesce(line_accounts.comment, line_accounts.product_name) as description,
        -- Scoro's quantity is amount × amount2 (e.g. 3 people × 5 days): sum = price × both × (1 − discount)
        line_accounts.amount * coalesce(line_accounts.amount2, 1) as quantity,
        line_accounts.price as unit_price,
        line_accounts.price * line_accounts.amount * coalesce(line_accounts.amount2, 1)
        - line_accounts.sum as discount_amount,
        {{ accounting_vat_amount('coalesce(line_accounts.sum, 0)', 'coalesce(line_accounts.vat, 0)') }} as tax_amount,
        line_accounts.tax_code,
        line_accounts.account_id,
        line_accounts.account_name,
        line_accounts.account_number
    from line_accounts
    inner join bills
        on
            line_accounts.tenant_id = bills.tenant_id
            and line_accounts.bill_id = bills.id
    -- internal cost lines are not part of the bill (Scoro leaves them out of its sums)
    where not coalesce(line_accounts.is_internal, false)
),

-- Lines that name a product are item lines (lineItems) ...
item_lists as (
    select
        tenant_id,
        bill_id,
        {{ unified_list_agg(accounting_line_item(order_id='purchase_order_id'), 'line_id') }} as line_items
    from lines
    where product_id is not null
    group by tenant_id, bill_id
),

-- ... lines without a product are account-based expense lines (expenses).
expense_lists as (
    select
        tenant_id,
        bill_id,
        {{ unified_list_agg(unified_struct({
            'accountId': 'account_id',
            'accountNumber': 'account_number',
            'amount': 'cast(line_sum as ' ~ accounting_money_type() ~ ')',
            'department': 'finance_object_name',
            'id': 'cast(line_id as ' ~ dbt.type_string() ~ ')',
            'taxAmount': 'cast(tax_amount as ' ~ accounting_money_type() ~ ')',
            'taxCode': 'tax_code',
        }), 'line_id') }} as expenses
    from lines
    where product_id is null
    group by tenant_id, bill_id
),

custom_field_lists as (
    {{ accounting_custom_field_lists('bill_custom_fields', 'bill_id') }}
),

bill_amounts as (
    select
        bills.*,
        coalesce(bills.company_id, bills.person_id) as vendor_id,
        coalesce(bills.sum, 0) + coalesce(bills.vat_sum, 0) as total_amount,
        -- from the open-item allocation model; a deleted bill (not in it) owes nothing
        coalesce(open_items.paid_amount, 0) as paid_amount,
        case
            when bills.is_deleted then 0
            else coalesce(open_items.open_amount, coalesce(bills.sum, 0) + coalesce(bills.vat_sum, 0))
        end as amount_due,
        case when bills.is_deleted then 0 else coalesce(open_items.open_amount_base, 0) end as balance_base,
        open_items.settled_on as paid_date,
        item_lists.line_items,
        expense_lists.expenses,
        custom_field_lists.custom_fields
    from bills
    left join open_items
        on
            bills.tenant_id = open_items.tenant_id
            and bills.id = open_items.document_id
            and open_items.document_type = 'bill'
    left join item_lists
        on
            bills.tenant_id = item_lists.tenant_id
            and bills.id = item_lists.bill_id
    left join expense_lists
        on
            bills.tenant_id = expense_lists.tenant_id
            and bills.id = expense_lists.bill_id
    left join custom_field_lists
        on
            bills.tenant_id = custom_field_lists.tenant_id
            and bills.id = custom_field_lists.bill_id
),

final as (
    select
        cast(bill_amounts.id as {{ dbt.type_string() }}) as id,
        cast(bill_amounts.description as {{ dbt.type_string() }}) as notes,
        cast(bill_amounts.no as {{ dbt.type_string() }}) as number,
        -- Scoro bills are only paid or unpaid; a deleted bill is void
        cast(
            case when bill_amounts.is_deleted then 'Void' else coalesce(status_map.unified_status, 'Unknown') end
            as {{ dbt.type_string() }}
        ) as status,
        -- open amount in the base currency, as Accounts Payable carries it: the bill total converted,
        -- minus its settlements converted cumulatively (so a paid bill leaves exactly 0); 0 when deleted
        cast(bill_amounts.balance_base as {{ accounting_base_money_type() }}) as balance,
        {{ unified_iso_date('bill_amounts.deadline') }} as "dueDate",
        cast({{ accounting_currency('bill_amounts.currency') }} as {{ dbt.type_string() }}) as currency,
        {{ unified_empty_list('bill_amounts.expenses') }} as expenses,
        cast(null as {{ dbt.type_string() }}) as location,
        {{ unified_iso_date('bill_amounts.paid_date') }} as "paidDate",
        cast(bill_amounts.vendor_id as {{ dbt.type_string() }}) as "vendorId",
        {{ unified_iso_timestamp('bill_amounts.created_date') }} as "createdAt",
        {{ unified_iso_date('bill_amounts.date') }} as "issueDate",
        {{ unified_empty_list('bill_amounts.line_items') }} as "lineItems",
        cast(bill_amounts.tenant_id as {{ dbt.type_string() }}) as tenant_id,
        {{ unified_iso_timestamp('bill_amounts.modified_date') }} as "updatedAt",
        case
            when bill_amounts.reference_no is not null
                then {{ unified_struct({
                    'name': "cast('reference_no' as " ~ dbt.type_string() ~ ")",
                    'value': 'bill_amounts.reference_no',
                }) }}
        end as "externalId",
        cast(bill_amounts.is_deleted as {{ dbt.type_boolean() }}) as hg_deleted,
        cast(null as {{ dbt.type_string() }}) as "locationId",
        cast(coalesce(bill_amounts.company_name, bill_amounts.person_name) as {{ dbt.type_string() }}) as "vendorName",
        cast(payables_account.account_number as {{ dbt.type_string() }}) as "accountCode",
        cast(payables_account.name as {{ dbt.type_string() }}) as "accountName",
        {{ unified_empty_list(
            data_type='struct("id" varchar, "name" varchar, "url" varchar)[]'
        ) }} as attachments,
        cast(bill_amounts.total_amount as {{ accounting_money_type() }}) as "totalAmount",
        {{ unified_empty_list('bill_amounts.custom_fields') }} as "customFields",
        cast(bill_amounts.amount_due as {{ accounting_money_type() }}) as "currencyBalance",
        -- beyond the documented properties
        cast(bill_amounts.sum as {{ accounting_money_type() }}) as "subTotal",
        cast(bill_amounts.vat_sum as {{ accounting_money_type() }}) as "totalTaxAmount",
        cast(bill_amounts.paid_amount as {{ accounting_money_type() }}) as "paidAmount",
        cast(bill_amounts.currency_rate as {{ accounting_money_type() }}) as "currencyRate",
        cast(bill_amounts.purchase_order_id as {{ dbt.type_string() }}) as "purchaseOrderId",
        cast(bill_amounts.project_id as {{ dbt.type_string() }}) as "projectId"
    from bill_amounts
    left join accounts as payables_account
        on
            bill_amounts.tenant_id = payables_account.tenant_id
            and payables_account.account_id = '{{ var("scoro_accounts_payable_account") }}'
    left join status_map
        on
            status_map.scoro_module = 'bills'
            and lower(status_map.scoro_status) = lower(trim(bill_amounts.status))
            and status_map.is_partially_paid = (bill_amounts.paid_amount <> 0 and bill_amounts.amount_due > 0)
)

select * from final
