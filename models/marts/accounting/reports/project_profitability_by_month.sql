-- One row per tenant, month, project, phase and basis (accrual / cash): revenue, cost and margin in base currency.
{#
    Revenue: the income-statement rows of the project's invoices and credit invoices (a line's
    project, else the document's): what they add to profit (lines, header-level differences,
    currency rounding). Cost: the income-statement rows of bills with the project (line project,
    else the bill's), plus internal cost: the document lines marked is_internal (they post nothing)
    of posting invoices, credit invoices and bills, valued at their `cost` (else their sum) in the
    document's currency at the document's rate, dated the document's date.
    accrual: revenue and bill cost as the general ledger posts them (recognition dates).
    cash: the same rows as their documents are settled (int_scoro__settlement_shares, the cash-basis
    P&L's shares); internal cost is no payment of its own and counts on the document date, as on
    accrual. Phase: the project's phase (type 'phase') whose dates contain the row's date, when
    exactly one does; else null. DECISIONLOG.md section 33.
#}

with

general_ledger as (
    select * from {{ ref('int_scoro__general_ledger') }}
),

settlement_shares as (
    select * from {{ ref('int_scoro__settlement_shares') }}
),

documents as (
    select * from {{ ref('int_scoro__open_item_documents') }}
),

invoice_lines as (
    select * from {{ ref('stg_scoro__invoice_lines') }}
),

bill_lines as (
    select * from {{ ref('stg_scoro__bill_lines') }}
),

projects as (
    select * from {{ ref('stg_scoro__projects') }}
),

project_phases as (
    select * from {{ ref('stg_scoro__project_phases') }}
),

accrual_rows as (
    select
        tenant_id,
        project_id,
        'accrual' as basis,
        transaction_date as row_date,
        case when document_type in ('invoice', 'credit_invoice') then -signed_amount_base else 0 end as revenue_base,
        case when document_type = 'bill' then signed_amount_base else 0 end as bill_cost_base,
        0 as internal_cost_base
    from general_ledger
    where
        document_type in ('invoice', 'credit_invoice', 'bill')
        and account_classification = 'incomestatement'
        and project_id > 0
),

cash_rows as (
    select
        tenant_id,
        project_id,
        'cash' as basis,
        allocation_date as row_date,
        case when document_type in ('invoice', 'credit_invoice') then -signed_share_base else 0 end as revenue_base,
        case when document_type = 'bill' then signed_share_base else 0 end as bill_cost_base,
        0 as internal_cost_base
    from settlement_shares
    where account_classification = 'incomestatement' and project_id > 0
),

internal_lines as (
    select
        tenant_id,
        invoice_id as document_id,
        'sales' as document_side,
        project_id,
        cost,
        sum as line_sum
    from invoice_lines
    where is_internal and not is_deleted

    union all

    select
        tenant_id,
        bill_id as document_id,
        'purchase' as document_side,
        project_id,
        cost,
        sum as line_sum
    from bill_lines
    where is_internal and not is_deleted
),

internal_costs as (
    select
        internal_lines.tenant_id,
        coalesce(
            case when internal_lines.project_id > 0 then internal_lines.project_id end,
            case when documents.project_id > 0 then documents.project_id end
        ) as project_id,
        documents.document_date as row_date,
        {{ accounting_to_base('coalesce(internal_lines.cost, internal_lines.line_sum)', 'documents.currency_rate') }}
            as internal_cost_base
    from internal_lines
    inner join documents
        on
            internal_lines.tenant_id = documents.tenant_id
            and internal_lines.document_id = documents.document_id
            and (
                (internal_lines.document_side = 'sales' and documents.document_type in ('invoice', 'credit_invoice'))
                or (internal_lines.document_side = 'purchase' and documents.document_type = 'bill')
            )
),

internal_rows as (
    select
        tenant_id,
        project_id,
        'accrual' as basis,
        row_date,
        0 as revenue_base,
        0 as bill_cost_base,
        internal_cost_base
    from internal_costs
    where project_id is not null

    union all

    select
        tenant_id,
        project_id,
        'cash' as basis,
        row_date,
        0 as revenue_base,
        0 as bill_cost_base,
        internal_cost_base
    from internal_costs
    where project_id is not null
),

daily as (
    select
        tenant_id,
        project_id,
        basis,
        row_date,
        sum(revenue_base) as revenue_base,
        sum(bill_cost_base) as bill_cost_base,
        sum(internal_cost_base) as internal_cost_base
    from (
        select * from accrual_rows
        union all
        select * from cash_rows
        union all
        select * from internal_rows
    ) as project_rows
    group by tenant_id, project_id, basis, row_date
),

live_phases as (
    select
        tenant_id,
        project_id,
        id as project_phase_id,
        title,
        cast(start_date as date) as start_date,
        cast(end_date as date) as end_date
    from project_phases
    where not is_deleted and lower(type) = 'phase' and start_date is not null and end_date is not null
),

-- The phase whose dates contain the day, when exactly one does.
day_phases as (
    select
        daily.tenant_id,
        daily.project_id,
        daily.row_date,
        max(live_phases.project_phase_id) as project_phase_id,
        max(live_phases.title) as project_phase_title
    from (select distinct
        tenant_id,
        project_id,
        row_date
    from daily) as daily
    inner join live_phases
        on
            daily.tenant_id = live_phases.tenant_id
            and daily.project_id = live_phases.project_id
            and daily.row_date >= live_phases.start_date
            and daily.row_date <= live_phases.end_date
    group by daily.tenant_id, daily.project_id, daily.row_date
    having count(*) = 1
),

monthly as (
    select
        daily.tenant_id,
        cast({{ dbt.date_trunc('month', 'daily.row_date') }} as date) as period_month,
        daily.project_id,
        day_phases.project_phase_id,
        day_phases.project_phase_title,
        daily.basis,
        sum(daily.revenue_base) as revenue_base,
        sum(daily.bill_cost_base) as bill_cost_base,
        sum(daily.internal_cost_base) as internal_cost_base
    from daily
    left join day_phases
        on
            daily.tenant_id = day_phases.tenant_id
            and daily.project_id = day_phases.project_id
            and daily.row_date = day_phases.row_date
    group by
        daily.tenant_id,
        {{ dbt.date_trunc('month', 'daily.row_date') }},
        daily.project_id,
        day_phases.project_phase_id,
        day_phases.project_phase_title,
        daily.basis
),

final as (
    select
        cast(monthly.tenant_id as {{ dbt.type_string() }}) as tenant_id,
        cast(monthly.period_month as date) as period_month,
        cast(monthly.project_id as {{ dbt.type_string() }}) as project_id,
        cast(projects.project_name as {{ dbt.type_string() }}) as project_name,
        cast(monthly.project_phase_id as {{ dbt.type_string() }}) as project_phase_id,
        cast(monthly.project_phase_title as {{ dbt.type_string() }}) as project_phase_title,
        cast(monthly.basis as {{ dbt.type_string() }}) as basis,
        cast({{ accounting_base_currency('monthly.tenant_id') }} as {{ dbt.type_string() }}) as base_currency,
        cast(monthly.revenue_base as {{ accounting_base_money_type() }}) as revenue_base,
        cast(monthly.bill_cost_base + monthly.internal_cost_base as {{ accounting_base_money_type() }}) as cost_base,
        cast(
            monthly.revenue_base - monthly.bill_cost_base - monthly.internal_cost_base
            as {{ accounting_base_money_type() }}
        ) as margin_base,
        cast(
            case
                when monthly.revenue_base <> 0
                    then {{ accounting_round_division(
                        '100 * (monthly.revenue_base - monthly.bill_cost_base - monthly.internal_cost_base)',
                        'monthly.revenue_base'
                    ) }}
            end
            as {{ accounting_base_money_type() }}
        ) as margin_percent,
        cast(monthly.bill_cost_base as {{ accounting_base_money_type() }}) as bill_cost_base,
        cast(monthly.internal_cost_base as {{ accounting_base_money_type() }}) as internal_cost_base
    from monthly
    left join projects
        on
            monthly.tenant_id = projects.tenant_id
            and monthly.project_id = projects.project_id
)

select * from final
