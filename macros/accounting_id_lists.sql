{#-
    accounting_id_list_elements(relation, key_columns, list_column): the body of a CTE with one row
    per element of a list of ids kept as JSON text (Scoro's invoice prepayment_id, quote_id,
    order_id: '[12, 13]', '["12"]', a bare '12', '[]' or null): the key columns, then
    `element_id` (bigint; an element is kept when it is an optional sign and 1 to 18 digits, the
    rule dbt.safe_cast follows on every engine, above 0; '12.0' or '0x1F' are left out). Only
    the exploding of a list is warehouse-specific (accounting_id_list_exploded).
-#}
{% macro accounting_id_list_elements(relation, key_columns, list_column) -%}
    {%- set lists -%}
        (
            select
                {{ key_columns | join(', ') }},
                trim({{ list_column }}) as list_text
            from {{ relation }}
            where {{ list_column }} is not null and trim({{ list_column }}) not in ('', '[]', 'null')
        ) as lists
    {%- endset -%}
    select
        {{ key_columns | join(', ') }},
        element_id
    from (
        select
            {{ key_columns | join(', ') }},
            {{ dbt.safe_cast("trim(both '\" ' from element)", 'bigint') }} as element_id
        from ({{ adapter.dispatch('accounting_id_list_exploded')(lists, key_columns) }}) as elements
    ) as typed
    where element_id > 0
{%- endmacro %}

{#-
    accounting_id_list_exploded(lists, key_columns): one row per element of `lists`' list_text
    (a JSON list, or a bare value taken as a list of one), as the key columns and `element`
    (text). Lists are warehouse-specific: DuckDB and Postgres here, Spark in portability/spark.sql.
-#}
{% macro default__accounting_id_list_exploded(lists, key_columns) -%}
    {{ unified_unsupported_adapter('accounting_id_list_elements') }}
{%- endmacro %}

{% macro duckdb__accounting_id_list_exploded(lists, key_columns) -%}
    select
        {{ key_columns | join(', ') }},
        unnest(
            case
                when list_text like '[%' then json_extract_string(list_text, '$[*]')
                else [list_text]
            end
        ) as element
    from {{ lists }}
{%- endmacro %}

{% macro postgres__accounting_id_list_exploded(lists, key_columns) -%}
    select
        {{ key_columns | join(', ') }},
        elements.element
    from {{ lists }}
    cross join lateral jsonb_array_elements_text(
        case
            when list_text like '[%' then cast(list_text as jsonb)
            else jsonb_build_array(list_text)
        end
    ) as elements (element)
{%- endmacro %}
