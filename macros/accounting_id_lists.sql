{#-
    accounting_id_list_elements(relation, key_columns, list_column): the body of a CTE with one row
    per element of a list of ids kept as JSON text (Scoro's invoice prepayment_id, quote_id,
    order_id: '[12, 13]', '["12"]', a bare '12', '[]' or null): the key columns, then
    `element_id` (bigint; an element is kept when it is an optional sign and 1 to 18 digits, the
    rule dbt.safe_cast follows on every engine, above 0; '12.0' or '0x1F' are left out). Lists
    are warehouse-specific, so this dispatches: DuckDB and Postgres here, Spark in
    portability/spark.sql.
-#}
{% macro accounting_id_list_elements(relation, key_columns, list_column) -%}
    {{ return(adapter.dispatch('accounting_id_list_elements')(relation, key_columns, list_column)) }}
{%- endmacro %}

{% macro default__accounting_id_list_elements(relation, key_columns, list_column) -%}
    {{ unified_unsupported_adapter('accounting_id_list_elements') }}
{%- endmacro %}

{% macro duckdb__accounting_id_list_elements(relation, key_columns, list_column) -%}
    select
        {{ key_columns | join(', ') }},
        element_id
    from (
        select
            {{ key_columns | join(', ') }},
            {{ dbt.safe_cast("trim(cast(element as varchar), '\" ')", 'bigint') }} as element_id
        from (
            select
                {{ key_columns | join(', ') }},
                unnest(
                    case
                        when trim({{ list_column }}) like '[%'
                            then json_extract_string(trim({{ list_column }}), '$[*]')
                        else [trim({{ list_column }})]
                    end
                ) as element
            from {{ relation }}
            where {{ list_column }} is not null and trim({{ list_column }}) not in ('', '[]', 'null')
        ) as elements
    ) as typed
    where element_id > 0
{%- endmacro %}

{% macro postgres__accounting_id_list_elements(relation, key_columns, list_column) -%}
    select
        {{ key_columns | join(', ') }},
        element_id
    from (
        select
            {{ key_columns | join(', ') }},
            {{ dbt.safe_cast("trim(both '\" ' from element)", 'bigint') }} as element_id
        from {{ relation }}
        cross join lateral jsonb_array_elements_text(
            case
                when trim({{ list_column }}) like '[%' then cast(trim({{ list_column }}) as jsonb)
                else jsonb_build_array(trim({{ list_column }}))
            end
        ) as elements (element)
        where {{ list_column }} is not null and trim({{ list_column }}) not in ('', '[]', 'null')
    ) as typed
    where element_id > 0
{%- endmacro %}
