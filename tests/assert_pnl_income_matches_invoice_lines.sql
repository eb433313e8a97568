-- P&L income per tenant, account and month = Σ invoice line sums − Σ credit invoice line sums (credit lines are
-- negative), each converted at its invoice's rate, plus each invoice's header-minus-lines difference on the sales
-- adjustments account: computed from staging, not from the ledger. Returns the rows where profit_and_loss_by_month
-- (accounts of type Income and Other Income) disagrees.
with

invoices as (
    select * from {{ ref('stg_scoro__invoices') }}
),

invoice_lines as (
    select * from {{ ref('stg_scoro__invoice_lines') }}
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

booked_invoices as (
    select
        tenant_id,
        id,
        cast({{ dbt.date_trunc('month', 'date') }} as date) as period_month,
        {{ accounting_rate('currency', 'currency_rate') }} as currency_rate,
        coalesce(sum, 0) as header_net
    from invoices
    where
        not is_deleted
        and not exists (
            select 1 from status_map
            where
                status_map.scoro_module = 'invoices'
                and lower(status_map.scoro_status) = lower(trim(invoices.status))
                and not status_map.posts_to_ledger
        )
),

line_income as (
    select
        booked_invoices.tenant_id,
        booked_invoices.period_month,
        coalesce(
            cast(line_account.id as {{ dbt.type_string() }}),
            cast(product_account.id as {{ dbt.type_string() }}),
            '{{ var("scoro_default_sales_account") }}'
        ) as account_id,
        {{ accounting_to_base('coalesce(invoice_lines.sum, 0)', 'booked_invoices.currency_rate') }} as amount_base
    from invoice_lines
    inner join booked_invoices
        on
            invoice_lines.tenant_id = booked_invoices.tenant_id
            and invoice_lines.invoice_id = booked_invoices.id
    left join finance_accounts as line_account
        on
            invoice_lines.tenant_id = line_account.tenant_id
            and invoice_lines.finance_account_id = line_account.id
    left join products
        on
            invoice_lines.tenant_id = products.tenant_id
            and invoice_lines.product_id = products.product_id
    left join finance_accounts as product_account
        on
            products.tenant_id = product_account.tenant_id
            and products.sales_finance_account_id = product_account.id
),

lines_per_invoice as (
    select
        tenant_id,
        invoice_id,
        sum(coalesce(sum, 0)) as lines_net
    from invoice_lines
    group by tenant_id, invoice_id
),

header_differences as (
    select
        booked_invoices.tenant_id,
        booked_invoices.period_month,
        case
            when lines_per_invoice.invoice_id is null then '{{ var("scoro_default_sales_account") }}'
            else '{{ var("scoro_sales_adjustments_account") }}'
        end as account_id,
        {{ accounting_to_base(
            'booked_invoices.header_net - coalesce(lines_per_invoice.lines_net, 0)', 'booked_invoices.currency_rate'
        ) }} as amount_base
    from booked_invoices
    left join lines_per_invoice
        on
            booked_invoices.tenant_id = lines_per_invoice.tenant_id
            and booked_invoices.id = lines_per_invoice.invoice_id
),

expected as (
    select
        income.tenant_id,
        income.account_id,
        income.period_month,
        sum(income.amount_base) as income_base
    from (
        select * from line_income
        union all
        select * from header_differences
    ) as income
    inner join accounts
        on
            income.tenant_id = accounts.tenant_id
            and income.account_id = accounts.account_id
    where accounts.account_type in ('Income', 'Other Income')
    group by income.tenant_id, income.account_id, income.period_month
),

actual as (
    select
        tenant_id,
        account_id,
        period_month,
        net_profit_effect_base as income_base
    from profit_and_loss
    where account_type in ('Income', 'Other Income')
)

select
    coalesce(expected.tenant_id, actual.tenant_id) as tenant_id,
    coalesce(expected.account_id, actual.account_id) as account_id,
    coalesce(expected.period_month, actual.period_month) as period_month,
    expected.income_base as expected_income_base,
    actual.income_base as reported_income_base
from expected
full outer join actual
    on
        expected.tenant_id = actual.tenant_id
        and expected.account_id = actual.account_id
        and expected.period_month = actual.period_month
where coalesce(expected.income_base, 0) <> coalesce(actual.income_base, 0)
