{#-
    unified_struct(fields): one STRUCT value.

    fields: a dict of field name -> SQL expression, in field order, e.g.
        unified_struct({'id': 'lines.line_id', 'unitPrice': 'lines.unit_price'})
    Field names are used exactly as given (camelCase kept); cast each expression to the type the
    model contract declares for that field.
-#}
{% macro unified_struct(fields) -%}
    {{ return(adapter.dispatch('unified_struct')(fields)) }}
{%- endmacro %}

{% macro default__unified_struct(fields) -%}
    {{ return(unified_unsupported_adapter('unified_struct')) }}
{%- endmacro %}

{% macro duckdb__unified_struct(fields) -%}
    struct_pack(
    {%- for name, expression in fields.items() %}
        "{{ name }}" := {{ expression }}{{ "," if not loop.last }}
    {%- endfor %}
    )
{%- endmacro %}
