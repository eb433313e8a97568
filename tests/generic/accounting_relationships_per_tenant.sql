{#-
    Fails for every row whose (tenant_id, column) names no row of `to` with the same tenant_id
    and `field`: a relationships test for keys that are unique per tenant only. Null keys pass.

        columns:
          - name: account_id
            data_tests:
              - accounting_relationships_per_tenant:
                  arguments:
                    to: ref('int_scoro__accounts')
                    field: account_id
-#}
{% test accounting_relationships_per_tenant(model, column_name, to, field, tenant_column='tenant_id') %}

select child.*
from {{ model }} as child
where
    child.{{ column_name }} is not null
    and not exists (
        select 1
        from {{ to }} as parent
        where
            parent.{{ tenant_column }} = child.{{ tenant_column }}
            and parent.{{ field }} = child.{{ column_name }}
    )

{% endtest %}
