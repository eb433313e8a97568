-- One row per debit or credit of every journal entry, all document types, with its account's classification.
{#- Adding a document type: add its model to accounting_double_entry_models() (macros/accounting_general_ledger.sql).
    The year-end close comes last: it closes the income-statement rows of the others. -#}
{%- set double_entry_models = accounting_double_entry_models() + ['int_scoro__year_end_close_double_entry'] -%}

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

{% for model_name in double_entry_models %}
    {{ model_name }} as (
        select * from {{ ref(model_name) }}
    ),
{% endfor %}

unioned as (
    {% for model_name in double_entry_models %}
        select {{ contract_columns | join(', ') }}
        from {{ model_name }}
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
        accounts.is_bank_account
    from unioned
    left join accounts
        on
            unioned.tenant_id = accounts.tenant_id
            and unioned.account_id = accounts.account_id
)

select * from final
