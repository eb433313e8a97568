{#-
    unified_typed_null(data_type): a null of a nested type (STRUCT or LIST), for nested unified
    properties Scoro has no data for; data_type is written in the warehouse's own type syntax.
-#}
{% macro unified_typed_null(data_type) -%}
    {{ return(adapter.dispatch('unified_typed_null')(data_type)) }}
{%- endmacro %}

{% macro default__unified_typed_null(data_type) -%}
    {{ return(unified_unsupported_adapter('unified_typed_null')) }}
{%- endmacro %}

{% macro duckdb__unified_typed_null(data_type) -%}
    cast(null as {{ data_type }})
{%- endmacro %}
