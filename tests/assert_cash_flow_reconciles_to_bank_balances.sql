-- Every tenant, bank account and month: the cash flow statement's money in and out adds up to the change of the bank
-- account in the general ledger, and its opening and closing balances are the ledger's, to the cent; a month with
-- a net bank movement in the ledger and none in the statement breaks it too. Returns the months that break.
with

cash_flow as (
    select * from {{ ref('cash_flow_by_month') }}
),

general_ledger as (
    select * from {{ ref('int_scoro__general_ledger') }}
),

bank_rows as (
    select
        tenant_id,
        account_id as bank_account_id,
        transaction_date,
        signed_amount_base
    from general_ledger
    where is_bank_account
),

statement as (
    select
        tenant_id,
        account_id as bank_account_id,
        period_month,
        sum(amount_base) as amount_base,
        min(opening_balance_base) as opening_balance_base,
        max(opening_balance_base) as opening_balance_base_check,
        min(closing_balance_base) as closing_balance_base,
        max(closing_balance_base) as closing_balance_base_check
    from cash_flow
    group by tenant_id, account_id, period_month
),

ledger_months as (
    select
        tenant_id,
        bank_account_id,
        cast({{ dbt.date_trunc('month', 'transaction_date') }} as date) as period_month,
        sum(signed_amount_base) as period_net_base
    from bank_rows
    group by tenant_id, bank_account_id, {{ dbt.date_trunc('month', 'transaction_date') }}
),

-- The ledger's balance of the bank account at the start and end of each month of the statement.
ledger_balances as (
    select
        statement.tenant_id,
        statement.bank_account_id,
        statement.period_month,
        coalesce(
            sum(case when bank_rows.transaction_date < statement.period_month then bank_rows.signed_amount_base end), 0
        ) as opening_balance_base,
        coalesce(sum(bank_rows.signed_amount_base), 0) as closing_balance_base
    from statement
    left join bank_rows
        on
            statement.tenant_id = bank_rows.tenant_id
            and statement.bank_account_id = bank_rows.bank_account_id
            and bank_rows.transaction_date < {{ dbt.dateadd('month', 1, 'statement.period_month') }}
    group by statement.tenant_id, statement.bank_account_id, statement.period_month
)

select
    coalesce(statement.tenant_id, ledger_months.tenant_id) as tenant_id,
    coalesce(statement.bank_account_id, ledger_months.bank_account_id) as bank_account_id,
    coalesce(statement.period_month, ledger_months.period_month) as period_month,
    statement.amount_base as statement_amount_base,
    ledger_months.period_net_base as ledger_change_base,
    statement.opening_balance_base as statement_opening_base,
    ledger_balances.opening_balance_base as ledger_opening_base,
    statement.closing_balance_base as statement_closing_base,
    ledger_balances.closing_balance_base as ledger_closing_base
from statement
full outer join ledger_months
    on
        statement.tenant_id = ledger_months.tenant_id
        and statement.bank_account_id = ledger_months.bank_account_id
        and statement.period_month = ledger_months.period_month
left join ledger_balances
    on
        statement.tenant_id = ledger_balances.tenant_id
        and statement.bank_account_id = ledger_balances.bank_account_id
        and statement.period_month = ledger_balances.period_month
where
    coalesce(statement.amount_base, 0) <> coalesce(ledger_months.period_net_base, 0)
    or statement.opening_balance_base <> statement.opening_balance_base_check
    or statement.closing_balance_base <> statement.closing_balance_base_check
    or statement.opening_balance_base + statement.amount_base <> statement.closing_balance_base
    or statement.opening_balance_base <> ledger_balances.opening_balance_base
    or statement.closing_balance_base <> ledger_balances.closing_balance_base
