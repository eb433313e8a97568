-- Summed over all time, the cash-basis P&L of each tenant and account equals the settled part of every posted
-- invoice's, credit invoice's and bill's amount on that account, plus what settlements post on it (realised exchange
-- differences, expense claims). Settled part of a document's component c: F(c, A) with A = its settled base amount
-- from the open items (total − open, clamped to [0, total]), F = round(c × A / total, 2), the document's plug taking
-- the cents (DECISIONLOG.md section 31). The report builds it leg by leg from the allocation model; this test from
-- the documents' final open items. Returns the accounts that differ.
with

cash_basis as (
    select * from {{ ref('profit_and_loss_cash_by_month') }}
),

components as (
    select * from {{ ref('int_scoro__document_components') }}
),

open_items as (
    select * from {{ ref('int_scoro__document_open_items') }}
),

general_ledger as (
    select * from {{ ref('int_scoro__general_ledger') }}
),

settled as (
    select
        components.*,
        case
            when components.document_total_base > 0
                then
                    case
                        when open_items.total_amount_base - open_items.open_amount_base < 0 then 0
                        when open_items.total_amount_base - open_items.open_amount_base > components.document_total_base
                            then components.document_total_base
                        else open_items.total_amount_base - open_items.open_amount_base
                    end
            when components.document_total_base < 0
                then
                    case
                        when open_items.total_amount_base - open_items.open_amount_base > 0 then 0
                        when open_items.total_amount_base - open_items.open_amount_base < components.document_total_base
                            then components.document_total_base
                        else open_items.total_amount_base - open_items.open_amount_base
                    end
            else 0
        end as settled_base
    from components
    inner join open_items
        on
            components.tenant_id = open_items.tenant_id
            and components.document_type = open_items.document_type
            and components.document_id = open_items.document_id
),

others_paid as (
    select
        *,
        case
            when is_plug or document_total_base = 0 then 0
            else {{ accounting_round_division('component_base * settled_base', 'document_total_base') }}
        end as others_paid_base
    from settled
),

paid as (
    select
        tenant_id,
        account_id,
        account_classification,
        side_sign,
        case
            when is_plug
                then settled_base - sum(others_paid_base) over (partition by tenant_id, document_type, document_id)
            else others_paid_base
        end as paid_base
    from others_paid
),

expected_rows as (
    -- net profit effect of the paid part: credit-positive (= side_sign × paid part)
    select
        tenant_id,
        account_id,
        side_sign * paid_base as net_profit_effect_base
    from paid
    where account_classification = 'incomestatement'

    union all

    select
        tenant_id,
        account_id,
        -signed_amount_base as net_profit_effect_base
    from general_ledger
    where
        account_classification = 'incomestatement'
        and document_type not in ('invoice', 'credit_invoice', 'bill', 'fx_revaluation', 'year_end_close')
),

expected as (
    select
        tenant_id,
        account_id,
        sum(net_profit_effect_base) as net_profit_effect_base
    from expected_rows
    group by tenant_id, account_id
),

reported as (
    select
        tenant_id,
        account_id,
        sum(net_profit_effect_base) as net_profit_effect_base
    from cash_basis
    group by tenant_id, account_id
)

select
    coalesce(expected.tenant_id, reported.tenant_id) as tenant_id,
    coalesce(expected.account_id, reported.account_id) as account_id,
    expected.net_profit_effect_base as paid_part_base,
    reported.net_profit_effect_base as cash_basis_base
from expected
full outer join reported
    on
        expected.tenant_id = reported.tenant_id
        and expected.account_id = reported.account_id
where coalesce(expected.net_profit_effect_base, 0) <> coalesce(reported.net_profit_effect_base, 0)
