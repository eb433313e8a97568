{#-
    The debit and credit rows of a Scoro document with lines (invoice, credit invoice, bill), in
    the general ledger contract. The model that calls it states the posting rule; this macro does
    the arithmetic, the same way for every such document (see DECISIONLOG.md):

    - legs, each with a signed amount as on the document:
        counterparty      header sum + vat_sum, on counterparty_account (AR or AP);
        line              each line's sum (ex VAT), on the line's account: the line's finance
                          account, else its product's <product_account_column>, else
                          default_line_account;
        vat               Σ round(line sum × line vat% / 100, 2) per line VAT code, on vat_account;
        vat_difference    header vat_sum − Σ line VAT, on vat_account with the header's VAT code;
        header_adjustment header sum − Σ line sums (a header-level discount), on
                          adjustment_account; a document without lines puts its whole header
                          sum on default_line_account instead;
        fx_rounding       base-currency cents only: counterparty in base − Σ other legs in base,
                          on var scoro_fx_rounding_account.
      so Σ non-counterparty legs = counterparty, in document currency by construction and in base
      currency thanks to fx_rounding.
    - posting side: a positive counterparty leg goes on counterparty_side, every other positive
      leg on the other side; a negative leg (a credit invoice, a negative line) flips side and
      posts its absolute value. Legs that are zero in both currencies post nothing.
    - documents that post: not deleted, status not marked posts_to_ledger = false in the
      scoro_status_map seed for scoro_module, and, for invoices, credited_invoices rows present
      (credit_filter = 'only') or absent ('exclude').

    - internal lines (is_internal) are not part of the document's sums and post nothing.
    - the VAT difference goes to the VAT code carrying the most VAT on the document's lines.
    - every row carries finance_object_id (the line's; on other rows the document's, when its
      lines carry exactly one) and document_line_id (the line of a line row).
    - deferral: 'accounting_period' (invoices with accounting_period_from/to) or
      'recognition_date' (bills): the document entry posts the deferrable legs (lines, header
      adjustment) on deferral_account, and one more journal entry per recognition date,
      '<document_type>-<id>-recognition-<date>', moves them to their accounts: each month end of the
      period (equal monthly shares, cumulative cents) or the bill's recognition_date.

    entity_role: 'customer' (customer_id = company_id, else person_id) or 'vendor'.
    document_number_column: the staging column holding the document number as text.
-#}
{% macro accounting_document_double_entry(
    document_type,
    transaction_type,
    documents,
    document_lines,
    line_document_key,
    scoro_module,
    counterparty_account,
    counterparty_side,
    vat_account,
    product_account_column,
    default_line_account,
    adjustment_account,
    entity_role,
    credited_invoices=none,
    credit_filter=none,
    document_number_column='no',
    deferral=none,
    deferral_account=none
) %}

    {% set other_side = 'Credit' if counterparty_side == 'Debit' else 'Debit' %}
    {%- set incremental = accounting_is_incremental() %}

with

{#- Per document, the sync time of its newest input row: its own row, its lines, its lines' products;
    null when one of them has no sync time (a raw row not written by the loader), which every
    incremental build then posts again. Every row of the document carries it (source_synced_at), so a
    full and an incremental build write the same value; the next incremental build posts again the
    documents with an input synced after the newest one the table holds (DECISIONLOG.md section 36). #}
document_stamps as (
    select
        tenant_id,
        document_id,
        case when count(*) = count(synced_at) then max(synced_at) end as source_synced_at
    from (
        select tenant_id, id as document_id, when_upserted_into_data_store as synced_at
        from {{ documents }}
        union all
        select tenant_id, {{ line_document_key }} as document_id, when_upserted_into_data_store as synced_at
        from {{ document_lines }}
        union all
        select
            lines_of_products.tenant_id,
            lines_of_products.{{ line_document_key }} as document_id,
            line_products.when_upserted_into_data_store as synced_at
        from {{ document_lines }} as lines_of_products
        inner join {{ ref('stg_scoro__products') }} as line_products
            on
                lines_of_products.tenant_id = line_products.tenant_id
                and lines_of_products.product_id = line_products.id
    ) as inputs
    group by tenant_id, document_id
),

-- which finance accounts exist (a line's own account is used when it exists)
input_fingerprints as (
    {{ accounting_tenant_fingerprints(ref('stg_scoro__finance_accounts'), ['id']) }}
),

{% if incremental %}
        {{ accounting_changed_documents('document_stamps') }}
    {% endif %}

documents as (
    select * from {{ documents }} as all_documents
    {% if incremental %}
    where exists (
        select 1 from changed_documents
        where
            changed_documents.tenant_id = all_documents.tenant_id
            and changed_documents.document_id = all_documents.id
    )
    {% endif %}
),

document_lines as (
    select * from {{ document_lines }} as all_lines
    {% if incremental %}
    where exists (
        select 1 from changed_documents
        where
            changed_documents.tenant_id = all_lines.tenant_id
            and changed_documents.document_id = all_lines.{{ line_document_key }}
    )
    {% endif %}
),

{% if credited_invoices is not none %}
credited_invoices as (
    select * from {{ credited_invoices }}
),
{% endif %}

products as (
    select * from {{ ref('stg_scoro__products') }}
),

finance_accounts as (
    select * from {{ ref('stg_scoro__finance_accounts') }}
),

status_map as (
    select * from {{ ref('scoro_status_map') }}
),

posting_documents as (
    select
        documents.tenant_id,
        documents.id as document_id,
        cast(documents.{{ document_number_column }} as {{ dbt.type_string() }}) as document_number,
        cast(documents.date as date) as transaction_date,
        {{ accounting_currency('documents.currency', 'documents.tenant_id') }} as currency,
        {{ accounting_rate('documents.currency', 'documents.currency_rate', 'documents.tenant_id') }} as currency_rate,
        {{ accounting_money('coalesce(documents.sum, 0)') }} as header_net,
        {{ accounting_money('coalesce(documents.vat_sum, 0)') }} as header_vat,
        documents.vat_code_id as header_vat_code_id,
        documents.project_id,
        {% if entity_role == 'customer' %}
        coalesce(documents.company_id, documents.person_id) as customer_id,
        cast(null as {{ dbt.type_bigint() }}) as vendor_id,
        {% else %}
        cast(null as {{ dbt.type_bigint() }}) as customer_id,
        coalesce(documents.company_id, documents.person_id) as vendor_id,
        {% endif %}
        coalesce(documents.company_name, documents.person_name) as entity_name,
        documents.description,
        {% if deferral == 'accounting_period' %}
        case
            when
                documents.accounting_period_from is not null
                and documents.accounting_period_to is not null
                and documents.accounting_period_from <= documents.accounting_period_to
                and not (
                    {{ dbt.date_trunc('month', 'documents.accounting_period_from') }}
                    = {{ dbt.date_trunc('month', 'documents.date') }}
                    and {{ dbt.date_trunc('month', 'documents.accounting_period_to') }}
                    = {{ dbt.date_trunc('month', 'documents.date') }}
                )
                then cast({{ dbt.date_trunc('month', 'documents.accounting_period_from') }} as date)
        end as recognition_start,
        case
            when
                documents.accounting_period_from is not null
                and documents.accounting_period_to is not null
                and documents.accounting_period_from <= documents.accounting_period_to
                then {{ dbt.datediff(
                    dbt.date_trunc('month', 'documents.accounting_period_from'),
                    dbt.date_trunc('month', 'documents.accounting_period_to'),
                    'month'
                ) }} + 1
        end as recognition_months
        {% elif deferral == 'recognition_date' %}
        case
            when documents.recognition_date is not null and cast(documents.recognition_date as date) <> cast(documents.date as date)
                then cast(documents.recognition_date as date)
        end as recognition_start,
        1 as recognition_months
        {% else %}
        cast(null as date) as recognition_start,
        cast(null as {{ dbt.type_int() }}) as recognition_months
        {% endif %}
    from documents
    where
        not documents.is_deleted
        and not exists (
            select 1
            from status_map
            where
                status_map.scoro_module = '{{ scoro_module }}'
                and lower(status_map.scoro_status) = lower(trim(documents.status))
                and not status_map.posts_to_ledger
        )
        {% if credit_filter is not none %}
        and {{ 'not ' if credit_filter == 'exclude' else '' }}exists (
            select 1
            from credited_invoices
            where
                credited_invoices.tenant_id = documents.tenant_id
                and credited_invoices.invoice_id = documents.id
        )
        {% endif %}
),

posting_lines as (
    select
        posting_documents.tenant_id,
        posting_documents.document_id,
        document_lines.id as line_id,
        {{ accounting_money('coalesce(document_lines.sum, 0)') }} as line_net,
        {{ accounting_vat_amount('coalesce(document_lines.sum, 0)', 'coalesce(document_lines.vat, 0)') }}
            as line_vat,
        document_lines.vat_code_id,
        document_lines.product_id,
        coalesce(document_lines.project_id, posting_documents.project_id) as project_id,
        case
            when line_account.id is not null
                then cast(line_account.id as {{ dbt.type_string() }})
            when product_account.id is not null
                then cast(product_account.id as {{ dbt.type_string() }})
            else '{{ default_line_account }}'
        end as account_id,
        coalesce(document_lines.comment, document_lines.product_name) as description,
        case when document_lines.finance_object_id > 0 then document_lines.finance_object_id end as finance_object_id
    from document_lines
    inner join posting_documents
        on
            document_lines.tenant_id = posting_documents.tenant_id
            and document_lines.{{ line_document_key }} = posting_documents.document_id
    left join finance_accounts as line_account
        on
            document_lines.tenant_id = line_account.tenant_id
            and document_lines.finance_account_id = line_account.id
    left join products
        on
            document_lines.tenant_id = products.tenant_id
            and document_lines.product_id = products.product_id
    left join finance_accounts as product_account
        on
            products.tenant_id = product_account.tenant_id
            and products.{{ product_account_column }} = product_account.id
    where not document_lines.is_deleted and not coalesce(document_lines.is_internal, false)
),

-- The document's finance object: the one its lines carry, when they carry exactly one.
document_finance_objects as (
    select
        tenant_id,
        document_id,
        max(finance_object_id) as finance_object_id
    from posting_lines
    where finance_object_id is not null
    group by tenant_id, document_id
    having count(distinct finance_object_id) = 1
),

-- The VAT code the document's VAT differences go to: the one carrying the most VAT on its lines.
document_vat_codes as (
    select
        tenant_id,
        document_id,
        vat_code_id
    from (
        select
            tenant_id,
            document_id,
            vat_code_id,
            row_number() over (
                partition by tenant_id, document_id
                order by abs(sum(line_vat)) desc, vat_code_id
            ) as vat_code_rank
        from posting_lines
        where vat_code_id is not null
        group by tenant_id, document_id, vat_code_id
    ) as ranked
    where vat_code_rank = 1
),

line_totals as (
    select
        tenant_id,
        document_id,
        count(*) as n_lines,
        sum(line_net) as lines_net,
        sum(line_vat) as lines_vat
    from posting_lines
    group by tenant_id, document_id
),

vat_per_code as (
    select
        tenant_id,
        document_id,
        vat_code_id,
        sum(line_vat) as vat_amount
    from posting_lines
    group by tenant_id, document_id, vat_code_id
),

legs as (
    select
        tenant_id,
        document_id,
        1 as leg_order,
        cast(0 as {{ dbt.type_bigint() }}) as leg_sort,
        'counterparty' as leg,
        '{{ counterparty_account }}' as account_id,
        header_net + header_vat as amount_signed,
        {{ accounting_to_base('header_net + header_vat', 'currency_rate') }} as amount_base_signed,
        project_id,
        cast(null as {{ dbt.type_bigint() }}) as vat_code_id,
        cast(null as {{ dbt.type_bigint() }}) as product_id,
        cast(null as {{ dbt.type_bigint() }}) as finance_object_id,
        cast(null as {{ dbt.type_bigint() }}) as document_line_id,
        false as is_deferrable,
        description
    from posting_documents

    union all

    select
        posting_lines.tenant_id,
        posting_lines.document_id,
        2 as leg_order,
        posting_lines.line_id as leg_sort,
        'line' as leg,
        posting_lines.account_id,
        posting_lines.line_net as amount_signed,
        {{ accounting_to_base('posting_lines.line_net', 'posting_documents.currency_rate') }} as amount_base_signed,
        posting_lines.project_id,
        posting_lines.vat_code_id,
        posting_lines.product_id,
        posting_lines.finance_object_id,
        posting_lines.line_id as document_line_id,
        true as is_deferrable,
        posting_lines.description
    from posting_lines
    inner join posting_documents
        on
            posting_lines.tenant_id = posting_documents.tenant_id
            and posting_lines.document_id = posting_documents.document_id

    union all

    select
        vat_per_code.tenant_id,
        vat_per_code.document_id,
        3 as leg_order,
        coalesce(vat_per_code.vat_code_id, -1) as leg_sort,
        'vat' as leg,
        '{{ vat_account }}' as account_id,
        vat_per_code.vat_amount as amount_signed,
        {{ accounting_to_base('vat_per_code.vat_amount', 'posting_documents.currency_rate') }} as amount_base_signed,
        posting_documents.project_id,
        vat_per_code.vat_code_id,
        cast(null as {{ dbt.type_bigint() }}) as product_id,
        cast(null as {{ dbt.type_bigint() }}) as finance_object_id,
        cast(null as {{ dbt.type_bigint() }}) as document_line_id,
        false as is_deferrable,
        'VAT' as description
    from vat_per_code
    inner join posting_documents
        on
            vat_per_code.tenant_id = posting_documents.tenant_id
            and vat_per_code.document_id = posting_documents.document_id

    union all

    select
        posting_documents.tenant_id,
        posting_documents.document_id,
        4 as leg_order,
        cast(0 as {{ dbt.type_bigint() }}) as leg_sort,
        case when line_totals.n_lines is null then 'vat' else 'vat_difference' end as leg,
        '{{ vat_account }}' as account_id,
        posting_documents.header_vat - coalesce(line_totals.lines_vat, 0) as amount_signed,
        {{ accounting_to_base(
            'posting_documents.header_vat - coalesce(line_totals.lines_vat, 0)',
            'posting_documents.currency_rate'
        ) }} as amount_base_signed,
        posting_documents.project_id,
        coalesce(document_vat_codes.vat_code_id, posting_documents.header_vat_code_id) as vat_code_id,
        cast(null as {{ dbt.type_bigint() }}) as product_id,
        cast(null as {{ dbt.type_bigint() }}) as finance_object_id,
        cast(null as {{ dbt.type_bigint() }}) as document_line_id,
        false as is_deferrable,
        case
            when line_totals.n_lines is null then 'VAT (document without lines)'
            else 'VAT: document total minus its lines'
        end as description
    from posting_documents
    left join line_totals
        on
            posting_documents.tenant_id = line_totals.tenant_id
            and posting_documents.document_id = line_totals.document_id
    left join document_vat_codes
        on
            posting_documents.tenant_id = document_vat_codes.tenant_id
            and posting_documents.document_id = document_vat_codes.document_id

    union all

    select
        posting_documents.tenant_id,
        posting_documents.document_id,
        5 as leg_order,
        cast(0 as {{ dbt.type_bigint() }}) as leg_sort,
        case when line_totals.n_lines is null then 'line' else 'header_adjustment' end as leg,
        case
            when line_totals.n_lines is null then '{{ default_line_account }}'
            else '{{ adjustment_account }}'
        end as account_id,
        posting_documents.header_net - coalesce(line_totals.lines_net, 0) as amount_signed,
        {{ accounting_to_base(
            'posting_documents.header_net - coalesce(line_totals.lines_net, 0)',
            'posting_documents.currency_rate'
        ) }} as amount_base_signed,
        posting_documents.project_id,
        posting_documents.header_vat_code_id as vat_code_id,
        cast(null as {{ dbt.type_bigint() }}) as product_id,
        cast(null as {{ dbt.type_bigint() }}) as finance_object_id,
        cast(null as {{ dbt.type_bigint() }}) as document_line_id,
        true as is_deferrable,
        case
            when line_totals.n_lines is null then 'Document without lines'
            else 'Document sum minus its lines (header-level discount)'
        end as description
    from posting_documents
    left join line_totals
        on
            posting_documents.tenant_id = line_totals.tenant_id
            and posting_documents.document_id = line_totals.document_id
),

fx_rounding as (
    select
        legs.tenant_id,
        legs.document_id,
        6 as leg_order,
        cast(0 as {{ dbt.type_bigint() }}) as leg_sort,
        'fx_rounding' as leg,
        '{{ var("scoro_fx_rounding_account") }}' as account_id,
        cast(0 as {{ accounting_money_type() }}) as amount_signed,
        sum(
            case when legs.leg = 'counterparty' then legs.amount_base_signed else -legs.amount_base_signed end
        ) as amount_base_signed,
        posting_documents.project_id,
        cast(null as {{ dbt.type_bigint() }}) as vat_code_id,
        cast(null as {{ dbt.type_bigint() }}) as product_id,
        cast(null as {{ dbt.type_bigint() }}) as finance_object_id,
        cast(null as {{ dbt.type_bigint() }}) as document_line_id,
        false as is_deferrable,
        'Currency conversion rounding' as description
    from legs
    inner join posting_documents
        on
            legs.tenant_id = posting_documents.tenant_id
            and legs.document_id = posting_documents.document_id
    group by legs.tenant_id, legs.document_id, posting_documents.project_id
),

-- The document's own entry: every leg on the document date; deferred documents put their
-- deferrable legs on the deferral account.
entry_legs as (
    select
        all_legs.tenant_id,
        all_legs.document_id,
        {{ dbt.concat(["'" ~ document_type ~ "-'", 'cast(all_legs.document_id as ' ~ dbt.type_string() ~ ')']) }}
            as journal_entry_id,
        posting_documents.transaction_date,
        all_legs.leg_order,
        all_legs.leg_sort,
        all_legs.leg,
        all_legs.leg = 'counterparty' as is_counterparty_side,
        {% if deferral is not none %}
        case
            when all_legs.is_deferrable and posting_documents.recognition_start is not null
                then '{{ deferral_account }}'
            else all_legs.account_id
        end as account_id,
        {% else %}
        all_legs.account_id,
        {% endif %}
        all_legs.amount_signed,
        all_legs.amount_base_signed,
        all_legs.project_id,
        all_legs.vat_code_id,
        all_legs.product_id,
        all_legs.finance_object_id,
        all_legs.document_line_id,
        all_legs.description
    from (
        select * from legs
        union all
        select * from fx_rounding
    ) as all_legs
    inner join posting_documents
        on
            all_legs.tenant_id = posting_documents.tenant_id
            and all_legs.document_id = posting_documents.document_id
),

{% if deferral is not none %}
-- Month numbers 0..239 (portable: no generate_series).
month_numbers as (
    {{ accounting_month_numbers() }}
),

-- The recognition dates of each deferred document: each month end of its accounting period, or
-- the bill's recognition date; k = 1..n.
recognition_dates as (
    select
        posting_documents.tenant_id,
        posting_documents.document_id,
        posting_documents.recognition_months,
        month_numbers.month_number + 1 as recognition_number,
        {% if deferral == 'accounting_period' %}
        cast({{ dbt.last_day(
            dbt.dateadd('month', 'month_numbers.month_number', 'posting_documents.recognition_start'), 'month'
        ) }} as date) as recognition_date
        {% else %}
        posting_documents.recognition_start as recognition_date
        {% endif %}
    from posting_documents
    inner join month_numbers
        on month_numbers.month_number < posting_documents.recognition_months
    where posting_documents.recognition_start is not null
),

-- Each deferrable leg's share of recognition k: cumulative cents, so the shares add up to the leg.
recognition_shares as (
    select
        legs.tenant_id,
        legs.document_id,
        recognition_dates.recognition_date,
        legs.leg_order,
        legs.leg_sort,
        legs.account_id,
        legs.project_id,
        legs.vat_code_id,
        legs.product_id,
        legs.finance_object_id,
        legs.document_line_id,
        legs.description,
        {{ accounting_round_division(
            'legs.amount_signed * recognition_dates.recognition_number', 'recognition_dates.recognition_months'
        ) }}
        - {{ accounting_round_division(
            'legs.amount_signed * (recognition_dates.recognition_number - 1)', 'recognition_dates.recognition_months'
        ) }} as amount_signed,
        {{ accounting_round_division(
            'legs.amount_base_signed * recognition_dates.recognition_number', 'recognition_dates.recognition_months'
        ) }}
        - {{ accounting_round_division(
            'legs.amount_base_signed * (recognition_dates.recognition_number - 1)',
            'recognition_dates.recognition_months'
        ) }} as amount_base_signed
    from legs
    inner join recognition_dates
        on
            legs.tenant_id = recognition_dates.tenant_id
            and legs.document_id = recognition_dates.document_id
    where legs.is_deferrable
),

-- A recognition entry: the share leaves the deferral account and reaches the leg's own account.
recognition_legs as (
    select
        tenant_id,
        document_id,
        {{ dbt.concat([
            "'" ~ document_type ~ "-'", 'cast(document_id as ' ~ dbt.type_string() ~ ')',
            "'-recognition-'", 'cast(recognition_date as ' ~ dbt.type_string() ~ ')'
        ]) }} as journal_entry_id,
        recognition_date as transaction_date,
        leg_order,
        leg_sort,
        'recognition' as leg,
        false as is_counterparty_side,
        account_id,
        amount_signed,
        amount_base_signed,
        project_id,
        vat_code_id,
        product_id,
        finance_object_id,
        document_line_id,
        description
    from recognition_shares

    union all

    select
        tenant_id,
        document_id,
        {{ dbt.concat([
            "'" ~ document_type ~ "-'", 'cast(document_id as ' ~ dbt.type_string() ~ ')',
            "'-recognition-'", 'cast(recognition_date as ' ~ dbt.type_string() ~ ')'
        ]) }} as journal_entry_id,
        recognition_date as transaction_date,
        0 as leg_order,
        leg_sort,
        'deferral_release' as leg,
        true as is_counterparty_side,
        '{{ deferral_account }}' as account_id,
        amount_signed,
        amount_base_signed,
        project_id,
        vat_code_id,
        product_id,
        finance_object_id,
        document_line_id,
        {{ dbt.concat(["'Recognised: '", "coalesce(description, '')"]) }} as description
    from recognition_shares
),
{% endif %}

posted_legs as (
    select
        *,
        case
            when amount_signed > 0 then 1
            when amount_signed < 0 then -1
            when amount_base_signed > 0 then 1
            else -1
        end as amount_sign
    from (
        select * from entry_legs
        {% if deferral is not none %}
        union all
        select * from recognition_legs
        {% endif %}
    ) as unioned_legs
    where amount_signed <> 0 or amount_base_signed <> 0
),

final as (
    select
        posted_legs.tenant_id,
        posted_legs.journal_entry_id,
        cast(row_number() over (
            partition by posted_legs.tenant_id, posted_legs.journal_entry_id
            order by posted_legs.leg_order, posted_legs.leg_sort, posted_legs.account_id, posted_legs.leg
        ) as {{ dbt.type_int() }}) as line_index,
        posted_legs.transaction_date,
        '{{ document_type }}' as document_type,
        '{{ transaction_type }}' as transaction_type,
        cast(posted_legs.document_id as {{ dbt.type_bigint() }}) as document_id,
        posting_documents.document_number,
        cast(posted_legs.account_id as {{ dbt.type_string() }}) as account_id,
        case
            when posted_legs.is_counterparty_side = (posted_legs.amount_sign > 0) then '{{ counterparty_side }}'
            else '{{ other_side }}'
        end as posting_type,
        posting_documents.currency,
        cast(abs(posted_legs.amount_signed) as {{ accounting_money_type() }}) as amount,
        cast(abs(posted_legs.amount_base_signed) as {{ accounting_base_money_type() }}) as amount_base,
        {{ accounting_base_currency('posted_legs.tenant_id') }} as base_currency,
        posting_documents.currency_rate,
        cast(posting_documents.customer_id as {{ dbt.type_bigint() }}) as customer_id,
        cast(posting_documents.vendor_id as {{ dbt.type_bigint() }}) as vendor_id,
        cast(posting_documents.entity_name as {{ dbt.type_string() }}) as entity_name,
        cast(posted_legs.project_id as {{ dbt.type_bigint() }}) as project_id,
        cast(posted_legs.vat_code_id as {{ dbt.type_bigint() }}) as vat_code_id,
        cast(posted_legs.product_id as {{ dbt.type_bigint() }}) as product_id,
        cast(posted_legs.description as {{ dbt.type_string() }}) as description,
        cast(
            coalesce(posted_legs.finance_object_id, document_finance_objects.finance_object_id)
            as {{ dbt.type_bigint() }}
        ) as finance_object_id,
        cast(posted_legs.document_line_id as {{ dbt.type_bigint() }}) as document_line_id,
        document_stamps.source_synced_at,
        input_fingerprints.fingerprint as source_accounts_fingerprint
    from posted_legs
    inner join posting_documents
        on
            posted_legs.tenant_id = posting_documents.tenant_id
            and posted_legs.document_id = posting_documents.document_id
    left join document_finance_objects
        on
            posted_legs.tenant_id = document_finance_objects.tenant_id
            and posted_legs.document_id = document_finance_objects.document_id
    left join document_stamps
        on
            posted_legs.tenant_id = document_stamps.tenant_id
            and posted_legs.document_id = document_stamps.document_id
    left join input_fingerprints
        on posted_legs.tenant_id = input_fingerprints.tenant_id
)

select * from final
{% if incremental %}
union all
{{ accounting_replaced_document_markers("changed_documents", "'" ~ document_type ~ "'") }}
    {% endif %}

{% endmacro %}
