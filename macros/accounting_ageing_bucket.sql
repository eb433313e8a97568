{#-
    The ageing bucket of an open item, from its days overdue (negative when not yet due):
    '0-30' (including not yet due), '31-60', '61-90' or '90+'.
-#}
{% macro accounting_ageing_bucket(days_overdue) -%}
    case
        when {{ days_overdue }} <= 30 then '0-30'
        when {{ days_overdue }} <= 60 then '31-60'
        when {{ days_overdue }} <= 90 then '61-90'
        else '90+'
    end
{%- endmacro %}
