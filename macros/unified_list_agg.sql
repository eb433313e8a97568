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

{#- DuckDB: an ordered aggregate (`list(x order by y)`) keeps every group's rows in memory until the
    end and cannot spill; at a million invoice lines journal_entries ran out of a 3 GB limit with it
    (DECISIONLOG.md "Scale"). A plain list() of (sort keys, value) pairs spills like any hash
    aggregate; each small list is then sorted by its keys and the values taken out, the same order. -#}
{% macro duckdb__unified_list_agg(expression, order_by) -%}
    {%- set keys = order_by.split(',') | map('trim') | list -%}
    {%- set pairs = {} -%}
    {%- for key in keys -%}
        {%- do pairs.update({'sort_key_' ~ loop.index: key}) -%}
    {%- endfor -%}
    {%- do pairs.update({'list_value': expression}) -%}
    list_transform(
        list_sort(list({{ unified_struct(pairs) }}), 'ASC', 'NULLS LAST'),
        lambda sorted_pair: struct_extract(sorted_pair, 'list_value')
    )
{%- endmacro %}
