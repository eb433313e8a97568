-- One row per journal entry of the general ledger (a posted Scoro document or payment), its debits and credits nested.
with

general_ledger as (
    select * from {{ ref('int_scoro__general_ledger') }}
),

projects as (
    select * from {{ ref('stg_scoro__projects') }}
),

vat_codes as (
    select * from {{ ref('stg_scoro__vat_codes') }}
),

invoice_custom_fields as (
    select * from {{ ref('stg_scoro__invoice_custom_fields') }}
),

bill_custom_fields as (
    select * from {{ ref('stg_scoro__bill_custom_fields') }}
),

custom_fields as (
    select * from {{ ref('stg_scoro__custom_fields') }}
),

finance_objects as (
    select * from {{ ref('int_scoro__finance_objects') }}
),

ledger_lines as (
    select
        general_ledger.*,
        projects.project_name,
        vat_codes.vat_code,
        finance_objects.name as finance_object_name
    from general_ledger
    left join finance_objects
        on
            general_ledger.tenant_id = finance_objects.tenant_id
            and general_ledger.finance_object_id = finance_objects.finance_object_id
    left join projects
        on
            general_ledger.tenant_id = projects.tenant_id
            and general_ledger.project_id = projects.project_id
    left join vat_codes
        on
            general_ledger.tenant_id = vat_codes.tenant_id
            and general_ledger.vat_code_id = vat_codes.vat_code_id
),

entry_lines as (
    select
        tenant_id,
        journal_entry_id,
        {{ unified_list_agg(unified_struct({
            'accountId': 'account_id',
            'accountName': 'account_name',
            'accountNumber': 'account_number',
            'amount': 'cast(amount as ' ~ accounting_money_type() ~ ')',
            'classId': 'cast(finance_object_id as ' ~ dbt.type_string() ~ ')',
            'className': 'finance_object_name',
            'costCenter': 'finance_object_name',
            'costUnit': 'cast(null as ' ~ dbt.type_string() ~ ')',
            'customFields': unified_empty_list(data_type='struct("name" varchar, "value" varchar)[]'),
            'customerName': 'case when customer_id is not null then entity_name end',
            'departmentId': 'cast(finance_object_id as ' ~ dbt.type_string() ~ ')',
            'departmentName': 'finance_object_name',
            'description': 'description',
            'locationId': 'cast(null as ' ~ dbt.type_string() ~ ')',
            'locationName': 'cast(null as ' ~ dbt.type_string() ~ ')',
            'postingType': 'posting_type',
            'projectId': 'cast(project_id as ' ~ dbt.type_string() ~ ')',
            'projectName': 'project_name',
            'taxCode': 'vat_code',
        }), 'line_index') }} as journal_lines
    from ledger_lines
    group by tenant_id, journal_entry_id
),

-- One header per entry: its document, date and currency are the same on every line; its
-- description is the first line's (the document's own description, or the payment's).
entry_headers as (
    select
        tenant_id,
        journal_entry_id,
        transaction_date,
        transaction_type,
        document_type,
        document_id,
        document_number,
        currency,
        case when vendor_id is not null then entity_name end as supplier_name,
        description
    from ledger_lines
    where line_index = 1
),

-- The entry's finance object: the one its rows carry, when they carry exactly one.
entry_finance_objects as (
    select
        tenant_id,
        journal_entry_id,
        max(finance_object_id) as finance_object_id,
        max(finance_object_name) as finance_object_name
    from ledger_lines
    where finance_object_id is not null
    group by tenant_id, journal_entry_id
    having count(distinct finance_object_id) = 1
),

-- The custom fields of the document an entry posts (invoices, credit invoices and bills;
-- payments carry none).
document_custom_fields as (
    select
        tenant_id,
        'invoice' as document_kind,
        invoice_id as document_id,
        id as custom_field_id,
        name,
        value
    from invoice_custom_fields
    union all
    select
        tenant_id,
        'bill' as document_kind,
        bill_id as document_id,
        id as custom_field_id,
        name,
        value
    from bill_custom_fields
),

custom_field_lists as (
    select
        document_custom_fields.tenant_id,
        document_custom_fields.document_kind,
        document_custom_fields.document_id,
        {{ unified_list_agg(unified_struct({
            'name': 'coalesce(document_custom_fields.name, custom_fields.name, document_custom_fields.custom_field_id)',
            'value': 'document_custom_fields.value',
        }), 'document_custom_fields.custom_field_id') }} as custom_fields
    from document_custom_fields
    left join custom_fields
        on
            document_custom_fields.tenant_id = custom_fields.tenant_id
            and document_custom_fields.custom_field_id = custom_fields.id
    group by document_custom_fields.tenant_id, document_custom_fields.document_kind, document_custom_fields.document_id
),

final as (
    select
        cast(entry_headers.journal_entry_id as {{ dbt.type_string() }}) as id,
        cast(entry_headers.document_number as {{ dbt.type_string() }}) as number,
        cast(entry_finance_objects.finance_object_id as {{ dbt.type_string() }}) as "classId",
        cast(entry_headers.currency as {{ dbt.type_string() }}) as currency,
        cast(entry_finance_objects.finance_object_name as {{ dbt.type_string() }}) as "className",
        cast(entry_headers.tenant_id as {{ dbt.type_string() }}) as tenant_id,
        cast(entry_headers.description as {{ dbt.type_string() }}) as description,
        {{ unified_empty_list('custom_field_lists.custom_fields') }} as "customFields",
        cast(entry_finance_objects.finance_object_id as {{ dbt.type_string() }}) as "departmentId",
        entry_lines.journal_lines as "journalLines",
        cast(entry_headers.supplier_name as {{ dbt.type_string() }}) as "supplierName",
        cast(entry_finance_objects.finance_object_name as {{ dbt.type_string() }}) as "departmentName",
        {{ unified_iso_date('entry_headers.transaction_date') }} as "transactionDate",
        cast(
            case
                when
                    entry_headers.document_type in (
                        'invoice_receipt', 'bill_payment', 'prepayment', 'prepayment_setoff', 'credit_allocation',
                        'expense_receipt'
                    )
                    then entry_headers.document_number
            end
            as {{ dbt.type_string() }}
        ) as "paymentReference",
        -- beyond the documented properties
        cast(entry_headers.transaction_type as {{ dbt.type_string() }}) as "transactionType",
        cast(entry_headers.document_type as {{ dbt.type_string() }}) as "documentType",
        cast(entry_headers.document_id as {{ dbt.type_string() }}) as "documentId",
        -- the ledger posts nothing for deleted documents and payments: no entry is of a deleted record
        cast(false as {{ dbt.type_boolean() }}) as hg_deleted
    from entry_headers
    inner join entry_lines
        on
            entry_headers.tenant_id = entry_lines.tenant_id
            and entry_headers.journal_entry_id = entry_lines.journal_entry_id
    left join entry_finance_objects
        on
            entry_headers.tenant_id = entry_finance_objects.tenant_id
            and entry_headers.journal_entry_id = entry_finance_objects.journal_entry_id
    left join custom_field_lists
        on
            entry_headers.tenant_id = custom_field_lists.tenant_id
            and entry_headers.document_id = custom_field_lists.document_id
            and custom_field_lists.document_kind = case entry_headers.document_type
                when 'invoice' then 'invoice'
                when 'credit_invoice' then 'invoice'
                when 'bill' then 'bill'
            end
)

select * from final
