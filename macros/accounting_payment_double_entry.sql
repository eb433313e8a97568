{#-
    The debit and credit rows of money received or paid against a Scoro document, one journal
    entry per receipt row (a receipt group's row pays one invoice, bill or prepayment), in the
    general ledger contract. The model that calls it states the posting rule (see DECISIONLOG.md):

    - which rows: the receipt group and row are not deleted, and
        payment_kind 'invoices'    → rows without prepayment_id whose sales_doc_type is invoices;
        payment_kind 'bills'       → rows without prepayment_id whose sales_doc_type is bills
                                     (their invoice_id is the bill id);
        payment_kind 'prepayments' → rows with a prepayment_id;
      and the document they pay posts: it exists, is not deleted and its status is not marked
      posts_to_ledger = false in scoro_status_map. Other rows post nothing.
    - two legs: the bank account (the group's receipt account as 'bank_<id>', else var
      scoro_default_bank_account) and counterparty_account. A positive row puts the bank on
      bank_side; a negative one (a refund) flips both sides.
    - currency: the paid document's currency and rate. Base amounts are taken cumulatively per
      paid document: base(row k) = to_base(Σ rows 1..k) − to_base(Σ rows 1..k−1), rows in date
      order, so a document paid in full leaves exactly zero in base currency on AR/AP.
    - document_id / document_number: the paid document's; journal_entry_id:
      '<document_type>-<receipt group id>-<receipt row id>'.
-#}
{% macro accounting_payment_double_entry(
    document_type,
    transaction_type,
    payment_kind,
    paid_documents,
    scoro_module,
    counterparty_account,
    bank_side,
    entity_role,
    document_number_column='no'
) %}

{% set other_side = 'credit' if bank_side == 'debit' else 'debit' %}

with

receipt_groups as (
    select * from {{ ref('stg_scoro__receipts') }}
),

receipt_rows as (
    select * from {{ ref('stg_scoro__receipt_rows') }}
),

receipt_accounts as (
    select * from {{ ref('stg_scoro__receipt_accounts') }}
),

paid_documents as (
    select * from {{ paid_documents }}
),

status_map as (
    select * from {{ ref('scoro_status_map') }}
),

posting_paid_documents as (
    select
        tenant_id,
        id as document_id,
        cast({{ document_number_column }} as {{ dbt.type_string() }}) as document_number,
        {{ accounting_currency('currency') }} as currency,
        {{ accounting_rate('currency', 'currency_rate') }} as currency_rate,
        coalesce(company_id, person_id) as entity_id,
        coalesce(company_name, person_name) as entity_name,
        project_id
    from paid_documents
    where
        not is_deleted
        and not exists (
            select 1
            from status_map
            where
                status_map.scoro_module = '{{ scoro_module }}'
                and lower(status_map.scoro_status) = lower(trim(paid_documents.status))
                and not status_map.posts_to_ledger
        )
),

payment_rows as (
    select
        receipt_rows.tenant_id,
        receipt_groups.id as receipt_group_id,
        receipt_rows.receipt_id as receipt_row_id,
        receipt_rows.{{ 'prepayment_id' if payment_kind == 'prepayments' else 'invoice_id' }} as document_id,
        cast(coalesce(receipt_rows.date, receipt_groups.date) as date) as transaction_date,
        {{ accounting_money('coalesce(receipt_rows.sum, 0)') }} as amount_signed,
        case
            when receipt_accounts.id is not null
                then {{ dbt.concat(["'bank_'", 'cast(receipt_accounts.id as ' ~ dbt.type_string() ~ ')']) }}
            else '{{ var("scoro_default_bank_account") }}'
        end as bank_account_id,
        receipt_accounts.name as bank_account_name
    from receipt_rows
    inner join receipt_groups
        on
            receipt_rows.tenant_id = receipt_groups.tenant_id
            and receipt_rows.receipt_group_id = receipt_groups.id
    left join receipt_accounts
        on
            receipt_groups.tenant_id = receipt_accounts.tenant_id
            and receipt_groups.receipt_account_id = receipt_accounts.id
    where
        not receipt_groups.is_deleted
        and not receipt_rows.is_deleted
        {% if payment_kind == 'prepayments' %}
        and receipt_rows.prepayment_id is not null
        {% else %}
        and receipt_rows.prepayment_id is null
        and coalesce(receipt_rows.sales_doc_type, receipt_groups.sales_doc_type) = '{{ payment_kind }}'
        {% endif %}
),

sequenced as (
    select
        payment_rows.*,
        posting_paid_documents.document_number,
        posting_paid_documents.currency,
        posting_paid_documents.currency_rate,
        posting_paid_documents.entity_id,
        posting_paid_documents.entity_name,
        posting_paid_documents.project_id,
        sum(payment_rows.amount_signed) over (
            partition by payment_rows.tenant_id, payment_rows.document_id
            order by payment_rows.transaction_date, payment_rows.receipt_group_id, payment_rows.receipt_row_id
            rows between unbounded preceding and current row
        ) as cumulative_amount
    from payment_rows
    inner join posting_paid_documents
        on
            payment_rows.tenant_id = posting_paid_documents.tenant_id
            and payment_rows.document_id = posting_paid_documents.document_id
    where payment_rows.amount_signed <> 0
),

converted as (
    select
        *,
        {{ accounting_to_base('cumulative_amount', 'currency_rate') }}
        - {{ accounting_to_base('cumulative_amount - amount_signed', 'currency_rate') }} as amount_base_signed
    from sequenced
),

legs as (
    select
        converted.*,
        1 as line_index,
        bank_account_id as account_id,
        case when amount_signed > 0 then '{{ bank_side }}' else '{{ other_side }}' end as posting_type
    from converted

    union all

    select
        converted.*,
        2 as line_index,
        '{{ counterparty_account }}' as account_id,
        case when amount_signed > 0 then '{{ other_side }}' else '{{ bank_side }}' end as posting_type
    from converted
),

final as (
    select
        tenant_id,
        {{ dbt.concat([
            "'" ~ document_type ~ "-'",
            'cast(receipt_group_id as ' ~ dbt.type_string() ~ ')',
            "'-'",
            'cast(receipt_row_id as ' ~ dbt.type_string() ~ ')'
        ]) }} as journal_entry_id,
        cast(line_index as {{ dbt.type_int() }}) as line_index,
        transaction_date,
        '{{ document_type }}' as document_type,
        '{{ transaction_type }}' as transaction_type,
        cast(document_id as {{ dbt.type_bigint() }}) as document_id,
        document_number,
        cast(account_id as {{ dbt.type_string() }}) as account_id,
        posting_type,
        currency,
        cast(abs(amount_signed) as {{ accounting_money_type() }}) as amount,
        cast(abs(amount_base_signed) as {{ accounting_base_money_type() }}) as amount_base,
        '{{ var("scoro_base_currency") | upper }}' as base_currency,
        currency_rate,
        {% if entity_role == 'customer' %}
        cast(entity_id as {{ dbt.type_bigint() }}) as customer_id,
        cast(null as {{ dbt.type_bigint() }}) as vendor_id,
        {% else %}
        cast(null as {{ dbt.type_bigint() }}) as customer_id,
        cast(entity_id as {{ dbt.type_bigint() }}) as vendor_id,
        {% endif %}
        cast(entity_name as {{ dbt.type_string() }}) as entity_name,
        cast(project_id as {{ dbt.type_bigint() }}) as project_id,
        cast(null as {{ dbt.type_bigint() }}) as vat_code_id,
        cast(null as {{ dbt.type_bigint() }}) as product_id,
        cast({{ dbt.concat([
            "'" ~ transaction_type ~ " '",
            'cast(receipt_group_id as ' ~ dbt.type_string() ~ ')',
            "' on " ~ scoro_module[:-1] ~ " '",
            "coalesce(document_number, cast(document_id as " ~ dbt.type_string() ~ "))"
        ]) }} as {{ dbt.type_string() }}) as description
    from legs
)

select * from final

{% endmacro %}
