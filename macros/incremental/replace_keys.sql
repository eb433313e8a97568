{#-
    Incremental marts (DECISIONLOG.md "Scale"): rows are replaced per key (a journal entry), and the
    running balances of the general ledger report from the first changed row of an account on.

    How a mart knows what changed: every row carries source_fingerprint, a hash of everything its
    key's rows were built from (the general ledger rows of the entry and the dimension values joined
    to them). A build computes the fingerprint of every key from the current inputs, which costs one
    pass with a hash aggregate, and builds again only the keys whose fingerprint is new, different,
    or gone; the expensive part (nested lists, labels, window sums) runs on those alone.

    Strategy replace_keys: the batch holds the new rows of the changed keys plus one marker row per
    changed key (config replaced_marker_column null). Every row of the target whose unique_key is in
    the batch is deleted; the batch's rows that are not markers are inserted. A key that no longer
    has rows is a marker alone.

    Strategy replace_running_balances: the batch holds, per partition (config running_partition_by), the rows
    from its first changed position (config running_order_by) on, their running balances continued from the
    balance before that position, plus one marker row per partition carrying that position
    (replaced_marker_column null). Every row of the target in a marked partition at or after the
    marker's position is deleted, the batch's rows that are not markers inserted.

    Both need DELETE ... USING (DuckDB, Postgres); elsewhere accounting_incremental_materialization()
    builds tables.
-#}
{% macro get_incremental_replace_keys_sql(arg_dict) -%}
    {%- set target_relation = arg_dict['target_relation'] -%}
    {%- set batch = arg_dict['temp_relation'] -%}
    {%- set unique_key = arg_dict['unique_key'] -%}
    {%- set keys = [unique_key] if unique_key is string else unique_key -%}
    {%- set marker = adapter.quote(config.get('replaced_marker_column')) -%}
    {%- set columns = get_quoted_csv(arg_dict['dest_columns'] | map(attribute='name')) -%}
    delete from {{ target_relation }}
    using (
        select distinct {{ keys | map('string') | join(', ') }} from {{ batch }}
    ) as replaced
    {%- set conditions = [] -%}
    {%- for key in keys -%}
        {%- do conditions.append(target_relation ~ '.' ~ key ~ ' = replaced.' ~ key) -%}
    {%- endfor %}
    where {{ conditions | join(' and ') }};

    insert into {{ target_relation }} ({{ columns }})
    select {{ columns }} from {{ batch }}
    where {{ marker }} is not null
{%- endmacro %}

{% macro get_incremental_replace_running_balances_sql(arg_dict) -%}
    {%- set target_relation = arg_dict['target_relation'] -%}
    {%- set batch = arg_dict['temp_relation'] -%}
    {%- set partition_by = config.get('running_partition_by') -%}
    {%- set order_by = config.get('running_order_by') -%}
    {%- set marker = adapter.quote(config.get('replaced_marker_column')) -%}
    {%- set columns = get_quoted_csv(arg_dict['dest_columns'] | map(attribute='name')) -%}
    delete from {{ target_relation }}
    using (
        select {{ (partition_by + order_by) | join(', ') }} from {{ batch }}
        where {{ marker }} is null
    ) as replaced_from
    {%- set conditions = [] -%}
    {%- for column in partition_by -%}
        {%- do conditions.append(target_relation ~ '.' ~ column ~ ' = replaced_from.' ~ column) -%}
    {%- endfor -%}
    {%- do conditions.append(accounting_position_at_or_after(target_relation, 'replaced_from', order_by)) %}
    where {{ conditions | join(' and ') }};

    insert into {{ target_relation }} ({{ columns }})
    select {{ columns }} from {{ batch }}
    where {{ marker }} is not null
{%- endmacro %}

{#- accounting_position_at_or_after(row, start, columns): row's (columns) >= start's (columns), in
    the order of an ORDER BY of those columns (none of them null). -#}
{% macro accounting_position_at_or_after(row, start, columns) -%}
    {%- set column = columns[0] -%}
    {%- if columns | length == 1 -%}
        {{ row }}.{{ column }} >= {{ start }}.{{ column }}
    {%- else -%}
        ({{ row }}.{{ column }} > {{ start }}.{{ column }} or ({{ row }}.{{ column }} = {{ start }}.{{ column }}
        and {{ accounting_position_at_or_after(row, start, columns[1:]) }}))
    {%- endif -%}
{%- endmacro %}

{#- accounting_rows_fingerprint(columns): aggregate expression, text: a hash of the listed columns of
    every row of the group, whatever their order (a change of any value, an added or removed row
    changes it). -#}
{% macro accounting_rows_fingerprint(columns) -%}
    {#- only incremental builds read it (and an ordered listagg is not on every engine) -#}
    {%- if accounting_incremental_materialization() != 'incremental' -%}
        {{ return('cast(null as ' ~ dbt.type_string() ~ ')') }}
    {%- endif -%}
    {{ return(adapter.dispatch('accounting_rows_fingerprint')(columns)) }}
{%- endmacro %}

{% macro default__accounting_rows_fingerprint(columns) -%}
    {%- set parts = [] -%}
    {%- for column in columns -%}
        {%- do parts.append("coalesce(cast(" ~ column ~ " as " ~ dbt.type_string() ~ "), '~')") -%}
        {%- if not loop.last %}{% do parts.append("'|'") %}{% endif -%}
    {%- endfor -%}
    {%- set row_text = dbt.concat(parts) -%}
    {{ dbt.hash(dbt.listagg(row_text, "';'", "order by " ~ row_text)) }}
{%- endmacro %}

{#- DuckDB: the sum of 64-bit row hashes (a fixed-size state, so the aggregate spills; a sum, not an
    xor, so that two equal rows do not cancel out). -#}
{% macro duckdb__accounting_rows_fingerprint(columns) -%}
    cast(sum(cast(hash({{ columns | join(', ') }}) as hugeint)) as {{ dbt.type_string() }})
{%- endmacro %}

{#- accounting_replaced_key_markers(keys_relation, keyed): one marker row per row of keys_relation,
    in the columns of this: the columns named in keyed (column -> expression over replaced_keys)
    and null in every other. -#}
{% macro accounting_replaced_key_markers(keys_relation, keyed) -%}
    select
    {%- for column in adapter.get_columns_in_relation(this) %}
        {%- if column.name in keyed %}
        {{ keyed[column.name] }} as {{ adapter.quote(column.name) }}
        {%- else %}
        null as {{ adapter.quote(column.name) }}
        {%- endif %}{{ ',' if not loop.last }}
    {%- endfor %}
    from {{ keys_relation }} as replaced_keys
{%- endmacro %}

{#- accounting_is_incremental_by_fingerprint(): is_incremental(), once this holds source_fingerprint; a
    table built by a version without it stops the build with what to do instead of a binder error. -#}
{% macro accounting_is_incremental_by_fingerprint() -%}
    {{ return(accounting_is_incremental('source_fingerprint', '"Scale"')) }}
{%- endmacro %}

{#- accounting_rows_of_changed_entries(rows, incremental): the body of a CTE: every row of rows, or
    in an incremental build those of the entries in CTE changed_entries. -#}
{% macro accounting_rows_of_changed_entries(rows, incremental) -%}
    select {{ rows }}.*
    from {{ rows }}
    {%- if incremental %}
    inner join changed_entries
        on
            {{ rows }}.tenant_id = changed_entries.tenant_id
            and {{ rows }}.journal_entry_id = changed_entries.journal_entry_id
    {%- endif %}
{%- endmacro %}

{#- accounting_changed_entries(held_entry_id): two CTEs of an incremental mart, after a CTE
    current_entries (tenant_id, journal_entry_id, source_fingerprint) of the current inputs:
    held_entries, the fingerprints this holds (its entry id column is held_entry_id), and
    changed_entries (tenant_id, journal_entry_id): entries new, changed, or gone. -#}
{% macro accounting_changed_entries(held_entry_id='journal_entry_id') -%}
held_entries as (
    select distinct
        tenant_id,
        {{ held_entry_id }} as journal_entry_id,
        source_fingerprint
    from {{ this }}
),

changed_entries as (
    select
        coalesce(current_entries.tenant_id, held_entries.tenant_id) as tenant_id,
        coalesce(current_entries.journal_entry_id, held_entries.journal_entry_id) as journal_entry_id
    from current_entries
    full outer join held_entries
        on
            current_entries.tenant_id = held_entries.tenant_id
            and current_entries.journal_entry_id = held_entries.journal_entry_id
    where
        current_entries.source_fingerprint is null
        or held_entries.source_fingerprint is null
        or current_entries.source_fingerprint <> held_entries.source_fingerprint
)
{%- endmacro %}
