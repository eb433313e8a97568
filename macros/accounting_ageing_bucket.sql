{#-
    The ageing bucket of an open item, from its days overdue (negative or 0 when not yet due):
    'current' (not yet due), '1-30', '31-60', '61-90' or '90+'.
-#}
{% macro accounting_ageing_bucket(days_overdue) -%}
    case
        when {{ days_overdue }} <= 0 then 'current'
        when {{ days_overdue }} <= 30 then '1-30'
        when {{ days_overdue }} <= 60 then '31-60'
        when {{ days_overdue }} <= 90 then '61-90'
        else '90+'
    end
{%- endmacro %}

{#-
    accounting_ageing_report(open_item_side, entity_role): the body of ar_ageing / ap_ageing, one row per
    document of that side of int_scoro__open_item_documents with an amount open at the as-of date
    (var scoro_as_of_date): its total if dated on or before it, less its legs in
    int_scoro__document_allocations dated on or before it. Amounts in the sign of what is due
    (AR: the customer owes; AP: we owe).
-#}
{% macro accounting_ageing_report(open_item_side, entity_role) %}

with

documents as (
    select * from {{ ref('int_scoro__open_item_documents') }}
),

allocations as (
    select * from {{ ref('int_scoro__document_allocations') }}
),

settled as (
    select
        tenant_id,
        document_type,
        document_id,
        sum(case when allocation_type = 'receipt_row' then amount else 0 end) as paid_amount,
        sum(case when allocation_type = 'prepayment_setoff' then amount else 0 end) as setoff_amount,
        sum(case when allocation_type = 'credit_allocation' then amount else 0 end) as credited_amount,
        sum(amount) as settled_amount,
        sum(amount_base) as settled_amount_base
    from allocations
    where
        open_item_side = '{{ open_item_side }}'
        and allocation_date <= {{ accounting_as_of_date() }}
    group by tenant_id, document_type, document_id
),

aged as (
    select
        documents.tenant_id,
        documents.document_type,
        documents.document_id,
        documents.document_number,
        documents.{{ entity_role }}_id,
        documents.entity_name as {{ entity_role }}_name,
        documents.document_date,
        documents.due_date,
        documents.currency,
        case when documents.document_date <= {{ accounting_as_of_date() }} then documents.total_amount else 0 end
            as total_amount,
        case when documents.document_date <= {{ accounting_as_of_date() }} then documents.total_amount_base else 0 end
            as total_amount_base,
        coalesce(settled.paid_amount, 0) as paid_amount,
        coalesce(settled.setoff_amount, 0) as setoff_amount,
        coalesce(settled.credited_amount, 0) as credited_amount,
        coalesce(settled.settled_amount, 0) as settled_amount,
        coalesce(settled.settled_amount_base, 0) as settled_amount_base,
        {{ dbt.datediff('documents.due_date', accounting_as_of_date(), 'day') }} as days_overdue
    from documents
    left join settled
        on
            documents.tenant_id = settled.tenant_id
            and documents.document_type = settled.document_type
            and documents.document_id = settled.document_id
    where
        documents.open_item_side = '{{ open_item_side }}'
        and (documents.document_date <= {{ accounting_as_of_date() }} or settled.document_id is not null)
),

final as (
    select
        tenant_id,
        {{ accounting_as_of_date() }} as as_of_date,
        document_type,
        -- ids are text in schema accounting, as in the unified objects (join without casts)
        cast(document_id as {{ dbt.type_string() }}) as document_id,
        document_number,
        cast({{ entity_role }}_id as {{ dbt.type_string() }}) as {{ entity_role }}_id,
        {{ entity_role }}_name,
        document_date,
        due_date,
        currency,
        cast(total_amount as {{ accounting_money_type() }}) as total_amount,
        cast(paid_amount as {{ accounting_money_type() }}) as paid_amount,
        cast(setoff_amount as {{ accounting_money_type() }}) as setoff_amount,
        cast(credited_amount as {{ accounting_money_type() }}) as credited_amount,
        cast(total_amount - settled_amount as {{ accounting_money_type() }}) as amount_due,
        {{ accounting_base_currency('aged.tenant_id') }} as base_currency,
        cast(total_amount_base as {{ accounting_base_money_type() }}) as total_amount_base,
        cast(total_amount_base - settled_amount_base as {{ accounting_base_money_type() }}) as amount_due_base,
        cast(days_overdue as {{ dbt.type_int() }}) as days_overdue,
        days_overdue > 0 as is_overdue,
        {{ accounting_ageing_bucket('days_overdue') }} as ageing_bucket
    from aged
    where total_amount - settled_amount <> 0 or total_amount_base - settled_amount_base <> 0
)

select * from final

{% endmacro %}
