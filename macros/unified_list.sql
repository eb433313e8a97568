{#-
    unified_list(expressions): one LIST value from a fixed number of expressions of one type,
    in the order given, e.g. unified_list(['account_section', 'parent_label', 'account_label']).
-#}
{% macro unified_list(expressions) -%}
    {{ return(adapter.dispatch('unified_list')(expressions)) }}
{%- endmacro %}

{% macro default__unified_list(expressions) -%}
    {{ return(unified_unsupported_adapter('unified_list')) }}
{%- endmacro %}

{% macro duckdb__unified_list(expressions) -%}
    list_value({{ expressions | join(", ") }})
{%- endmacro %}
