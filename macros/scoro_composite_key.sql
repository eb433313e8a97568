{#-
    A text key made of several columns joined by '-', e.g. '1042-7' for line 7 of document 1042:
    the remote_id of a row that only its parent's key and its own key identify together.
-#}
{% macro scoro_composite_key(expressions) %}
    {%- set parts = [] -%}
    {%- for expression in expressions -%}
        {%- if not loop.first -%}
            {%- do parts.append("'-'") -%}
        {%- endif -%}
        {%- do parts.append('cast(' ~ expression ~ ' as ' ~ dbt.type_string() ~ ')') -%}
    {%- endfor -%}
    {{ return(dbt.concat(parts)) }}
{% endmacro %}
