-- Every month of every tenant, the trial balance balances: closing balances sum to zero, period debits equal period
-- credits; and each account's last closing balance equals the sum of all its ledger rows. Returns the breaks.
with

trial_balance as (
    select * from {{ ref('trial_balance_by_month') }}
),

general_ledger as (
    select * from {{ ref('int_scoro__general_ledger') }}
),

monthly_totals as (
    select
        tenant_id,
        period_month,
        sum(closing_balance_base) as closing_balance_base,
        sum(period_debit_base) as period_debit_base,
        sum(period_credit_base) as period_credit_base,
        sum(closing_debit_base) as closing_debit_base,
        sum(closing_credit_base) as closing_credit_base
    from trial_balance
    group by tenant_id, period_month
),

unbalanced_months as (
    select
        tenant_id,
        period_month,
        cast(null as {{ dbt.type_string() }}) as account_id,
        'month does not balance' as issue
    from monthly_totals
    where
        closing_balance_base <> 0
        or period_debit_base <> period_credit_base
        or closing_debit_base <> closing_credit_base
),

last_balances as (
    select
        tenant_id,
        account_id,
        closing_balance_base,
        row_number() over (partition by tenant_id, account_id order by period_month desc) as month_rank
    from trial_balance
),

ledger_balances as (
    select
        tenant_id,
        account_id,
        sum(signed_amount_base) as balance_base
    from general_ledger
    group by tenant_id, account_id
),

accounts_off as (
    select
        ledger_balances.tenant_id,
        cast(null as date) as period_month,
        ledger_balances.account_id,
        'last closing balance differs from the ledger' as issue
    from ledger_balances
    left join last_balances
        on
            ledger_balances.tenant_id = last_balances.tenant_id
            and ledger_balances.account_id = last_balances.account_id
            and last_balances.month_rank = 1
    where coalesce(last_balances.closing_balance_base, 0) <> ledger_balances.balance_base
)

select * from unbalanced_months
union all
select * from accounts_off
