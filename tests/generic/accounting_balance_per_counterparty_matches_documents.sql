{#-
    The balance of an open-item account per tenant, counterparty and currency, in the general ledger
    (the model), equals the open items of the allocation model: Σ open_amount (document currency) and
    Σ open_amount_base of int_scoro__document_open_items of that side (documents' totals less their
    settlements in int_scoro__document_allocations). Debit-positive (receivable, prepayment: a
    liability shows negative, as its open items do), or credit-positive (credit_positive: true) for
    payables. Fails for every counterparty and currency that disagrees: an allocation the ledger
    did not post, or a posting no allocation explains.

        data_tests:
          - accounting_balance_per_counterparty_matches_documents:
              arguments:
                open_item_side: payable
                counterparty_column: vendor_id
                account: "{{ var('scoro_accounts_payable_account') }}"
                credit_positive: true
-#}
{% test accounting_balance_per_counterparty_matches_documents(
    model,
    open_item_side,
    counterparty_column,
    account,
    credit_positive=false
) %}

{% set sign = '-' if credit_positive else '' %}

with

open_items as (
    select * from {{ ref('int_scoro__document_open_items') }}
),

general_ledger as (
    select * from {{ model }}
),

expected as (
    select
        tenant_id,
        {{ counterparty_column }},
        currency,
        sum(open_amount) as amount_due,
        sum(open_amount_base) as amount_due_base
    from open_items
    where open_item_side = '{{ open_item_side }}'
    group by tenant_id, {{ counterparty_column }}, currency
),

actual as (
    select
        tenant_id,
        {{ counterparty_column }},
        currency,
        {{ sign }}sum(signed_amount) as amount_due,
        {{ sign }}sum(signed_amount_base) as amount_due_base
    from general_ledger
    where account_id = '{{ account }}'
    group by tenant_id, {{ counterparty_column }}, currency
)

select
    coalesce(expected.tenant_id, actual.tenant_id) as tenant_id,
    coalesce(expected.{{ counterparty_column }}, actual.{{ counterparty_column }}) as {{ counterparty_column }},
    coalesce(expected.currency, actual.currency) as currency,
    expected.amount_due as expected_amount_due,
    actual.amount_due as ledger_amount_due,
    expected.amount_due_base as expected_amount_due_base,
    actual.amount_due_base as ledger_amount_due_base
from expected
full outer join actual
    on
        expected.tenant_id = actual.tenant_id
        and expected.{{ counterparty_column }} is not distinct from actual.{{ counterparty_column }}
        and expected.currency = actual.currency
where
    coalesce(expected.amount_due, 0) <> coalesce(actual.amount_due, 0)
    or coalesce(expected.amount_due_base, 0) <> coalesce(actual.amount_due_base, 0)

{% endtest %}
