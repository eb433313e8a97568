{#-
    The pieces the document marts (invoices, credit_notes, bills) build alike. Each renders the
    body of one CTE and reads CTEs of the calling model by name, as listed per macro.

    - accounting_line_accounts(document_lines, product_account_column, default_account):
        every row of the lines CTE document_lines, plus tax_code (the line's VAT code, else its
        vat_codes row's), catalogue_product_name (the products row's name) and account_id,
        account_name, account_number: the line's account as the general ledger posts it (the
        line's finance account, else its product's <product_account_column>, else the account
        default_account). Reads CTEs products, vat_codes and accounts (int_scoro__accounts).
    - accounting_line_item(order_id=none, tax_amount=none): the unified lineItems struct of one
        row of a lines CTE (columns line_id, product_id, product_name, description, quantity,
        unit_price, discount_amount, line_sum, tax_code, finance_object_id, finance_object_name,
        account_name, account_number); with order_id, an orderId field from that expression; with
        tax_amount, a taxAmount field (credit notes). One struct for invoices, bills and credit
        notes, so a field has the same type in all three.
    - accounting_custom_field_lists(document_custom_fields, document_key, live_only=false):
        per (tenant_id, document_key) the list of the document's custom fields {name, value}, in
        id order; the name falls back to the custom_fields definition, then to the id. live_only
        leaves deleted custom field rows out. Reads CTE custom_fields.
-#}

{% macro accounting_line_accounts(document_lines, product_account_column, default_account) -%}
    select
        {{ document_lines }}.*,
        products.name as catalogue_product_name,
        coalesce({{ document_lines }}.vat_code, vat_codes.vat_code) as tax_code,
        case
            when line_account.account_id is not null then line_account.account_id
            when product_account.account_id is not null then product_account.account_id
            else default_account.account_id
        end as account_id,
        case
            when line_account.account_id is not null then line_account.name
            when product_account.account_id is not null then product_account.name
            else default_account.name
        end as account_name,
        case
            when line_account.account_id is not null then line_account.account_number
            when product_account.account_id is not null then product_account.account_number
            else default_account.account_number
        end as account_number
    from {{ document_lines }}
    left join products
        on
            {{ document_lines }}.tenant_id = products.tenant_id
            and {{ document_lines }}.product_id = products.product_id
    left join vat_codes
        on
            {{ document_lines }}.tenant_id = vat_codes.tenant_id
            and {{ document_lines }}.vat_code_id = vat_codes.vat_code_id
    left join accounts as line_account
        on
            {{ document_lines }}.tenant_id = line_account.tenant_id
            and cast({{ document_lines }}.finance_account_id as {{ dbt.type_string() }}) = line_account.account_id
            and line_account.account_source = 'scoro_finance_account'
    left join accounts as product_account
        on
            products.tenant_id = product_account.tenant_id
            and cast(products.{{ product_account_column }} as {{ dbt.type_string() }}) = product_account.account_id
            and product_account.account_source = 'scoro_finance_account'
    left join accounts as default_account
        on
            {{ document_lines }}.tenant_id = default_account.tenant_id
            and default_account.account_id = '{{ default_account }}'
{%- endmacro %}

{% macro accounting_line_item(order_id=none, tax_amount=none) -%}
    {%- set string_type = dbt.type_string() -%}
    {%- set money_type = accounting_money_type() -%}
    {%- set fields = {
        'accountName': 'account_name',
        'accountNumber': 'account_number',
        'classId': 'cast(finance_object_id as ' ~ string_type ~ ')',
        'className': 'finance_object_name',
        'customFields': unified_empty_list(data_type='struct("name" varchar, "value" varchar)[]'),
        'description': 'description',
        'discount': 'cast(discount_amount as ' ~ money_type ~ ')',
        'id': 'cast(line_id as ' ~ string_type ~ ')',
    } -%}
    {%- if order_id is not none -%}
        {%- do fields.update({'orderId': 'cast(' ~ order_id ~ ' as ' ~ string_type ~ ')'}) -%}
    {%- endif -%}
    {%- do fields.update({
        'productId': 'cast(product_id as ' ~ string_type ~ ')',
        'productName': 'product_name',
        'quantity': 'cast(quantity as ' ~ money_type ~ ')',
        'serviceDate': 'cast(null as ' ~ string_type ~ ')',
    }) -%}
    {%- if tax_amount is not none -%}
        {%- do fields.update({'taxAmount': 'cast(' ~ tax_amount ~ ' as ' ~ money_type ~ ')'}) -%}
    {%- endif -%}
    {%- do fields.update({
        'taxCode': 'tax_code',
        'totalPrice': 'cast(line_sum as ' ~ money_type ~ ')',
        'unitPrice': 'cast(unit_price as ' ~ money_type ~ ')',
    }) -%}
    {{ unified_struct(fields) }}
{%- endmacro %}

{% macro accounting_custom_field_lists(document_custom_fields, document_key, live_only=false) -%}
    select
        {{ document_custom_fields }}.tenant_id,
        {{ document_custom_fields }}.{{ document_key }},
        {{ unified_list_agg(unified_struct({
            'name': 'coalesce(' ~ document_custom_fields ~ '.name, custom_fields.name, '
                ~ document_custom_fields ~ '.id)',
            'value': document_custom_fields ~ '.value',
        }), document_custom_fields ~ '.id') }} as custom_fields
    from {{ document_custom_fields }}
    left join custom_fields
        on
            {{ document_custom_fields }}.tenant_id = custom_fields.tenant_id
            and {{ document_custom_fields }}.id = custom_fields.id
    {%- if live_only %}
    where not {{ document_custom_fields }}.is_deleted
    {%- endif %}
    group by {{ document_custom_fields }}.tenant_id, {{ document_custom_fields }}.{{ document_key }}
{%- endmacro %}
