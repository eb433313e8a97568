-- One row per journal entry of the general ledger (a posted Scoro document or payment), its debits and credits nested.
{#- Incremental by journal entry (DECISIONLOG.md "Scale"): the entries whose fingerprint changed are built again. -#}
{{ config(
    materialized=accounting_incremental_materialization(),
    incremental_strategy='replace_keys',
    on_schema_change='fail',
    unique_key=['tenant_id', 'id'],
    replaced_marker_column='journalLines',
) }}
{%- set incremental = accounting_is_incremental_by_fingerprint() %}
{%- set fingerprinted_columns = [
    'tenant_id', 'journal_entry_id', 'line_index', 'transaction_date', 'transaction_type', 'document_type',
    'document_id', 'document_number', 'currency', 'account_id', 'account_name', 'account_number', 'amount',
    'posting_type', 'customer_id', 'vendor_id', 'entity_name', 'description', 'project_id', 'project_name',
    'vat_code', 'finance_object_id', 'finance_object_name',
] %}

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

-- The custom fields of the document an entry posts (invoices, credit invoices and bills;
-- payments carry none).
document_custom_fields as (
    select
        invoice_custom_fields.tenant_id,
        'invoice' as document_kind,
        invoice_custom_fields.invoice_id as document_id,
        invoice_custom_fields.id as custom_field_id,
        coalesce(invoice_custom_fields.name, custom_fields.name, invoice_custom_fields.id) as name,
        invoice_custom_fields.value
    from invoice_custom_fields
    left join custom_fields
        on
            invoice_custom_fields.tenant_id = custom_fields.tenant_id
            and invoice_custom_fields.id = custom_fields.id
    union all
    select
        bill_custom_fields.tenant_id,
        'bill' as document_kind,
        bill_custom_fields.bill_id as document_id,
        bill_custom_fields.id as custom_field_id,
        coalesce(bill_custom_fields.name, custom_fields.name, bill_custom_fields.id) as name,
        bill_custom_fields.value
    from bill_custom_fields
    left join custom_fields
        on
            bill_custom_fields.tenant_id = custom_fields.tenant_id
            and bill_custom_fields.id = custom_fields.id
),

-- the custom fields an entry carries: those of its document, if it posts an invoice, credit invoice or bill
entry_documents as (
    select distinct
        tenant_id,
        journal_entry_id,
        document_id,
        case document_type
            when 'invoice' then 'invoice'
            when 'credit_invoice' then 'invoice'
            when 'bill' then 'bill'
        end as document_kind
    from ledger_lines
    where line_index = 1
),

-- what each entry is built from: this run's, kept on its row for the next run to compare
entry_fingerprints as (
    select
        tenant_id,
        journal_entry_id,
        {{ accounting_rows_fingerprint(fingerprinted_columns) }} as lines_fingerprint
    from ledger_lines
    group by tenant_id, journal_entry_id
),

document_fingerprints as (
    select
        tenant_id,
        document_kind,
        document_id,
        {{ accounting_rows_fingerprint(['custom_field_id', 'name', 'value']) }} as custom_fields_fingerprint
    from document_custom_fields
    group by tenant_id, document_kind, document_id
),

current_entries as (
    select
        entry_fingerprints.tenant_id,
        entry_fingerprints.journal_entry_id,
        {{ dbt.concat([
            'entry_fingerprints.lines_fingerprint', "'/'",
            "coalesce(document_fingerprints.custom_fields_fingerprint, '')",
        ]) }} as source_fingerprint
    from entry_fingerprints
    -- an entry is its first row's (as its header): entries always have one
    inner join entry_documents
        on
            entry_fingerprints.tenant_id = entry_documents.tenant_id
            and entry_fingerprints.journal_entry_id = entry_documents.journal_entry_id
    left join document_fingerprints
        on
            entry_documents.tenant_id = document_fingerprints.tenant_id
            and entry_documents.document_kind = document_fingerprints.document_kind
            and entry_documents.document_id = document_fingerprints.document_id
),

{% if incremental %}
    -- new entries, entries whose rows or dimensions changed, and entries gone
    {{ accounting_changed_entries('id') }},
{% endif %}

{% if incremental %}
    changed_documents as (
        select distinct
            entry_documents.tenant_id,
            entry_documents.document_kind,
            entry_documents.document_id
        from entry_documents
        inner join changed_entries
            on
                entry_documents.tenant_id = changed_entries.tenant_id
                and entry_documents.journal_entry_id = changed_entries.journal_entry_id
    ),
{% endif %}

-- the rows of the entries built in this run: all of them, or those of the changed entries
posted_lines as (
    {{ accounting_rows_of_changed_entries('ledger_lines', incremental) }}
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
    from posted_lines
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
    from posted_lines
    where line_index = 1
),

-- The entry's finance object: the one its rows carry, when they carry exactly one.
entry_finance_objects as (
    select
        tenant_id,
        journal_entry_id,
        max(finance_object_id) as finance_object_id,
        max(finance_object_name) as finance_object_name
    from posted_lines
    where finance_object_id is not null
    group by tenant_id, journal_entry_id
    having count(distinct finance_object_id) = 1
),

custom_field_lists as (
    select
        document_custom_fields.tenant_id,
        document_custom_fields.document_kind,
        document_custom_fields.document_id,
        {{ unified_list_agg(unified_struct({
            'name': 'document_custom_fields.name',
            'value': 'document_custom_fields.value',
        }), 'document_custom_fields.custom_field_id') }} as custom_fields
    from document_custom_fields
    {% if incremental %}
        inner join changed_documents
            on
                document_custom_fields.tenant_id = changed_documents.tenant_id
                and document_custom_fields.document_kind = changed_documents.document_kind
                and document_custom_fields.document_id = changed_documents.document_id
    {% endif %}
    group by document_custom_fields.tenant_id, document_custom_fields.document_kind, document_custom_fields.document_id
),

-- the entries built in this run; in an incremental run, a changed entry that no longer posts gets a row
-- with only its key (no journalLines): the strategy deletes its rows and inserts nothing for it
built_entries as (
    select
        tenant_id,
        journal_entry_id
    {% if incremental %}
        from changed_entries
    {% else %}
        from entry_headers
    {% endif %}
),

final as (
    select
        cast(built_entries.journal_entry_id as {{ dbt.type_string() }}) as id,
        cast(entry_headers.document_number as {{ dbt.type_string() }}) as number,
        cast(entry_finance_objects.finance_object_id as {{ dbt.type_string() }}) as "classId",
        cast(entry_headers.currency as {{ dbt.type_string() }}) as currency,
        cast(entry_finance_objects.finance_object_name as {{ dbt.type_string() }}) as "className",
        cast(built_entries.tenant_id as {{ dbt.type_string() }}) as tenant_id,
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
        cast(false as {{ dbt.type_boolean() }}) as hg_deleted,
        -- bookkeeping of the incremental build: what the entry was built from
        current_entries.source_fingerprint
    from built_entries
    left join entry_headers
        on
            built_entries.tenant_id = entry_headers.tenant_id
            and built_entries.journal_entry_id = entry_headers.journal_entry_id
    left join entry_lines
        on
            built_entries.tenant_id = entry_lines.tenant_id
            and built_entries.journal_entry_id = entry_lines.journal_entry_id
    left join current_entries
        on
            built_entries.tenant_id = current_entries.tenant_id
            and built_entries.journal_entry_id = current_entries.journal_entry_id
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
