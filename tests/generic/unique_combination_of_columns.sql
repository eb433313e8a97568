{#-
    Fails for every combination of the given columns that occurs on more than one row:
    a uniqueness test for composite keys, such as (tenant_id, id).

        data_tests:
          - unique_combination_of_columns:
              arguments:
                combination_of_columns: [tenant_id, id]
-#}
{% test unique_combination_of_columns(model, combination_of_columns) %}

{%- set column_list = combination_of_columns | join(', ') %}

with

duplicates as (
    select
        {{ column_list }},
        count(*) as n_rows
    from {{ model }}
    group by {{ column_list }}
    having count(*) > 1
)

select * from duplicates

{% endtest %}
