-- One row per debit or credit of the month-end revaluation of an open foreign-currency invoice, bill or bank balance
-- (and of its reversal the next day): the revaluation account against unrealised exchange gains and losses.
{#
    At each month end M up to the as-of date (var scoro_as_of_date), for every open item in a currency
    other than the base currency: revalued = to_base(open amount at M, rate at M from
    seeds/scoro_currency_rates.csv); carrying = what the ledger holds for it in base currency at M
    (the document's own rate, less its settlements); the difference is debited (or credited) to the
    revaluation account of its side and credited (or debited) to unrealised exchange gains and
    losses, and reversed on M + 1 day. Open items: invoices and credit invoices (AR), bills (AP) and
    foreign-currency bank accounts (int_scoro__accounts.currency). A month without a rate is not
    revalued. Prepayment liabilities are advances, not monetary items: not revalued.
    See DECISIONLOG.md section 21.
#}

with

documents as (
    select * from {{ ref('int_scoro__open_item_documents') }}
),

allocations as (
    select * from {{ ref('int_scoro__document_allocations') }}
),

document_open_items as (
    select * from {{ ref('int_scoro__document_open_items') }}
),

currency_rates as (
    select * from {{ ref('int_scoro__currency_rates') }}
),

accounts as (
    select * from {{ ref('int_scoro__accounts') }}
),

month_numbers as (
    {{ accounting_month_numbers() }}
),

-- Open foreign-currency documents, with the date they were settled (no month end from then on is open).
foreign_documents as (
    select
        documents.*,
        document_open_items.settled_on
    from documents
    left join document_open_items
        on
            documents.tenant_id = document_open_items.tenant_id
            and documents.document_type = document_open_items.document_type
            and documents.document_id = document_open_items.document_id
    where
        documents.open_item_side in ('receivable', 'payable')
        and documents.currency <> {{ accounting_base_currency('documents.tenant_id') }}
        and documents.total_amount <> 0
),

foreign_banks as (
    select
        accounts.tenant_id,
        accounts.account_id,
        accounts.receipt_account_id,
        accounts.name,
        accounts.currency
    from accounts
    where accounts.is_bank_account and accounts.currency <> {{ accounting_base_currency('accounts.tenant_id') }}
),

bank_movements as (
    select
        allocations.tenant_id,
        foreign_banks.account_id,
        foreign_banks.receipt_account_id,
        foreign_banks.name,
        foreign_banks.currency,
        allocations.allocation_date,
        case
            when allocations.open_item_side in ('payable', 'expense', 'unallocated_payable') then -1 else 1
        end * allocations.cash_amount as amount,
        case
            when allocations.open_item_side in ('payable', 'expense', 'unallocated_payable') then -1 else 1
        end * allocations.cash_amount_base as amount_base
    from allocations
    inner join foreign_banks
        on
            allocations.tenant_id = foreign_banks.tenant_id
            and allocations.bank_account_id = foreign_banks.account_id
            and allocations.cash_currency = foreign_banks.currency
    where allocations.cash_amount_base is not null
),

tenant_starts as (
    select
        tenant_id,
        min(start_date) as start_date
    from (
        select
            tenant_id,
            document_date as start_date
        from foreign_documents
        union all
        select
            tenant_id,
            allocation_date as start_date
        from bank_movements
    ) as starts
    group by tenant_id
),

month_ends as (
    select
        tenant_starts.tenant_id,
        cast({{ dbt.last_day(
            dbt.dateadd('month', 'month_numbers.month_number', dbt.date_trunc('month', 'tenant_starts.start_date')),
            'month'
        ) }} as date) as month_end
    from tenant_starts
    cross join month_numbers
),

revaluation_dates as (
    select *
    from month_ends
    where month_end <= {{ accounting_as_of_date() }}
),

-- Open foreign-currency documents at each month end: the document's total less its settlements to date.
document_months as (
    select
        foreign_documents.tenant_id,
        foreign_documents.document_type,
        foreign_documents.document_id,
        revaluation_dates.month_end,
        foreign_documents.currency,
        foreign_documents.total_amount - coalesce(sum(allocations.amount), 0) as open_amount,
        foreign_documents.total_amount_base - coalesce(sum(allocations.amount_base), 0) as carrying_base
    from foreign_documents
    inner join revaluation_dates
        on
            foreign_documents.tenant_id = revaluation_dates.tenant_id
            and foreign_documents.document_date <= revaluation_dates.month_end
            and (foreign_documents.settled_on is null or foreign_documents.settled_on > revaluation_dates.month_end)
    left join allocations
        on
            foreign_documents.tenant_id = allocations.tenant_id
            and foreign_documents.document_type = allocations.document_type
            and foreign_documents.document_id = allocations.document_id
            and revaluation_dates.month_end >= allocations.allocation_date
    group by
        foreign_documents.tenant_id,
        foreign_documents.document_type,
        foreign_documents.document_id,
        revaluation_dates.month_end,
        foreign_documents.currency,
        foreign_documents.total_amount,
        foreign_documents.total_amount_base
),

bank_months as (
    select
        bank_movements.tenant_id,
        bank_movements.account_id,
        bank_movements.receipt_account_id,
        revaluation_dates.month_end,
        bank_movements.currency,
        sum(bank_movements.amount) as open_amount,
        sum(bank_movements.amount_base) as carrying_base
    from bank_movements
    inner join revaluation_dates
        on
            bank_movements.tenant_id = revaluation_dates.tenant_id
            and bank_movements.allocation_date <= revaluation_dates.month_end
    group by
        bank_movements.tenant_id,
        bank_movements.account_id,
        bank_movements.receipt_account_id,
        revaluation_dates.month_end,
        bank_movements.currency
),

open_items as (
    select
        document_months.tenant_id,
        document_months.document_type as revalued_type,
        document_months.document_id,
        documents.document_number,
        document_months.month_end,
        document_months.currency,
        document_months.open_amount,
        document_months.carrying_base,
        case
            when documents.open_item_side = 'payable' then '{{ var("scoro_fx_revaluation_payables_account") }}'
            else '{{ var("scoro_fx_revaluation_receivables_account") }}'
        end as revaluation_account_id,
        case when documents.open_item_side = 'payable' then -1 else 1 end as side_sign,
        documents.customer_id,
        documents.vendor_id,
        documents.entity_name,
        documents.project_id,
        documents.finance_object_id
    from document_months
    inner join documents
        on
            document_months.tenant_id = documents.tenant_id
            and document_months.document_type = documents.document_type
            and document_months.document_id = documents.document_id
    where document_months.open_amount <> 0

    union all

    select
        bank_months.tenant_id,
        'bank' as revalued_type,
        bank_months.receipt_account_id as document_id,
        bank_months.account_id as document_number,
        bank_months.month_end,
        bank_months.currency,
        bank_months.open_amount,
        bank_months.carrying_base,
        '{{ var("scoro_fx_revaluation_bank_account") }}' as revaluation_account_id,
        1 as side_sign,
        cast(null as {{ dbt.type_bigint() }}) as customer_id,
        cast(null as {{ dbt.type_bigint() }}) as vendor_id,
        cast(null as {{ dbt.type_string() }}) as entity_name,
        cast(null as {{ dbt.type_bigint() }}) as project_id,
        cast(null as {{ dbt.type_bigint() }}) as finance_object_id
    from bank_months
    where bank_months.open_amount <> 0
),

-- The revaluation: revalued − carrying, in base currency (debit-positive on the revaluation account for
-- AR and bank, credit-positive for AP).
revaluations as (
    select
        open_items.*,
        currency_rates.rate,
        {{ accounting_to_base('open_items.open_amount', 'currency_rates.rate') }} - open_items.carrying_base
            as adjustment_base
    from open_items
    inner join currency_rates
        on
            open_items.tenant_id = currency_rates.tenant_id
            and open_items.currency = currency_rates.currency
            and open_items.month_end >= currency_rates.valid_from
            and (currency_rates.valid_to is null or open_items.month_end < currency_rates.valid_to)
),

entries as (
    select
        *,
        false as is_reversal,
        month_end as transaction_date
    from revaluations
    where adjustment_base <> 0

    union all

    select
        *,
        true as is_reversal,
        cast({{ dbt.dateadd('day', 1, 'month_end') }} as date) as transaction_date
    from revaluations
    where adjustment_base <> 0
),

legs as (
    select
        *,
        1 as line_index,
        revaluation_account_id as account_id,
        side_sign * adjustment_base * case when is_reversal then -1 else 1 end as signed_amount_base
    from entries

    union all

    select
        *,
        2 as line_index,
        '{{ var("scoro_fx_unrealised_gain_loss_account") }}' as account_id,
        -side_sign * adjustment_base * case when is_reversal then -1 else 1 end as signed_amount_base
    from entries
),

final as (
    select
        cast(tenant_id as {{ dbt.type_string() }}) as tenant_id,
        cast({{ dbt.concat([
            "'fx_revaluation-'", 'revalued_type', "'-'", 'cast(document_id as ' ~ dbt.type_string() ~ ')',
            "'-'", 'cast(month_end as ' ~ dbt.type_string() ~ ')',
            "case when is_reversal then '-reversal' else '' end",
        ]) }} as {{ dbt.type_string() }}) as journal_entry_id,
        cast(line_index as {{ dbt.type_int() }}) as line_index,
        cast(transaction_date as date) as transaction_date,
        'fx_revaluation' as document_type,
        'Currency Revaluation' as transaction_type,
        cast(document_id as {{ dbt.type_bigint() }}) as document_id,
        cast(document_number as {{ dbt.type_string() }}) as document_number,
        cast(account_id as {{ dbt.type_string() }}) as account_id,
        case when signed_amount_base > 0 then 'Debit' else 'Credit' end as posting_type,
        cast(currency as {{ dbt.type_string() }}) as currency,
        cast(0 as {{ accounting_money_type() }}) as amount,
        cast(abs(signed_amount_base) as {{ accounting_base_money_type() }}) as amount_base,
        {{ accounting_base_currency('legs.tenant_id') }} as base_currency,
        cast(rate as {{ accounting_money_type() }}) as currency_rate,
        cast(customer_id as {{ dbt.type_bigint() }}) as customer_id,
        cast(vendor_id as {{ dbt.type_bigint() }}) as vendor_id,
        cast(entity_name as {{ dbt.type_string() }}) as entity_name,
        cast(project_id as {{ dbt.type_bigint() }}) as project_id,
        cast(null as {{ dbt.type_bigint() }}) as vat_code_id,
        cast(null as {{ dbt.type_bigint() }}) as product_id,
        cast({{ dbt.concat([
            "case when is_reversal then 'Reversal of revaluation of ' else 'Revaluation of ' end",
            "replace(revalued_type, '_', ' ')", "' '", "coalesce(document_number, '')",
            "' at '", 'cast(rate as ' ~ dbt.type_string() ~ ')',
        ]) }} as {{ dbt.type_string() }}) as description,
        cast(finance_object_id as {{ dbt.type_bigint() }}) as finance_object_id,
        cast(null as {{ dbt.type_bigint() }}) as document_line_id
    from legs
    where {{ 'true' if var('scoro_revalue_foreign_currency', true) else 'false' }}
)

select * from final
