{#-
    unified_to_json(expression): the JSON text (varchar) of a nested value. No unified object uses
    it any more: credit_notes.lineItems and paymentAllocations, which the schema types as strings,
    are lists of structs like every other nested list (one type per property, DECISIONLOG.md
    section 16). Kept for a model or an export that needs a nested value as JSON text.
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
