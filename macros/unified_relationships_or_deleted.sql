{#-
    A relationships test, per tenant, for a unified object that keeps pointing at records deleted
    in Scoro while the object it points to excludes them (e.g. invoices.customerId → customers.id:
    customers leaves deleted contacts out, a live invoice of a deleted contact keeps its customer).

    Fails for every row whose (tenant_id, column) names no row of `to` with the same tenant_id and
    `field`, unless it names a record flagged is_deleted in `deleted_in` (a staging model, compared
    on `deleted_key` as text). Null keys pass.

        columns:
          - name: customerId
            data_tests:
              - unified_relationships_or_deleted:
                  arguments:
                    to: ref('customers')
                    field: id
                    deleted_in: ref('stg_scoro__contacts')
                    deleted_key: contact_id
-#}
{% test unified_relationships_or_deleted(
    model, column_name, to, field, deleted_in, deleted_key, tenant_column='tenant_id'
) %}

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
    and not exists (
        select 1
        from {{ deleted_in }} as deleted
        where
            deleted.{{ tenant_column }} = child.{{ tenant_column }}
            and deleted.is_deleted
            and cast(deleted.{{ deleted_key }} as {{ dbt.type_string() }}) = child.{{ column_name }}
    )

{% endtest %}
