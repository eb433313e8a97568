{#-
    The shares of every settlement leg on an invoice, credit invoice or bill add up to what the leg
    settled (amount_base of int_scoro__document_allocations) and, for money, their cash shares to the
    bank movement (cash_amount_base); every leg has its shares. Returns the legs that break it.
-#}
{% test accounting_settlement_shares_add_up(model) %}

with

shares as (
    select
        tenant_id,
        allocation_id,
        document_type,
        document_id,
        sum(share_base) as share_base,
        sum(cash_share_base) as cash_share_base
    from {{ model }}
    group by tenant_id, allocation_id, document_type, document_id
),

legs as (
    select * from {{ ref('int_scoro__document_allocations') }}
    where document_type in ('invoice', 'credit_invoice', 'bill')
)

select
    coalesce(legs.tenant_id, shares.tenant_id) as tenant_id,
    coalesce(legs.allocation_id, shares.allocation_id) as allocation_id,
    legs.amount_base,
    shares.share_base,
    legs.cash_amount_base,
    shares.cash_share_base
from legs
full outer join shares
    on
        legs.tenant_id = shares.tenant_id
        and legs.allocation_id = shares.allocation_id
        and legs.document_type = shares.document_type
        and legs.document_id = shares.document_id
where
    coalesce(legs.amount_base, 0) <> coalesce(shares.share_base, 0)
    or coalesce(legs.cash_amount_base, 0) <> coalesce(shares.cash_share_base, 0)

{% endtest %}
