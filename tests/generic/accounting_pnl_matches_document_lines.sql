{#-
    P&L per tenant, account and month = Σ the document line sums, each converted at its document's
    rate, plus each document's header-minus-lines difference on adjustment_account (on
    default_line_account when it has no lines): computed from staging, not from the ledger, for the
    booked documents (not deleted, status posting to the ledger in scoro_status_map for
    scoro_module). Internal lines (is_internal) count for nothing. Fails for every (tenant, account,
    month) of the given account_types, except excluded_accounts, where the model
    (profit_and_loss_by_month) reports another reported_column. The month is that of period_date
    (an expression on the document: bills post their cost on coalesce(recognition_date, date));
    with by_month false, accounts are compared over all time (invoices whose revenue is spread over
    an accounting period: the monthly spread is the double-entry model's unit test).

        data_tests:
          - accounting_pnl_matches_document_lines:
              arguments:
                documents: ref('stg_scoro__bills')
                document_lines: ref('stg_scoro__bill_lines')
                document_key: bill_id
                scoro_module: bills
                product_account_column: purchases_finance_account_id
                default_line_account: "{{ var('scoro_default_purchases_account') }}"
                adjustment_account: "{{ var('scoro_purchase_adjustments_account') }}"
                account_types: [Cost of Goods Sold, Expense, Other Expense]
                reported_column: amount_base
-#}
{% test accounting_pnl_matches_document_lines(
    model,
    documents,
    document_lines,
    document_key,
    scoro_module,
    product_account_column,
    default_line_account,
    adjustment_account,
    account_types,
    reported_column,
    excluded_accounts=[],
    period_date='date',
    by_month=true
) %}

{% set account_type_list = "'" ~ account_types | join("', '") ~ "'" %}

with

documents as (
    select * from {{ documents }}
),

document_lines as (
    select * from {{ document_lines }}
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
    select * from {{ model }}
),

booked_documents as (
    select
        tenant_id,
        id,
        {{ accounting_period_month(period_date, by_month) }} as period_month,
        {{ accounting_rate('currency', 'currency_rate') }} as currency_rate,
        coalesce(sum, 0) as header_net
    from documents
    where
        not is_deleted
        and not exists (
            select 1 from status_map
            where
                status_map.scoro_module = '{{ scoro_module }}'
                and lower(status_map.scoro_status) = lower(trim(documents.status))
                and not status_map.posts_to_ledger
        )
),

line_amounts as (
    select
        booked_documents.tenant_id,
        booked_documents.period_month,
        coalesce(
            cast(line_account.id as {{ dbt.type_string() }}),
            cast(product_account.id as {{ dbt.type_string() }}),
            '{{ default_line_account }}'
        ) as account_id,
        {{ accounting_to_base('coalesce(document_lines.sum, 0)', 'booked_documents.currency_rate') }} as amount_base
    from document_lines
    inner join booked_documents
        on
            document_lines.tenant_id = booked_documents.tenant_id
            and document_lines.{{ document_key }} = booked_documents.id
            and not coalesce(document_lines.is_internal, false)
    left join finance_accounts as line_account
        on
            document_lines.tenant_id = line_account.tenant_id
            and document_lines.finance_account_id = line_account.id
    left join products
        on
            document_lines.tenant_id = products.tenant_id
            and document_lines.product_id = products.product_id
    left join finance_accounts as product_account
        on
            products.tenant_id = product_account.tenant_id
            and products.{{ product_account_column }} = product_account.id
),

lines_per_document as (
    select
        tenant_id,
        {{ document_key }} as document_id,
        sum(coalesce(sum, 0)) as lines_net
    from document_lines
    where not coalesce(is_internal, false)
    group by tenant_id, {{ document_key }}
),

header_differences as (
    select
        booked_documents.tenant_id,
        booked_documents.period_month,
        case
            when lines_per_document.document_id is null then '{{ default_line_account }}'
            else '{{ adjustment_account }}'
        end as account_id,
        {{ accounting_to_base(
            'booked_documents.header_net - coalesce(lines_per_document.lines_net, 0)', 'booked_documents.currency_rate'
        ) }} as amount_base
    from booked_documents
    left join lines_per_document
        on
            booked_documents.tenant_id = lines_per_document.tenant_id
            and booked_documents.id = lines_per_document.document_id
),

expected as (
    select
        amounts.tenant_id,
        amounts.account_id,
        amounts.period_month,
        sum(amounts.amount_base) as amount_base
    from (
        select * from line_amounts
        union all
        select * from header_differences
    ) as amounts
    inner join accounts
        on
            amounts.tenant_id = accounts.tenant_id
            and amounts.account_id = accounts.account_id
    where
        accounts.account_type in ({{ account_type_list }})
        {% if excluded_accounts %}
        and accounts.account_id not in ('{{ excluded_accounts | join("', '") }}')
        {% endif %}
    group by amounts.tenant_id, amounts.account_id, amounts.period_month
),

actual as (
    select
        tenant_id,
        account_id,
        {{ accounting_period_month('period_month', by_month) }} as period_month,
        sum({{ reported_column }}) as amount_base
    from profit_and_loss
    where
        account_type in ({{ account_type_list }})
        {% if excluded_accounts %}
        and account_id not in ('{{ excluded_accounts | join("', '") }}')
        {% endif %}
    group by tenant_id, account_id, {{ accounting_period_month('period_month', by_month) }}
)

select
    coalesce(expected.tenant_id, actual.tenant_id) as tenant_id,
    coalesce(expected.account_id, actual.account_id) as account_id,
    coalesce(expected.period_month, actual.period_month) as period_month,
    expected.amount_base as expected_amount_base,
    actual.amount_base as reported_amount_base
from expected
full outer join actual
    on
        expected.tenant_id = actual.tenant_id
        and expected.account_id = actual.account_id
        and expected.period_month = actual.period_month
where coalesce(expected.amount_base, 0) <> coalesce(actual.amount_base, 0)

{% endtest %}
