{#-
    unified_to_json(expression): the JSON text (varchar) of a nested value, for the few unified
    properties that the schema types as a string but that hold a list of objects
    (credit_notes.lineItems, credit_notes.paymentAllocations).
-#}
{% macro unified_to_json(expression) -%}
    {{ return(adapter.dispatch('unified_to_json')(expression)) }}
{%- endmacro %}

{% macro default__unified_to_json(expression) -%}
    {{ return(unified_unsupported_adapter('unified_to_json')) }}
{%- endmacro %}

{% macro duckdb__unified_to_json(expression) -%}
    cast(to_json({{ expression }}) as varchar)
{%- endmacro %}
