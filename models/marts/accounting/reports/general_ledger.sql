-- One row per debit or credit in the general ledger, with its account's running balance in base currency.
{#- A table by default. With var scoro_incremental_running_balances: true, incremental by account from its first
    changed row (DECISIONLOG.md "Scale"): in an account whose rows changed, the rows from the first changed one on
    are built again, their balance continued from the rows before it. Off by default: when changes reach back to
    the first months (as the benchmark's do), that is nearly every row, and it cost more than a full build. -#}
{%- set running_incremental = var('scoro_incremental_running_balances', false) %}
{{ config(
    materialized=accounting_incremental_materialization() if running_incremental else 'table',
    incremental_strategy='replace_running_balances',
    running_partition_by=['tenant_id', 'account_id'],
    running_order_by=['transaction_date', 'journal_entry_id', 'line_index'],
    replaced_marker_column='running_balance_base',
) }}
{%- set incremental = accounting_is_incremental_by_fingerprint() %}
{%- set ledger_columns = [
    'tenant_id', 'journal_entry_id', 'line_index', 'transaction_date', 'document_type', 'transaction_type',
    'document_id', 'document_number', 'account_id', 'posting_type', 'currency', 'amount', 'amount_base',
    'base_currency', 'currency_rate', 'customer_id', 'vendor_id', 'entity_name', 'project_id', 'vat_code_id',
    'product_id', 'description', 'finance_object_id', 'document_line_id', 'signed_amount', 'signed_amount_base',
    'account_name', 'account_number', 'account_classification', 'account_type', 'account_normal_balance',
    'account_parent_id', 'account_parent_name', 'is_bank_account',
] %}
{%- set position = ['transaction_date', 'journal_entry_id', 'line_index'] %}
{#- the columns a marker row leaves null (after tenant_id, journal_entry_id, line_index, transaction_date, the
    document's four columns, account_id) -#}
{%- set unmarked_columns = ledger_columns[9:] + [
    'period_month', 'running_balance_base', 'running_balance_natural_base', 'source_fingerprint',
] %}

with

general_ledger as (
    select * from {{ ref('int_scoro__general_ledger') }}
),

{% if running_incremental %}
    -- what each entry's rows are built from, kept on its rows for the next run to compare
    current_entries as (
        select
            tenant_id,
            journal_entry_id,
            {{ accounting_rows_fingerprint(ledger_columns) }} as source_fingerprint
        from general_ledger
        group by tenant_id, journal_entry_id
    ),
{% endif %}

{% if incremental %}
    -- new entries, entries whose rows or dimensions changed, and entries gone
    {{ accounting_changed_entries() }},

    -- where the changed entries' rows were and are now
    changed_positions as (
        select
            held.tenant_id,
            held.account_id,
            held.transaction_date,
            held.journal_entry_id,
            held.line_index
        from {{ this }} as held
        inner join changed_entries
            on
                held.tenant_id = changed_entries.tenant_id
                and held.journal_entry_id = changed_entries.journal_entry_id
        union all
        select
            general_ledger.tenant_id,
            general_ledger.account_id,
            general_ledger.transaction_date,
            general_ledger.journal_entry_id,
            general_ledger.line_index
        from general_ledger
        inner join changed_entries
            on
                general_ledger.tenant_id = changed_entries.tenant_id
                and general_ledger.journal_entry_id = changed_entries.journal_entry_id
    ),

    ordered_positions as (
        select
            changed_positions.*,
            row_number() over (
                partition by changed_positions.tenant_id, changed_positions.account_id
                order by
                    changed_positions.transaction_date,
                    changed_positions.journal_entry_id,
                    changed_positions.line_index
            ) as position_order
        from changed_positions
    ),

    -- per account with a changed row: the first changed position; the rows before it stay as they are
    replaced_from as (
        select
            tenant_id,
            account_id,
            transaction_date,
            journal_entry_id,
            line_index
        from ordered_positions
        where position_order = 1
    ),

    -- the account's balance before that position: the sum of the rows before it
    opening_balances as (
        select
            replaced_from.tenant_id,
            replaced_from.account_id,
            coalesce(sum(general_ledger.signed_amount_base), 0) as opening_balance_base
        from replaced_from
        left join general_ledger
            on
                replaced_from.tenant_id = general_ledger.tenant_id
                and replaced_from.account_id = general_ledger.account_id
                and not {{ accounting_position_at_or_after('general_ledger', 'replaced_from', position) }}
        group by replaced_from.tenant_id, replaced_from.account_id
    ),
{% endif %}

-- the rows built in this run with the balance their account had before them: all rows from 0, or the rows
-- from each changed account's first changed position on
ledger_rows as (
    select
        general_ledger.*,
        {% if incremental %}
            opening_balances.opening_balance_base
        {% else %}
            0 as opening_balance_base
        {% endif %}
    from general_ledger
    {% if incremental %}
        inner join replaced_from
            on
                general_ledger.tenant_id = replaced_from.tenant_id
                and general_ledger.account_id = replaced_from.account_id
                and {{ accounting_position_at_or_after('general_ledger', 'replaced_from', position) }}
        inner join opening_balances
            on
                general_ledger.tenant_id = opening_balances.tenant_id
                and general_ledger.account_id = opening_balances.account_id
    {% endif %}
),

-- one window for both balances
running_balances as (
    select
        ledger_rows.*,
        ledger_rows.opening_balance_base + sum(ledger_rows.signed_amount_base) over (
            partition by ledger_rows.tenant_id, ledger_rows.account_id
            order by ledger_rows.transaction_date, ledger_rows.journal_entry_id, ledger_rows.line_index
            rows between unbounded preceding and current row
        ) as running_balance_base
    from ledger_rows
),

final as (
    select
        running_balances.tenant_id,
        running_balances.journal_entry_id,
        running_balances.line_index,
        running_balances.transaction_date,
        running_balances.document_type,
        running_balances.transaction_type,
        -- ids are text in schema accounting, as in the unified objects (join without casts)
        cast(running_balances.document_id as {{ dbt.type_string() }}) as document_id,
        running_balances.document_number,
        running_balances.account_id,
        running_balances.posting_type,
        running_balances.currency,
        running_balances.amount,
        running_balances.amount_base,
        running_balances.base_currency,
        running_balances.currency_rate,
        cast(running_balances.customer_id as {{ dbt.type_string() }}) as customer_id,
        cast(running_balances.vendor_id as {{ dbt.type_string() }}) as vendor_id,
        running_balances.entity_name,
        cast(running_balances.project_id as {{ dbt.type_string() }}) as project_id,
        cast(running_balances.vat_code_id as {{ dbt.type_string() }}) as vat_code_id,
        cast(running_balances.product_id as {{ dbt.type_string() }}) as product_id,
        running_balances.description,
        cast(running_balances.finance_object_id as {{ dbt.type_string() }}) as finance_object_id,
        cast(running_balances.document_line_id as {{ dbt.type_string() }}) as document_line_id,
        running_balances.signed_amount,
        running_balances.signed_amount_base,
        running_balances.account_name,
        running_balances.account_number,
        running_balances.account_classification,
        running_balances.account_type,
        running_balances.account_normal_balance,
        running_balances.account_parent_id,
        running_balances.account_parent_name,
        running_balances.is_bank_account,
        cast({{ dbt.date_trunc('month', 'running_balances.transaction_date') }} as date) as period_month,
        running_balances.running_balance_base,
        case when running_balances.account_normal_balance = 'Credit' then -1 else 1 end
        * running_balances.running_balance_base as running_balance_natural_base,
        -- bookkeeping of an incremental build: what the row's entry was built from (null in a table)
        {% if running_incremental %}
            current_entries.source_fingerprint
        {% else %}
            cast(null as {{ dbt.type_string() }}) as source_fingerprint
        {% endif %}
    from running_balances
    {% if running_incremental %}
        -- (the linter also renders the select's other branch, which does not read it)
        left join current_entries -- noqa: ST11
            on
                running_balances.tenant_id = current_entries.tenant_id
                and running_balances.journal_entry_id = current_entries.journal_entry_id
    {% endif %}
)

select * from final
{% if incremental %}
    union all
    -- one marker per changed account: the strategy deletes its rows from this position on
    select
        replaced_from.tenant_id,
        replaced_from.journal_entry_id,
        replaced_from.line_index,
        replaced_from.transaction_date,
        null as document_type,
        null as transaction_type,
        null as document_id,
        null as document_number,
        replaced_from.account_id,
        {{ unmarked_columns | map('replace', '', 'null as ', 1) | join(',\n        ') }}
    from replaced_from
{% endif %}
