-- One row per general ledger line on an income-statement account, in the account's natural sign.
{#- Incremental by journal entry (DECISIONLOG.md "Scale"): the entries whose fingerprint changed are built again. -#}
{{ config(
    materialized=accounting_incremental_materialization(),
    incremental_strategy='replace_keys',
    on_schema_change='fail',
    unique_key=['tenant_id', 'journal_entry_id'],
    replaced_marker_column='id',
) }}
{%- set incremental = accounting_is_incremental_by_fingerprint() %}
{%- set fingerprinted_columns = [
    'tenant_id', 'journal_entry_id', 'line_index', 'transaction_date', 'transaction_type', 'document_type',
    'account_id', 'account_number', 'account_label', 'parent_account_label', 'account_parent_id',
    'account_parent_name', 'account_type', 'account_classification', 'account_normal_balance', 'posting_type',
    'signed_amount_base', 'base_currency', 'description', 'entity_name', 'customer_id', 'vendor_id',
    'finance_object_name',
] %}

with

general_ledger as (
    select * from {{ ref('int_scoro__general_ledger') }}
),

accounts as (
    select * from {{ ref('int_scoro__accounts') }}
),

finance_objects as (
    select * from {{ ref('int_scoro__finance_objects') }}
),

-- "<number> <name>", or the name alone for an account without a number.
account_labels as (
    select
        tenant_id,
        account_id,
        case
            when account_number is not null then {{ dbt.concat(['account_number', "' '", 'name']) }}
            else name
        end as account_label
    from accounts
),

-- every ledger row with the labels of its account and parent account and its finance object's name
ledger_lines as (
    select
        general_ledger.*,
        account_labels.account_label,
        parent_labels.account_label as parent_account_label,
        finance_objects.name as finance_object_name
    from general_ledger
    left join account_labels
        on
            general_ledger.tenant_id = account_labels.tenant_id
            and general_ledger.account_id = account_labels.account_id
    left join account_labels as parent_labels
        on
            general_ledger.tenant_id = parent_labels.tenant_id
            and general_ledger.account_parent_id = parent_labels.account_id
    left join finance_objects
        on
            general_ledger.tenant_id = finance_objects.tenant_id
            and general_ledger.finance_object_id = finance_objects.finance_object_id
),

-- what each entry with a line in this report is built from (all its rows: the split names the other side),
-- kept on its rows for the next run to compare
current_entries as (
    select
        tenant_id,
        journal_entry_id,
        {{ accounting_rows_fingerprint(fingerprinted_columns) }} as source_fingerprint
    from ledger_lines
    group by tenant_id, journal_entry_id
    having
        sum(
            case
                when account_classification = 'incomestatement' and document_type <> 'year_end_close' then 1
                else 0
            end
        ) > 0
),

{% if incremental %}
    -- new entries, entries whose rows or dimensions changed, and entries gone
    {{ accounting_changed_entries() }},
{% endif %}

-- the rows of the entries built in this run: all of them, or those of the changed entries
posted_lines as (
    {{ accounting_rows_of_changed_entries('ledger_lines', incremental) }}
),

-- Per entry and posting side: the one account on that side, or 'Multiple' when several. The
-- currency-rounding account is left out: its cents would turn every foreign-currency split into
-- 'Multiple' (a side holding nothing else keeps it).
entry_sides as (
    select
        tenant_id,
        journal_entry_id,
        posting_type,
        case
            when count(distinct account_id) = 1 then min(account_label)
            when
                count(
                    distinct case
                        when account_id <> '{{ var("scoro_fx_rounding_account") }}'
                            then account_id
                    end
                ) = 1
                then min(
                    case
                        when account_id <> '{{ var("scoro_fx_rounding_account") }}'
                            then account_label
                    end
                )
            else 'Multiple'
        end as side_label
    from posted_lines
    group by tenant_id, journal_entry_id, posting_type
),

income_statement_lines as (
    select
        posted_lines.*,
        other_side.side_label as split_label,
        -- natural sign: income and other income credit-positive, expenses debit-positive
        case
            when posted_lines.account_normal_balance = 'Credit' then -posted_lines.signed_amount_base
            else posted_lines.signed_amount_base
        end as natural_amount
    from posted_lines
    left join entry_sides as other_side
        on
            posted_lines.tenant_id = other_side.tenant_id
            and posted_lines.journal_entry_id = other_side.journal_entry_id
            and posted_lines.posting_type <> other_side.posting_type
    -- the year-end close is not a result of the year: it moves the result to retained earnings
    where
        posted_lines.account_classification = 'incomestatement'
        and posted_lines.document_type <> 'year_end_close'
),

-- the lines built in this run, keyed by their entry; in an incremental run, a changed entry with no line
-- here any more gets one row with only its key (no id): the strategy deletes its rows and inserts nothing
built_lines as (
    select
        {% if incremental %}
            changed_entries.tenant_id as entry_tenant_id,
            changed_entries.journal_entry_id as entry_journal_entry_id,
        {% else %}
            income_statement_lines.tenant_id as entry_tenant_id,
            income_statement_lines.journal_entry_id as entry_journal_entry_id,
        {% endif %}
        income_statement_lines.*,
        current_entries.source_fingerprint
    {% if incremental %}
        from changed_entries
        left join income_statement_lines
            on
                changed_entries.tenant_id = income_statement_lines.tenant_id
                and changed_entries.journal_entry_id = income_statement_lines.journal_entry_id
        left join current_entries
            on
                changed_entries.tenant_id = current_entries.tenant_id
                and changed_entries.journal_entry_id = current_entries.journal_entry_id
    {% else %}
        from income_statement_lines
        left join current_entries
            on
                income_statement_lines.tenant_id = current_entries.tenant_id
                and income_statement_lines.journal_entry_id = current_entries.journal_entry_id
    {% endif %}
),

final as (
    select
        cast(
            {{ dbt.concat(['journal_entry_id', "'_'", 'cast(line_index as ' ~ dbt.type_string() ~ ')']) }}
            as {{ dbt.type_string() }}
        ) as id,
        cast(account_number as {{ dbt.type_string() }}) as "Num",
        {{ unified_iso_date('transaction_date') }} as "Date",
        cast(description as {{ dbt.type_string() }}) as "Memo",
        cast(entity_name as {{ dbt.type_string() }}) as "Name",
        cast(finance_object_name as {{ dbt.type_string() }}) as "Class",
        cast(split_label as {{ dbt.type_string() }}) as "Split",
        cast(natural_amount as {{ accounting_base_money_type() }}) as "Amount",
        -- [section, parent account, account]; the parent is left out for an account without one
        case
            when coalesce(parent_account_label, account_parent_name) is not null
                then {{ unified_list([
                    'cast(account_type as ' ~ dbt.type_string() ~ ')',
                    'cast(coalesce(parent_account_label, account_parent_name) as ' ~ dbt.type_string() ~ ')',
                    'cast(account_label as ' ~ dbt.type_string() ~ ')',
                ]) }}
            else {{ unified_list([
                'cast(account_type as ' ~ dbt.type_string() ~ ')',
                'cast(account_label as ' ~ dbt.type_string() ~ ')',
            ]) }}
        end as "Categories",
        cast(finance_object_name as {{ dbt.type_string() }}) as "Department",
        cast(tenant_id as {{ dbt.type_string() }}) as "CompanyName",
        cast(entity_name as {{ dbt.type_string() }}) as entity_name,
        cast(
            case
                when customer_id is not null then 'Customer'
                when vendor_id is not null then 'Vendor'
            end
            as {{ dbt.type_string() }}
        ) as entity_type,
        cast(transaction_type as {{ dbt.type_string() }}) as "TransactionType",
        -- beyond the documented properties
        cast(entry_tenant_id as {{ dbt.type_string() }}) as tenant_id,
        cast(entry_journal_entry_id as {{ dbt.type_string() }}) as journal_entry_id,
        cast(account_id as {{ dbt.type_string() }}) as account_id,
        cast(base_currency as {{ dbt.type_string() }}) as currency,
        -- the ledger posts nothing for deleted documents and payments: no line is of a deleted record
        cast(false as {{ dbt.type_boolean() }}) as hg_deleted,
        -- bookkeeping of the incremental build: what the entry was built from
        source_fingerprint
    from built_lines
)

select * from final
