{#-
    unified_list_agg(expression, order_by): aggregate function collecting `expression` (typically
    a unified_struct) of every row in the group into one LIST, ordered by `order_by`.
    Use it in a grouped CTE over the child rows; coalesce the result with unified_empty_list()
    after the left join to the parent, so that a parent without children gets [] and not null.
-#}
{% macro unified_list_agg(expression, order_by) -%}
    {{ return(adapter.dispatch('unified_list_agg')(expression, order_by)) }}
{%- endmacro %}

{% macro default__unified_list_agg(expression, order_by) -%}
    {{ return(unified_unsupported_adapter('unified_list_agg')) }}
{%- endmacro %}

{% macro duckdb__unified_list_agg(expression, order_by) -%}
    list({{ expression }} order by {{ order_by }})
{%- endmacro %}
