-- One row per general ledger line on an income-statement account, in the account's natural sign.
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

-- Per entry and posting side: the one account on that side, or 'Multiple' when several. The
-- currency-rounding account is left out: its cents would turn every foreign-currency split into
-- 'Multiple' (a side holding nothing else keeps it).
entry_sides as (
    select
        general_ledger.tenant_id,
        general_ledger.journal_entry_id,
        general_ledger.posting_type,
        case
            when count(distinct general_ledger.account_id) = 1 then min(account_labels.account_label)
            when
                count(
                    distinct case
                        when general_ledger.account_id <> '{{ var("scoro_fx_rounding_account") }}'
                            then general_ledger.account_id
                    end
                ) = 1
                then min(
                    case
                        when general_ledger.account_id <> '{{ var("scoro_fx_rounding_account") }}'
                            then account_labels.account_label
                    end
                )
            else 'Multiple'
        end as side_label
    from general_ledger
    left join account_labels
        on
            general_ledger.tenant_id = account_labels.tenant_id
            and general_ledger.account_id = account_labels.account_id
    group by general_ledger.tenant_id, general_ledger.journal_entry_id, general_ledger.posting_type
),

income_statement_lines as (
    select
        general_ledger.*,
        account_labels.account_label,
        parent_labels.account_label as parent_account_label,
        other_side.side_label as split_label,
        finance_objects.name as finance_object_name,
        -- natural sign: income and other income credit-positive, expenses debit-positive
        case
            when general_ledger.account_normal_balance = 'Credit' then -general_ledger.signed_amount_base
            else general_ledger.signed_amount_base
        end as natural_amount
    from general_ledger
    left join account_labels
        on
            general_ledger.tenant_id = account_labels.tenant_id
            and general_ledger.account_id = account_labels.account_id
    left join account_labels as parent_labels
        on
            general_ledger.tenant_id = parent_labels.tenant_id
            and general_ledger.account_parent_id = parent_labels.account_id
    left join entry_sides as other_side
        on
            general_ledger.tenant_id = other_side.tenant_id
            and general_ledger.journal_entry_id = other_side.journal_entry_id
            and general_ledger.posting_type <> other_side.posting_type
    left join finance_objects
        on
            general_ledger.tenant_id = finance_objects.tenant_id
            and general_ledger.finance_object_id = finance_objects.finance_object_id
    -- the year-end close is not a result of the year: it moves the result to retained earnings
    where
        general_ledger.account_classification = 'incomestatement'
        and general_ledger.document_type <> 'year_end_close'
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
        cast(tenant_id as {{ dbt.type_string() }}) as tenant_id,
        cast(journal_entry_id as {{ dbt.type_string() }}) as journal_entry_id,
        cast(account_id as {{ dbt.type_string() }}) as account_id,
        cast(base_currency as {{ dbt.type_string() }}) as currency,
        -- the ledger posts nothing for deleted documents and payments: no line is of a deleted record
        cast(false as {{ dbt.type_boolean() }}) as hg_deleted
    from income_statement_lines
)

select * from final
