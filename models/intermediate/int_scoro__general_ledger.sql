-- One row per debit or credit of every journal entry, all document types, with its account's classification.
{#- Adding a document type: add its model to accounting_double_entry_models() (macros/accounting_general_ledger.sql).
    The year-end close comes last: it closes the income-statement rows of the others. -#}
{{ config(materialized=accounting_incremental_materialization(), incremental_strategy='replace_documents') }}
{%- set double_entry_models = accounting_double_entry_models() + ['int_scoro__year_end_close_double_entry'] -%}
{#- Incremental by document (DECISIONLOG.md section 36): the rows of these models are taken again for the
    documents they re-posted since this table's last build; the others' rows are all replaced on every build. -#}
{%- set incremental_models = {
    'int_scoro__invoice_double_entry': 'invoice',
    'int_scoro__credit_invoice_double_entry': 'credit_invoice',
    'int_scoro__bill_double_entry': 'bill',
} -%}
{%- set rebuilt_types = [] -%}
{%- for model_name in double_entry_models if model_name not in incremental_models -%}
    {%- do rebuilt_types.append(model_name | replace('int_scoro__', '') | replace('_double_entry', '')) -%}
{%- endfor -%}
{%- set incremental = accounting_is_incremental() %}

{%- set contract_columns = [
    'tenant_id', 'journal_entry_id', 'line_index', 'transaction_date', 'document_type', 'transaction_type',
    'document_id', 'document_number', 'account_id', 'posting_type', 'currency', 'amount', 'amount_base',
    'base_currency', 'currency_rate', 'customer_id', 'vendor_id', 'entity_name', 'project_id', 'vat_code_id',
    'product_id', 'description', 'finance_object_id', 'document_line_id',
] %}

with

accounts as (
    select * from {{ ref('int_scoro__accounts') }}
),

-- the account columns every row carries: a tenant whose accounts changed has all its rows taken again
accounts_fingerprints as (
    {{ accounting_tenant_fingerprints(ref('int_scoro__accounts'), [
        'account_id', 'name', 'account_number', 'classification', 'account_type', 'normal_balance',
        'parent_id', 'parent_name', 'is_bank_account',
    ]) }}
),

{% for model_name in double_entry_models %}
    {{ model_name }} as (
        select * from {{ ref(model_name) }}
    ),
{% endfor %}

{% if incremental %}
    last_build as (
        select
            tenant_id,
            document_type,
            max(source_synced_at) as source_synced_at
        from {{ this }}
        group by tenant_id, document_type
    ),

    stale_tenants as (
        select distinct held.tenant_id
        from {{ this }} as held
        left join accounts_fingerprints
            on held.tenant_id = accounts_fingerprints.tenant_id
        where coalesce(held.accounts_fingerprint, '') <> coalesce(accounts_fingerprints.fingerprint, '')
    ),

    -- documents this table holds that an incremental model no longer posts, and every document of the others
    replaced_documents as (
        {% for model_name, document_type in incremental_models.items() %}
            select distinct
                held.tenant_id,
                held.document_type,
                held.document_id
            from {{ this }} as held
            where
                held.document_type = '{{ document_type }}'
                and not exists (
                    select 1 from {{ model_name }}
                    where
                        {{ model_name }}.tenant_id = held.tenant_id
                        and {{ model_name }}.document_id = held.document_id
                )
            union all
        {% endfor %}
        select distinct
            held.tenant_id,
            held.document_type,
            held.document_id
        from {{ this }} as held
        where
            held.document_type in (
                '{{ rebuilt_types | join("', '") }}'
            )
    ),
{% endif %}

unioned as (
    {% for model_name in double_entry_models %}
        select
            {% for column in contract_columns %}{{ model_name }}.{{ column }},
            {% endfor %}
            {% if model_name in incremental_models %}
                {{ model_name }}.source_synced_at
            {% else %}
                cast(null as {{ dbt.type_timestamp() }}) as source_synced_at
            {% endif %}
        from {{ model_name }}
        {% if incremental and model_name in incremental_models %}
            left join last_build
                on
                    {{ model_name }}.tenant_id = last_build.tenant_id
                    and last_build.document_type = '{{ incremental_models[model_name] }}'
            where
                last_build.source_synced_at is null
                -- a document with an input that has no sync time is posted again on every build
                or {{ model_name }}.source_synced_at is null
                or {{ model_name }}.source_synced_at > last_build.source_synced_at
                or {{ model_name }}.tenant_id in (select stale_tenants.tenant_id from stale_tenants)
        {% endif %}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

final as (
    select
        unioned.*,
        case when unioned.posting_type = 'Debit' then unioned.amount else -unioned.amount end as signed_amount,
        case
            when unioned.posting_type = 'Debit' then unioned.amount_base else -unioned.amount_base
        end as signed_amount_base,
        accounts.name as account_name,
        accounts.account_number,
        accounts.classification as account_classification,
        accounts.account_type,
        accounts.normal_balance as account_normal_balance,
        accounts.parent_id as account_parent_id,
        accounts.parent_name as account_parent_name,
        accounts.is_bank_account,
        accounts_fingerprints.fingerprint as accounts_fingerprint
    from unioned
    left join accounts
        on
            unioned.tenant_id = accounts.tenant_id
            and unioned.account_id = accounts.account_id
    left join accounts_fingerprints
        on unioned.tenant_id = accounts_fingerprints.tenant_id
)

select * from final
{% if incremental %}
    union all
    {{ accounting_replaced_document_markers('replaced_documents', 'replaced_keys.document_type') }}
{% endif %}
