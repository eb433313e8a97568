{#-
    Incremental rebuilds of the ledger by document (DECISIONLOG.md section 36).

    An incremental ledger model builds, for the documents that changed since its last build, all
    their rows again, plus one marker row per changed document (journal_entry_id null): the
    strategy replace_documents deletes every row of each document in the batch and inserts the
    batch's rows that are not markers. A document that no longer posts (deleted, or now of another
    type) is a marker alone, so its old rows go.

    accounting_incremental_materialization(): incremental where the replace_documents strategy
    runs (DuckDB, Postgres: DELETE ... USING), a table elsewhere (Spark tables without Delta cannot
    delete rows), so the same models run unchanged on every engine.

    accounting_changed_documents(document_stamps): the CTEs last_build (per tenant, the newest
    source_synced_at the table holds) and changed_documents (tenant_id, document_id): documents
    whose stamp in document_stamps (the newest sync time of their row, lines and lines' products;
    null when one of those has none) is newer or null, and those posted while the tenant's
    finance accounts were different: finance accounts are listed again on every sync, so their
    sync time says nothing and a fingerprint of their ids (input_fingerprints) is compared instead.

    accounting_replaced_document_markers(keys_relation, document_type_expression):
    one marker row per row of keys_relation (tenant_id, document_id), in the columns of this.
-#}
{% macro accounting_incremental_materialization() -%}
    {{ return('incremental' if target.type in ['duckdb', 'postgres'] else 'table') }}
{%- endmacro %}

{% macro get_incremental_replace_documents_sql(arg_dict) -%}
    {%- set target_relation = arg_dict['target_relation'] -%}
    {%- set batch = arg_dict['temp_relation'] -%}
    {%- set columns = get_quoted_csv(arg_dict['dest_columns'] | map(attribute='name')) -%}
    delete from {{ target_relation }}
    using (
        select distinct tenant_id, document_type, document_id from {{ batch }}
    ) as replaced
    where
        {{ target_relation }}.tenant_id = replaced.tenant_id
        and {{ target_relation }}.document_type = replaced.document_type
        -- a month-end revaluation or a year-end close is no single document: its document_id is null
        and (
            {{ target_relation }}.document_id = replaced.document_id
            or ({{ target_relation }}.document_id is null and replaced.document_id is null)
        );

    insert into {{ target_relation }} ({{ columns }})
    select {{ columns }} from {{ batch }}
    where journal_entry_id is not null
{%- endmacro %}

{% macro accounting_changed_documents(document_stamps) -%}
last_build as (
    select tenant_id, max(source_synced_at) as source_synced_at
    from {{ this }}
    group by tenant_id
),

changed_documents as (
    select
        {{ document_stamps }}.tenant_id,
        {{ document_stamps }}.document_id
    from {{ document_stamps }}
    left join last_build
        on {{ document_stamps }}.tenant_id = last_build.tenant_id
    where
        last_build.source_synced_at is null
        or {{ document_stamps }}.source_synced_at is null
        or {{ document_stamps }}.source_synced_at > last_build.source_synced_at
    union
    -- documents posted while the tenant's finance accounts were different
    select distinct posted.tenant_id, posted.document_id
    from {{ this }} as posted
    left join input_fingerprints
        on posted.tenant_id = input_fingerprints.tenant_id
    where coalesce(posted.source_accounts_fingerprint, '') <> coalesce(input_fingerprints.fingerprint, '')
),
{%- endmacro %}

{% macro accounting_replaced_document_markers(keys_relation, document_type_expression) -%}
    {%- set keyed = {
        'tenant_id': 'replaced_keys.tenant_id',
        'document_type': document_type_expression,
        'document_id': 'replaced_keys.document_id',
    } -%}
    select
    {%- for column in adapter.get_columns_in_relation(this) %}
        {%- if column.name in keyed %}
        cast({{ keyed[column.name] }} as {{ column.data_type }}) as {{ adapter.quote(column.name) }}
        {%- else %}
        cast(null as {{ column.data_type }}) as {{ adapter.quote(column.name) }}
        {%- endif %}{{ ',' if not loop.last }}
    {%- endfor %}
    from {{ keys_relation }} as replaced_keys
{%- endmacro %}

{#- accounting_tenant_fingerprints(relation, columns): per tenant_id, a hash of the listed columns of
    every row of relation (sorted), to tell whether a small reference table changed since a build. -#}
{% macro accounting_tenant_fingerprints(relation, columns) -%}
    {%- set parts = [] -%}
    {%- for column in columns -%}
        {%- do parts.append("coalesce(cast(" ~ column ~ " as " ~ dbt.type_string() ~ "), '~')") -%}
        {%- if not loop.last %}{% do parts.append("'|'") %}{% endif -%}
    {%- endfor -%}
    {%- set row_text = dbt.concat(parts) -%}
    {#- only incremental builds read it (and an ordered listagg is not on every engine) -#}
    {%- if accounting_incremental_materialization() == 'incremental' -%}
        {%- set fingerprint = dbt.hash(dbt.listagg(row_text, "';'", "order by " ~ row_text)) -%}
    {%- else -%}
        {%- set fingerprint = 'cast(null as ' ~ dbt.type_string() ~ ')' -%}
    {%- endif %}
    select
        tenant_id,
        {{ fingerprint }} as fingerprint
    from {{ relation }}
    group by tenant_id
{%- endmacro %}

{#- accounting_is_incremental(bookkeeping_column, decision): is_incremental(), once this holds the
    bookkeeping column (source_synced_at by default); a table built by a version without it stops the
    build with what to do instead of a binder error, naming the DECISIONLOG.md section. -#}
{% macro accounting_is_incremental(bookkeeping_column='source_synced_at', decision='section 36') -%}
    {%- if not is_incremental() -%}
        {{ return(false) }}
    {%- endif -%}
    {%- set columns = adapter.get_columns_in_relation(this) | map(attribute='name') | list -%}
    {%- if bookkeeping_column not in columns -%}
        {{ exceptions.raise_compiler_error(
            this ~ ' was built by a version of this project that did not build it incrementally: run '
            ~ '`dbt build --full-refresh` once (DECISIONLOG.md ' ~ decision ~ ').'
        ) }}
    {%- endif -%}
    {{ return(true) }}
{%- endmacro %}
