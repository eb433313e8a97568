{#-
    unified_empty_list(expression=none, data_type=none): a LIST that is never null.

    - unified_empty_list('agg.items'): agg.items, or an empty list of its type when it is null
      (a parent without children after a left join).
    - unified_empty_list(data_type='struct("name" varchar, "value" varchar)[]'): an empty list of
      that type, for nested lists Scoro has no data for (the type is the warehouse's own syntax).
    - unified_empty_list(): an empty list whose type comes from the context (a CASE, a UNION).
-#}
{% macro unified_empty_list(expression=none, data_type=none) -%}
    {{ return(adapter.dispatch('unified_empty_list')(expression, data_type)) }}
{%- endmacro %}

{% macro default__unified_empty_list(expression=none, data_type=none) -%}
    {{ return(unified_unsupported_adapter('unified_empty_list')) }}
{%- endmacro %}

{% macro duckdb__unified_empty_list(expression=none, data_type=none) -%}
    {%- if expression is not none -%}
        coalesce({{ expression }}, [])
    {%- elif data_type is not none -%}
        cast([] as {{ data_type }})
    {%- else -%}
        []
    {%- endif -%}
{%- endmacro %}
