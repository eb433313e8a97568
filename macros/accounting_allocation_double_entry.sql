{#-
    The debit and credit rows of settlements read from int_scoro__document_allocations, in the general
    ledger contract, one journal entry per settlement (allocation_id). The model that calls it states
    which settlements it posts; the arithmetic is the same for all (see DECISIONLOG.md, section 18):

    - σ = +1 for legs on a customer-side open item (receivable, prepayment, unallocated receipts),
      −1 for supplier-side ones (payable, expense claim, unallocated payments). Rows are computed
      debit-positive and then split into posting side and absolute amounts.
    - open item leg (every allocation leg): −σ × amount on the leg's open_item_account_id (AR, AP,
      customer prepayments, expense claims, unallocated cash), in the document's currency and, in
      base, −σ × amount_base (the document's own rate, cumulative per document).
    - bank leg (cash legs): +σ × amount on the group's bank account; in base, +σ × cash_amount_base,
      the money's own base value (the payment's rate when the group is in another currency).
    - prepayment VAT legs (legs on a prepayment, var scoro_prepayment_vat_on_receipt): the output VAT
      contained in the leg, debited to var scoro_prepayment_vat_account and credited to VAT payable
      on receipt, reversed by the set-off.
    - realised FX leg: base-currency difference of the entry, amount 0, on var scoro_fx_gain_loss_account.

    journal_entry_id '<document_type>-<allocation_key>'; document_id of each row: the open item it
    moves (bank and FX rows: the document the settlement settles).
-#}
{% macro accounting_allocation_double_entry(document_type, transaction_type, allocation_types, document_types=none) %}

with

allocations as (
    select * from {{ ref('int_scoro__document_allocations') }}
),

posted_allocations as (
    select
        *,
        case
            when open_item_side in ('payable', 'expense', 'unallocated_payable') then -1
            else 1
        end as side_sign,
        {{ dbt.concat(["'" ~ document_type ~ "-'", 'allocation_key']) }} as journal_entry_id
    from allocations
    where
        allocation_type in ('{{ allocation_types | join("', '") }}')
        {% if document_types is not none %}
        and document_type in ('{{ document_types | join("', '") }}')
        {% endif %}
),

-- The document each settlement settles: its one leg, or the leg being paid off (the invoice, not
-- the prepayment or credit invoice paying it).
primary_documents as (
    select
        tenant_id,
        journal_entry_id,
        document_id,
        document_number,
        document_type as primary_document_type
    from (
        select
            tenant_id,
            journal_entry_id,
            document_id,
            document_number,
            document_type,
            row_number() over (
                partition by tenant_id, journal_entry_id
                order by amount desc, document_id
            ) as leg_rank
        from posted_allocations
    ) as ranked
    where leg_rank = 1
),

legs as (
    select
        posted_allocations.*,
        1 as leg_rank,
        bank_account_id as account_id,
        side_sign * amount as signed_amount,
        side_sign * cash_amount_base as signed_amount_base,
        cast(null as {{ dbt.type_bigint() }}) as vat_code_id,
        'bank' as leg
    from posted_allocations
    where cash_amount_base is not null

    union all

    select
        posted_allocations.*,
        2 as leg_rank,
        open_item_account_id as account_id,
        -side_sign * amount as signed_amount,
        -side_sign * amount_base as signed_amount_base,
        cast(null as {{ dbt.type_bigint() }}) as vat_code_id,
        'open_item' as leg
    from posted_allocations

    {% if var('scoro_prepayment_vat_on_receipt', true) %}
    union all

    select
        posted_allocations.*,
        3 as leg_rank,
        '{{ var("scoro_prepayment_vat_account") }}' as account_id,
        prepayment_vat_amount as signed_amount,
        prepayment_vat_amount_base as signed_amount_base,
        prepayment_vat_code_id as vat_code_id,
        'prepayment_vat' as leg
    from posted_allocations
    where document_type = 'prepayment' and (prepayment_vat_amount <> 0 or prepayment_vat_amount_base <> 0)

    union all

    select
        posted_allocations.*,
        4 as leg_rank,
        '{{ var("scoro_vat_output_account") }}' as account_id,
        -prepayment_vat_amount as signed_amount,
        -prepayment_vat_amount_base as signed_amount_base,
        prepayment_vat_code_id as vat_code_id,
        'vat' as leg
    from posted_allocations
    where document_type = 'prepayment' and (prepayment_vat_amount <> 0 or prepayment_vat_amount_base <> 0)
    {% endif %}
),

fx_legs as (
    select
        legs.tenant_id,
        legs.journal_entry_id,
        min(legs.allocation_date) as allocation_date,
        max(legs.currency) as currency,
        -sum(legs.signed_amount_base) as signed_amount_base
    from legs
    group by legs.tenant_id, legs.journal_entry_id
    having sum(legs.signed_amount_base) <> 0
),

all_legs as (
    select
        legs.tenant_id,
        legs.journal_entry_id,
        legs.leg_rank,
        legs.leg,
        legs.allocation_date,
        legs.document_type as leg_document_type,
        legs.document_id,
        legs.document_number,
        legs.account_id,
        legs.signed_amount,
        legs.signed_amount_base,
        legs.currency,
        legs.currency_rate,
        legs.customer_id,
        legs.vendor_id,
        legs.entity_name,
        legs.project_id,
        legs.vat_code_id,
        legs.finance_object_id,
        legs.receipt_group_id,
        legs.allocation_type
    from legs
    where legs.signed_amount <> 0 or legs.signed_amount_base <> 0

    union all

    select
        fx_legs.tenant_id,
        fx_legs.journal_entry_id,
        5 as leg_rank,
        'fx' as leg,
        fx_legs.allocation_date,
        primary_documents.primary_document_type as leg_document_type,
        primary_documents.document_id,
        primary_documents.document_number,
        '{{ var("scoro_fx_gain_loss_account") }}' as account_id,
        cast(0 as {{ accounting_money_type() }}) as signed_amount,
        fx_legs.signed_amount_base,
        fx_legs.currency,
        primary_legs.currency_rate,
        primary_legs.customer_id,
        primary_legs.vendor_id,
        primary_legs.entity_name,
        primary_legs.project_id,
        cast(null as {{ dbt.type_bigint() }}) as vat_code_id,
        primary_legs.finance_object_id,
        primary_legs.receipt_group_id,
        primary_legs.allocation_type
    from fx_legs
    inner join primary_documents
        on
            fx_legs.tenant_id = primary_documents.tenant_id
            and fx_legs.journal_entry_id = primary_documents.journal_entry_id
    inner join posted_allocations as primary_legs
        on
            primary_documents.tenant_id = primary_legs.tenant_id
            and primary_documents.journal_entry_id = primary_legs.journal_entry_id
            and primary_documents.document_id = primary_legs.document_id
),

final as (
    select
        all_legs.tenant_id,
        all_legs.journal_entry_id,
        cast(row_number() over (
            partition by all_legs.tenant_id, all_legs.journal_entry_id
            order by all_legs.leg_rank, case when all_legs.signed_amount < 0 then 1 else 0 end, all_legs.document_id
        ) as {{ dbt.type_int() }}) as line_index,
        all_legs.allocation_date as transaction_date,
        '{{ document_type }}' as document_type,
        '{{ transaction_type }}' as transaction_type,
        cast(all_legs.document_id as {{ dbt.type_bigint() }}) as document_id,
        cast(all_legs.document_number as {{ dbt.type_string() }}) as document_number,
        cast(all_legs.account_id as {{ dbt.type_string() }}) as account_id,
        case
            when all_legs.signed_amount > 0 or (all_legs.signed_amount = 0 and all_legs.signed_amount_base > 0)
                then 'Debit'
            else 'Credit'
        end as posting_type,
        cast(all_legs.currency as {{ dbt.type_string() }}) as currency,
        cast(abs(all_legs.signed_amount) as {{ accounting_money_type() }}) as amount,
        cast(abs(all_legs.signed_amount_base) as {{ accounting_base_money_type() }}) as amount_base,
        {{ accounting_base_currency('all_legs.tenant_id') }} as base_currency,
        cast(all_legs.currency_rate as {{ accounting_money_type() }}) as currency_rate,
        cast(all_legs.customer_id as {{ dbt.type_bigint() }}) as customer_id,
        cast(all_legs.vendor_id as {{ dbt.type_bigint() }}) as vendor_id,
        cast(all_legs.entity_name as {{ dbt.type_string() }}) as entity_name,
        cast(all_legs.project_id as {{ dbt.type_bigint() }}) as project_id,
        cast(all_legs.vat_code_id as {{ dbt.type_bigint() }}) as vat_code_id,
        cast(null as {{ dbt.type_bigint() }}) as product_id,
        cast(
            {{ dbt.concat([
                "case"
                ~ " when all_legs.leg = 'fx' then 'Realised exchange difference'"
                ~ " when all_legs.leg in ('prepayment_vat', 'vat') then 'VAT on prepayment'"
                ~ " when all_legs.allocation_type = 'prepayment_setoff' then 'Prepayment set off'"
                ~ " when all_legs.allocation_type = 'credit_allocation' then 'Credit allocated'"
                ~ " when all_legs.allocation_type = 'unallocated_cash' then 'Unallocated cash'"
                ~ " else '" ~ transaction_type ~ "' end",
                "' '",
                "replace(all_legs.leg_document_type, '_', ' ')",
                "' '",
                "coalesce(all_legs.document_number, cast(all_legs.document_id as " ~ dbt.type_string() ~ "))",
            ]) }}
            as {{ dbt.type_string() }}
        ) as description,
        cast(all_legs.finance_object_id as {{ dbt.type_bigint() }}) as finance_object_id,
        cast(null as {{ dbt.type_bigint() }}) as document_line_id
    from all_legs
)

select * from final

{% endmacro %}
