-- One row per settlement leg on an invoice, credit invoice or bill and component of that document: the part of the
-- component the leg settles (document's rate, cumulative cents) and, for money, the part of the bank movement.
{#
    A document's components (int_scoro__document_components: lines per account and project, VAT,
    header differences, currency rounding) add up to its total T on AR / AP, in base currency. Its
    settlement legs (int_scoro__document_allocations: money, prepayments set off, credits allocated)
    are taken in the allocation model's order (date, leg order, allocation id); A(k) is the base
    amount settled after leg k, clamped to [0, T] (what a document is paid beyond its total is an
    overpayment, not a part of its lines). Each component c is settled F(c, A) = round(c × A / T, 2)
    after A, except the document's plug component, which takes A − Σ of the others: so the shares of
    one leg, F(c, A(k)) − F(c, A(k−1)), add up to exactly what the leg settled, and once the document
    is settled every component has received exactly c. The part of a leg beyond the clamp is one
    more row, is_excess, on the document's AR / AP account.
    Money: the leg's bank movement in base currency (cash_amount_base; another value than the leg's
    own base amount when the money came in another currency) is spread over the leg's rows in
    proportion to their shares, the row with the largest share taking the rounding cents.
    DECISIONLOG.md section 31.
#}

with

allocations as (
    select * from {{ ref('int_scoro__document_allocations') }}
),

components as (
    select * from {{ ref('int_scoro__document_components') }}
),

accounts as (
    select * from {{ ref('int_scoro__accounts') }}
),

document_totals as (
    select
        tenant_id,
        document_type,
        document_id,
        max(document_total_base) as total_base
    from components
    group by tenant_id, document_type, document_id
),

settlement_legs as (
    select
        allocations.*,
        case when allocations.open_item_side = 'payable' then -1 else 1 end as side_sign,
        sum(allocations.amount_base) over (
            partition by allocations.tenant_id, allocations.document_type, allocations.document_id
            order by allocations.allocation_date, allocations.leg_order, allocations.allocation_id
            rows between unbounded preceding and current row
        ) as settled_to_date_base,
        sum(allocations.amount_base) over (
            partition by allocations.tenant_id, allocations.document_type, allocations.document_id
            order by allocations.allocation_date, allocations.leg_order, allocations.allocation_id
            rows between unbounded preceding and current row
        ) - allocations.amount_base as settled_before_base
    from allocations
    where allocations.document_type in ('invoice', 'credit_invoice', 'bill')
),

-- What of the settled amount applies to the document's components: clamped to [0, T] (or [T, 0]).
clamped_legs as (
    select
        settlement_legs.*,
        coalesce(document_totals.total_base, 0) as total_base,
        {{ accounting_clamp_to_total('settlement_legs.settled_to_date_base', 'document_totals.total_base') }}
            as applied_to_date_base,
        {{ accounting_clamp_to_total('settlement_legs.settled_before_base', 'document_totals.total_base') }}
            as applied_before_base
    from settlement_legs
    left join document_totals
        on
            settlement_legs.tenant_id = document_totals.tenant_id
            and settlement_legs.document_type = document_totals.document_type
            and settlement_legs.document_id = document_totals.document_id
),

-- F(c, A) of every component but the plug, after the leg and before it.
leg_components as (
    select
        clamped_legs.tenant_id,
        clamped_legs.allocation_id,
        clamped_legs.document_type,
        clamped_legs.document_id,
        clamped_legs.applied_to_date_base,
        clamped_legs.applied_before_base,
        components.account_id,
        components.document_line_id,
        components.project_id,
        components.is_plug,
        case
            when components.is_plug or clamped_legs.total_base = 0 then 0
            else {{ accounting_round_division(
                'components.component_base * clamped_legs.applied_to_date_base', 'clamped_legs.total_base'
            ) }}
        end as others_to_date_base,
        case
            when components.is_plug or clamped_legs.total_base = 0 then 0
            else {{ accounting_round_division(
                'components.component_base * clamped_legs.applied_before_base', 'clamped_legs.total_base'
            ) }}
        end as others_before_base
    from clamped_legs
    inner join components
        on
            clamped_legs.tenant_id = components.tenant_id
            and clamped_legs.document_type = components.document_type
            and clamped_legs.document_id = components.document_id
),

component_shares as (
    select
        tenant_id,
        allocation_id,
        document_type,
        document_id,
        account_id,
        document_line_id,
        project_id,
        false as is_excess,
        case
            when is_plug
                then
                    (applied_to_date_base - sum(others_to_date_base) over (
                        partition by tenant_id, allocation_id, document_type, document_id
                    ))
                    - (applied_before_base - sum(others_before_base) over (
                        partition by tenant_id, allocation_id, document_type, document_id
                    ))
            else others_to_date_base - others_before_base
        end as share_base
    from leg_components
),

-- The part of a leg beyond the document's total (an overpayment, or its refund), on the AR / AP account.
excess_shares as (
    select
        tenant_id,
        allocation_id,
        document_type,
        document_id,
        open_item_account_id as account_id,
        cast(null as {{ dbt.type_bigint() }}) as document_line_id,
        cast(null as {{ dbt.type_bigint() }}) as project_id,
        true as is_excess,
        (settled_to_date_base - applied_to_date_base) - (settled_before_base - applied_before_base) as share_base
    from clamped_legs
),

shares as (
    select * from component_shares
    union all
    select * from excess_shares
),

-- The leg's money over its rows: each row round(share × money / leg), the largest share taking the cents.
cash_ranked as (
    select
        shares.*,
        clamped_legs.allocation_type,
        clamped_legs.allocation_date,
        clamped_legs.leg_order,
        clamped_legs.document_number,
        clamped_legs.open_item_side,
        clamped_legs.side_sign,
        clamped_legs.amount_base as leg_amount_base,
        clamped_legs.cash_amount_base as leg_cash_amount_base,
        clamped_legs.bank_account_id,
        clamped_legs.receipt_account_id,
        clamped_legs.receipt_group_id,
        clamped_legs.receipt_row_id,
        row_number() over (
            partition by shares.tenant_id, shares.allocation_id, shares.document_type, shares.document_id
            order by
                abs(shares.share_base) desc,
                case when shares.is_excess then 1 else 0 end asc,
                case when shares.document_line_id is null then 1 else 0 end asc,
                shares.document_line_id asc,
                shares.account_id asc,
                -- nulls placed explicitly: Spark puts them first in ascending order, DuckDB and Postgres last
                shares.project_id asc nulls last
        ) as cash_rank,
        case
            when clamped_legs.cash_amount_base is null or clamped_legs.amount_base = 0 then 0
            else {{ accounting_round_division(
                'shares.share_base * clamped_legs.cash_amount_base', 'clamped_legs.amount_base'
            ) }}
        end as proportional_cash_base
    from shares
    inner join clamped_legs
        on
            shares.tenant_id = clamped_legs.tenant_id
            and shares.allocation_id = clamped_legs.allocation_id
            and shares.document_type = clamped_legs.document_type
            and shares.document_id = clamped_legs.document_id
),

cash_shares as (
    select
        *,
        case
            when leg_cash_amount_base is null then null
            when leg_cash_amount_base = leg_amount_base then share_base
            when cash_rank = 1
                then
                    leg_cash_amount_base
                    - (
                        sum(proportional_cash_base)
                            over (
                                partition by tenant_id, allocation_id, document_type, document_id
                            )
                        - proportional_cash_base
                    )
            else proportional_cash_base
        end as cash_share_base
    from cash_ranked
),

final as (
    select
        cast(cash_shares.tenant_id as {{ dbt.type_string() }}) as tenant_id,
        cast(cash_shares.allocation_id as {{ dbt.type_string() }}) as allocation_id,
        cast(cash_shares.allocation_type as {{ dbt.type_string() }}) as allocation_type,
        cast(cash_shares.allocation_date as date) as allocation_date,
        cast(cash_shares.leg_order as {{ dbt.type_int() }}) as leg_order,
        cast(cash_shares.document_type as {{ dbt.type_string() }}) as document_type,
        cast(cash_shares.document_id as {{ dbt.type_bigint() }}) as document_id,
        cast(cash_shares.document_number as {{ dbt.type_string() }}) as document_number,
        cast(cash_shares.open_item_side as {{ dbt.type_string() }}) as open_item_side,
        cast(cash_shares.side_sign as {{ dbt.type_int() }}) as side_sign,
        cast(cash_shares.account_id as {{ dbt.type_string() }}) as account_id,
        cast(cash_shares.document_line_id as {{ dbt.type_bigint() }}) as document_line_id,
        cast(cash_shares.project_id as {{ dbt.type_bigint() }}) as project_id,
        cast(cash_shares.is_excess as {{ dbt.type_boolean() }}) as is_excess,
        cast(accounts.classification as {{ dbt.type_string() }}) as account_classification,
        cast(accounts.account_type as {{ dbt.type_string() }}) as account_type,
        cast(coalesce(accounts.is_bank_account, false) as {{ dbt.type_boolean() }}) as is_bank_account,
        cast(cash_shares.share_base as {{ accounting_base_money_type() }}) as share_base,
        -- the share as the document posted it on its account: debit-positive
        cast(-cash_shares.side_sign * cash_shares.share_base as {{ accounting_base_money_type() }})
            as signed_share_base,
        cast(cash_shares.leg_cash_amount_base is not null as {{ dbt.type_boolean() }}) as is_cash,
        cast(cash_shares.bank_account_id as {{ dbt.type_string() }}) as bank_account_id,
        cast(cash_shares.receipt_account_id as {{ dbt.type_bigint() }}) as receipt_account_id,
        cast(cash_shares.receipt_group_id as {{ dbt.type_bigint() }}) as receipt_group_id,
        cast(cash_shares.receipt_row_id as {{ dbt.type_bigint() }}) as receipt_row_id,
        cast(cash_shares.cash_share_base as {{ accounting_base_money_type() }}) as cash_share_base
    from cash_shares
    left join accounts
        on
            cash_shares.tenant_id = accounts.tenant_id
            and cash_shares.account_id = accounts.account_id
    where cash_shares.share_base <> 0 or coalesce(cash_shares.cash_share_base, 0) <> 0
)

select * from final
