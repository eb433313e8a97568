{#-
    Fails for every row where the SQL expression is false: a business truth stated as a test.
    Rows where it is null pass, as in dbt's own tests. Used on a model:

        data_tests:
          - expression_is_true:
              arguments:
                expression: "total = subtotal + tax"

    or on a column, where the expression is appended to the column name:

        columns:
          - name: amount
            data_tests:
              - expression_is_true:
                  arguments:
                    expression: ">= 0"
-#}
{% test expression_is_true(model, expression, column_name=none) %}

{%- set condition = expression if column_name is none else column_name ~ ' ' ~ expression %}

select *
from {{ model }}
where not ({{ condition }})

{% endtest %}
