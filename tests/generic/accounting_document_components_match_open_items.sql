{#-
    Every document of int_scoro__document_components has document_total_base = Σ component_base =
    total_amount_base of int_scoro__open_item_documents (what AR / AP carries for it), and every
    posted invoice, credit invoice and bill with a non-zero total has components. Returns the
    documents that break it.
-#}
{% test accounting_document_components_match_open_items(model) %}

with

components as (
    select
        tenant_id,
        document_type,
        document_id,
        max(document_total_base) as document_total_base,
        min(document_total_base) as document_total_base_check,
        sum(component_base) as components_base
    from {{ model }}
    group by tenant_id, document_type, document_id
),

documents as (
    select * from {{ ref('int_scoro__open_item_documents') }}
    where document_type in ('invoice', 'credit_invoice', 'bill')
)

select
    coalesce(components.tenant_id, documents.tenant_id) as tenant_id,
    coalesce(components.document_type, documents.document_type) as document_type,
    coalesce(components.document_id, documents.document_id) as document_id,
    components.components_base,
    documents.total_amount_base
from components
full outer join documents
    on
        components.tenant_id = documents.tenant_id
        and components.document_type = documents.document_type
        and components.document_id = documents.document_id
where
    coalesce(components.components_base, 0) <> coalesce(documents.total_amount_base, 0)
    or components.document_total_base <> components.components_base
    or components.document_total_base <> components.document_total_base_check

{% endtest %}
