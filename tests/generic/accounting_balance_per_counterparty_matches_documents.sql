{#-
    Accounts Receivable or Payable per tenant, counterparty and currency = Σ (sum + vat_sum) of the
    booked documents (not deleted, status posting to the ledger in scoro_status_map for
    scoro_module) − Σ the receipt rows paying them (sales_doc_type scoro_module, no prepayment),
    computed from staging, not from the ledger; in base currency each document counts
    to_base(total) − to_base(Σ its receipts). Fails for every counterparty whose balance on account
    in the model (the general ledger) disagrees: debit-positive for Receivable, credit-positive
    (credit_positive: true) for Payable.

        data_tests:
          - accounting_balance_per_counterparty_matches_documents:
              arguments:
                documents: ref('stg_scoro__bills')
                scoro_module: bills
                counterparty_column: vendor_id
                account: "{{ var('scoro_accounts_payable_account') }}"
                credit_positive: true
-#}
{% test accounting_balance_per_counterparty_matches_documents(
    model,
    documents,
    scoro_module,
    counterparty_column,
    account,
    credit_positive=false
) %}

{% set sign = '-' if credit_positive else '' %}

with

documents as (
    select * from {{ documents }}
),

receipt_groups as (
    select * from {{ ref('stg_scoro__receipts') }}
),

receipt_rows as (
    select * from {{ ref('stg_scoro__receipt_rows') }}
),

status_map as (
    select * from {{ ref('scoro_status_map') }}
),

general_ledger as (
    select * from {{ model }}
),

booked_documents as (
    select
        tenant_id,
        id,
        coalesce(company_id, person_id) as {{ counterparty_column }},
        {{ accounting_currency('currency') }} as currency,
        {{ accounting_rate('currency', 'currency_rate') }} as currency_rate,
        coalesce(sum, 0) + coalesce(vat_sum, 0) as total
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

received as (
    select
        receipt_rows.tenant_id,
        receipt_rows.invoice_id as document_id,
        sum(receipt_rows.sum) as received
    from receipt_rows
    inner join receipt_groups
        on
            receipt_rows.tenant_id = receipt_groups.tenant_id
            and receipt_rows.receipt_group_id = receipt_groups.id
    where
        not receipt_groups.is_deleted
        and receipt_rows.prepayment_id is null
        and coalesce(receipt_rows.sales_doc_type, receipt_groups.sales_doc_type) = '{{ scoro_module }}'
    group by receipt_rows.tenant_id, receipt_rows.invoice_id
),

open_documents as (
    select
        booked_documents.tenant_id,
        booked_documents.{{ counterparty_column }},
        booked_documents.currency,
        booked_documents.total - coalesce(received.received, 0) as amount_due,
        {{ accounting_to_base('booked_documents.total', 'booked_documents.currency_rate') }}
        - {{ accounting_to_base('coalesce(received.received, 0)', 'booked_documents.currency_rate') }}
            as amount_due_base
    from booked_documents
    left join received
        on
            booked_documents.tenant_id = received.tenant_id
            and booked_documents.id = received.document_id
),

expected as (
    select
        tenant_id,
        {{ counterparty_column }},
        currency,
        sum(amount_due) as amount_due,
        sum(amount_due_base) as amount_due_base
    from open_documents
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
