-- One row per tenant, month, bank account, activity and category: the bank's money in (+) and out (−), direct
-- method, in base currency, with the bank's balance at the start and end of the month.
{#
    Every bank movement is a settlement leg of int_scoro__document_allocations and is classified
    through what it pays:
      - money on an invoice, credit invoice or bill: spread over the document's components as its
        shares (int_scoro__settlement_shares): lines by their account's class (income-statement
        accounts: operating, category = account type; asset accounts: investing; liability and
        equity accounts: financing; a bank account: financing, transfers), VAT (operating), and
        what is paid beyond the document's total (operating, overpayments and refunds);
      - money on a prepayment: the VAT it contains (when VAT is due on receipt) and the advance
        (operating, customer prepayments);
      - expense claims paid, and cash not allocated to a document (operating).
    The amounts are the money's own base value (cash_amount_base): a realised exchange difference
    is no cash flow of its own. Opening and closing balances are the bank account's in the general
    ledger (debit-positive), so opening + Σ amount = closing for every month and bank (test
    assert_cash_flow_reconciles_to_bank_balances). A month with a balance but no movement has one
    row, category 'No movements', amount 0. DECISIONLOG.md section 32.
#}
{%- set vat_accounts = "'" ~ [
    var('scoro_vat_output_account'), var('scoro_vat_input_account'), var('scoro_prepayment_vat_account')
] | join("', '") ~ "'" -%}
{%- set vat_on_receipt = 'true' if var('scoro_prepayment_vat_on_receipt', true) else 'false' -%}

with

settlement_shares as (
    select * from {{ ref('int_scoro__settlement_shares') }}
),

allocations as (
    select * from {{ ref('int_scoro__document_allocations') }}
),

general_ledger as (
    select * from {{ ref('int_scoro__general_ledger') }}
),

accounts as (
    select * from {{ ref('int_scoro__accounts') }}
),

month_numbers as (
    {{ accounting_month_numbers() }}
),

-- Money on invoices, credit invoices and bills, by the document component it paid.
document_flows as (
    select
        tenant_id,
        allocation_date,
        bank_account_id,
        case
            when is_excess then 'operating'
            when account_id in ({{ vat_accounts }}) then 'operating'
            when is_bank_account then 'financing'
            when account_classification = 'incomestatement' then 'operating'
            when account_type = 'Asset' then 'investing'
            else 'financing'
        end as activity,
        case
            when is_excess then 'Overpayments and refunds'
            when account_id in ({{ vat_accounts }}) then 'VAT'
            when is_bank_account then 'Transfers between bank accounts'
            else coalesce(account_type, 'Unclassified')
        end as category,
        side_sign * cash_share_base as amount_base
    from settlement_shares
    where is_cash
),

-- Money on prepayments, expense claims and cash not allocated to a document.
other_legs as (
    select
        tenant_id,
        allocation_date,
        bank_account_id,
        document_type,
        open_item_side,
        case when open_item_side in ('payable', 'expense', 'unallocated_payable') then -1 else 1 end as side_sign,
        cash_amount_base,
        -- the VAT the advance contains, declared on receipt (var scoro_prepayment_vat_on_receipt)
        case
            when not {{ vat_on_receipt }} or document_type <> 'prepayment' or amount_base = 0 then 0
            when cash_amount_base = amount_base then prepayment_vat_amount_base
            else {{ accounting_round_division('prepayment_vat_amount_base * cash_amount_base', 'amount_base') }}
        end as vat_cash_base
    from allocations
    where
        cash_amount_base is not null
        and document_type not in ('invoice', 'credit_invoice', 'bill')
),

other_flows as (
    select
        tenant_id,
        allocation_date,
        bank_account_id,
        'operating' as activity,
        case
            when document_type = 'prepayment' then 'Customer prepayments'
            when document_type = 'expense_claim' then 'Expense claims'
            when open_item_side = 'unallocated_payable' then 'Unallocated payments'
            when open_item_side = 'unallocated_receivable' then 'Unallocated receipts'
            else 'Unclassified'
        end as category,
        side_sign * (cash_amount_base - vat_cash_base) as amount_base
    from other_legs

    union all

    select
        tenant_id,
        allocation_date,
        bank_account_id,
        'operating' as activity,
        'VAT' as category,
        side_sign * vat_cash_base as amount_base
    from other_legs
    where vat_cash_base <> 0
),

flows as (
    select
        tenant_id,
        cast({{ dbt.date_trunc('month', 'allocation_date') }} as date) as period_month,
        bank_account_id,
        activity,
        category,
        sum(amount_base) as amount_base
    from (
        select * from document_flows
        union all
        select * from other_flows
    ) as classified
    group by tenant_id, {{ dbt.date_trunc('month', 'allocation_date') }}, bank_account_id, activity, category
    having sum(amount_base) <> 0
),

-- The bank accounts' movements in the general ledger.
bank_activity as (
    select
        tenant_id,
        account_id as bank_account_id,
        cast({{ dbt.date_trunc('month', 'transaction_date') }} as date) as period_month,
        sum(signed_amount_base) as period_net_base
    from general_ledger
    where is_bank_account
    group by tenant_id, account_id, {{ dbt.date_trunc('month', 'transaction_date') }}
),

tenant_last_months as (
    select
        tenant_id,
        greatest(
            max(cast({{ dbt.date_trunc('month', 'transaction_date') }} as date)),
            cast({{ dbt.date_trunc('month', accounting_as_of_date()) }} as date)
        ) as last_month
    from general_ledger
    group by tenant_id
),

bank_first_months as (
    select
        tenant_id,
        bank_account_id,
        min(period_month) as first_month
    from (
        select
            tenant_id,
            bank_account_id,
            period_month
        from bank_activity
        union all
        select
            tenant_id,
            bank_account_id,
            period_month
        from flows
    ) as bank_months
    group by tenant_id, bank_account_id
),

bank_months as (
    select
        bank_first_months.tenant_id,
        bank_first_months.bank_account_id,
        cast({{ dbt.dateadd('month', 'month_numbers.month_number', 'bank_first_months.first_month') }} as date)
            as period_month
    from bank_first_months
    inner join tenant_last_months
        on bank_first_months.tenant_id = tenant_last_months.tenant_id
    cross join month_numbers
    where
        {{ dbt.dateadd('month', 'month_numbers.month_number', 'bank_first_months.first_month') }}
        <= tenant_last_months.last_month
),

balances as (
    select
        bank_months.tenant_id,
        bank_months.bank_account_id,
        bank_months.period_month,
        coalesce(bank_activity.period_net_base, 0) as period_net_base,
        sum(coalesce(bank_activity.period_net_base, 0)) over (
            partition by bank_months.tenant_id, bank_months.bank_account_id
            order by bank_months.period_month
            rows between unbounded preceding and current row
        ) as closing_balance_base
    from bank_months
    left join bank_activity
        on
            bank_months.tenant_id = bank_activity.tenant_id
            and bank_months.bank_account_id = bank_activity.bank_account_id
            and bank_months.period_month = bank_activity.period_month
),

month_flows as (
    select
        balances.tenant_id,
        balances.period_month,
        balances.bank_account_id,
        coalesce(flows.activity, 'operating') as activity,
        coalesce(flows.category, 'No movements') as category,
        coalesce(flows.amount_base, 0) as amount_base,
        balances.closing_balance_base - balances.period_net_base as opening_balance_base,
        balances.closing_balance_base
    from balances
    left join flows
        on
            balances.tenant_id = flows.tenant_id
            and balances.bank_account_id = flows.bank_account_id
            and balances.period_month = flows.period_month
    where
        flows.tenant_id is not null
        or balances.closing_balance_base <> 0
        or balances.period_net_base <> 0
),

final as (
    select
        cast(month_flows.tenant_id as {{ dbt.type_string() }}) as tenant_id,
        cast(month_flows.period_month as date) as period_month,
        -- the unified Bank Account (bank_accounts.id: the Scoro receipt account); the ledger's fallback bank
        -- account, which has none, by its ledger id
        cast(
            coalesce(cast(accounts.receipt_account_id as {{ dbt.type_string() }}), month_flows.bank_account_id)
            as {{ dbt.type_string() }}
        ) as bank_account_id,
        cast(month_flows.bank_account_id as {{ dbt.type_string() }}) as account_id,
        cast(accounts.account_number as {{ dbt.type_string() }}) as bank_account_number,
        cast(accounts.name as {{ dbt.type_string() }}) as bank_account_name,
        cast(accounts.currency as {{ dbt.type_string() }}) as bank_account_currency,
        cast(month_flows.activity as {{ dbt.type_string() }}) as activity,
        cast(
            case month_flows.activity when 'operating' then 1 when 'investing' then 2 else 3 end
            as {{ dbt.type_int() }}
        ) as activity_order,
        cast(month_flows.category as {{ dbt.type_string() }}) as category,
        cast({{ accounting_base_currency('month_flows.tenant_id') }} as {{ dbt.type_string() }}) as base_currency,
        cast(month_flows.amount_base as {{ accounting_base_money_type() }}) as amount_base,
        cast(month_flows.opening_balance_base as {{ accounting_base_money_type() }}) as opening_balance_base,
        cast(month_flows.closing_balance_base as {{ accounting_base_money_type() }}) as closing_balance_base
    from month_flows
    left join accounts
        on
            month_flows.tenant_id = accounts.tenant_id
            and month_flows.bank_account_id = accounts.account_id
)

select * from final
