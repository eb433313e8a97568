-- P&L expenses per tenant, account and month = Σ bill line sums, each converted at its bill's rate, plus each bill's
-- header-minus-lines difference on the purchase adjustments account: computed from staging, not from the ledger.
-- Returns the rows where profit_and_loss_by_month (Cost of Goods Sold, Expense and Other Expense accounts, except the
-- currency rounding account) disagrees.
with

bills as (
    select * from {{ ref('stg_scoro__bills') }}
),

bill_lines as (
    select * from {{ ref('stg_scoro__bill_lines') }}
),

products as (
    select * from {{ ref('stg_scoro__products') }}
),

finance_accounts as (
    select * from {{ ref('stg_scoro__finance_accounts') }}
),

status_map as (
    select * from {{ ref('scoro_status_map') }}
),

accounts as (
    select * from {{ ref('int_scoro__accounts') }}
),

profit_and_loss as (
    select * from {{ ref('profit_and_loss_by_month') }}
),

booked_bills as (
    select
        tenant_id,
        id,
        cast({{ dbt.date_trunc('month', 'date') }} as date) as period_month,
        {{ accounting_rate('currency', 'currency_rate') }} as currency_rate,
        coalesce(sum, 0) as header_net
    from bills
    where
        not is_deleted
        and not exists (
            select 1 from status_map
            where
                status_map.scoro_module = 'bills'
                and lower(status_map.scoro_status) = lower(trim(bills.status))
                and not status_map.posts_to_ledger
        )
),

line_expense as (
    select
        booked_bills.tenant_id,
        booked_bills.period_month,
        coalesce(
            cast(line_account.id as {{ dbt.type_string() }}),
            cast(product_account.id as {{ dbt.type_string() }}),
            '{{ var("scoro_default_purchases_account") }}'
        ) as account_id,
        {{ accounting_to_base('coalesce(bill_lines.sum, 0)', 'booked_bills.currency_rate') }} as amount_base
    from bill_lines
    inner join booked_bills
        on
            bill_lines.tenant_id = booked_bills.tenant_id
            and bill_lines.bill_id = booked_bills.id
    left join finance_accounts as line_account
        on
            bill_lines.tenant_id = line_account.tenant_id
            and bill_lines.finance_account_id = line_account.id
    left join products
        on
            bill_lines.tenant_id = products.tenant_id
            and bill_lines.product_id = products.product_id
    left join finance_accounts as product_account
        on
            products.tenant_id = product_account.tenant_id
            and products.purchases_finance_account_id = product_account.id
),

lines_per_bill as (
    select
        tenant_id,
        bill_id,
        sum(coalesce(sum, 0)) as lines_net
    from bill_lines
    group by tenant_id, bill_id
),

header_differences as (
    select
        booked_bills.tenant_id,
        booked_bills.period_month,
        case
            when lines_per_bill.bill_id is null then '{{ var("scoro_default_purchases_account") }}'
            else '{{ var("scoro_purchase_adjustments_account") }}'
        end as account_id,
        {{ accounting_to_base(
            'booked_bills.header_net - coalesce(lines_per_bill.lines_net, 0)', 'booked_bills.currency_rate'
        ) }} as amount_base
    from booked_bills
    left join lines_per_bill
        on
            booked_bills.tenant_id = lines_per_bill.tenant_id
            and booked_bills.id = lines_per_bill.bill_id
),

expected as (
    select
        expense.tenant_id,
        expense.account_id,
        expense.period_month,
        sum(expense.amount_base) as expense_base
    from (
        select * from line_expense
        union all
        select * from header_differences
    ) as expense
    inner join accounts
        on
            expense.tenant_id = accounts.tenant_id
            and expense.account_id = accounts.account_id
    where
        accounts.account_type in ('Cost of Goods Sold', 'Expense', 'Other Expense')
        and accounts.account_id <> '{{ var("scoro_fx_rounding_account") }}'
    group by expense.tenant_id, expense.account_id, expense.period_month
),

actual as (
    select
        tenant_id,
        account_id,
        period_month,
        amount_base as expense_base
    from profit_and_loss
    where
        account_type in ('Cost of Goods Sold', 'Expense', 'Other Expense')
        and account_id <> '{{ var("scoro_fx_rounding_account") }}'
)

select
    coalesce(expected.tenant_id, actual.tenant_id) as tenant_id,
    coalesce(expected.account_id, actual.account_id) as account_id,
    coalesce(expected.period_month, actual.period_month) as period_month,
    expected.expense_base as expected_expense_base,
    actual.expense_base as reported_expense_base
from expected
full outer join actual
    on
        expected.tenant_id = actual.tenant_id
        and expected.account_id = actual.account_id
        and expected.period_month = actual.period_month
where coalesce(expected.expense_base, 0) <> coalesce(actual.expense_base, 0)
