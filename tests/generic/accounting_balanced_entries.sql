{#-
    Fails for every journal entry whose debits and credits differ, in document currency or in base
    currency: one row per (tenant_id, journal_entry_id, currency) that does not balance.

        data_tests:
          - accounting_balanced_entries
-#}
{% test accounting_balanced_entries(model, entry_columns=['tenant_id', 'journal_entry_id', 'currency']) %}

{%- set entry_key = entry_columns | join(', ') %}

with

entries as (
    select
        {{ entry_key }},
        sum(case when posting_type = 'Debit' then amount else 0 end) as debit_amount,
        sum(case when posting_type = 'Credit' then amount else 0 end) as credit_amount,
        sum(case when posting_type = 'Debit' then amount_base else 0 end) as debit_amount_base,
        sum(case when posting_type = 'Credit' then amount_base else 0 end) as credit_amount_base
    from {{ model }}
    group by {{ entry_key }}
)

select *
from entries
where
    debit_amount <> credit_amount
    or debit_amount_base <> credit_amount_base

{% endtest %}
