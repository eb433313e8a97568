{#-
    The exact decimal type of every Scoro amount, rate and quantity: decimal(38, 9), the type
    the loader stores them in. dbt.type_numeric() is numeric(28, 6), which would round
    currency rates and unit prices, so it is not used for them.
-#}
{% macro scoro_type_decimal() %}
    {{ return(adapter.dispatch('scoro_type_decimal', 'scoro_warehouse')()) }}
{% endmacro %}

{% macro default__scoro_type_decimal() %}
    {{ return('decimal(38, 9)') }}
{% endmacro %}
