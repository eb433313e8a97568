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
    document_number_column='no'
) %}

{% set other_side = 'credit' if counterparty_side == 'debit' else 'debit' %}

with

documents as (
    select * from {{ documents }}
),

document_lines as (
    select * from {{ document_lines }}
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
        {{ accounting_currency('documents.currency') }} as currency,
        {{ accounting_rate('documents.currency', 'documents.currency_rate') }} as currency_rate,
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
        documents.description
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
        coalesce(document_lines.comment, document_lines.product_name) as description
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
    where not document_lines.is_deleted
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
        posting_documents.header_vat_code_id as vat_code_id,
        cast(null as {{ dbt.type_bigint() }}) as product_id,
        case
            when line_totals.n_lines is null then 'VAT (document without lines)'
            else 'VAT: document total minus its lines'
        end as description
    from posting_documents
    left join line_totals
        on
            posting_documents.tenant_id = line_totals.tenant_id
            and posting_documents.document_id = line_totals.document_id

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
        'Currency conversion rounding' as description
    from legs
    inner join posting_documents
        on
            legs.tenant_id = posting_documents.tenant_id
            and legs.document_id = posting_documents.document_id
    group by legs.tenant_id, legs.document_id, posting_documents.project_id
),

all_legs as (
    select * from legs
    union all
    select * from fx_rounding
),

posted_legs as (
    select
        *,
        case
            when amount_signed > 0 then 1
            when amount_signed < 0 then -1
            when amount_base_signed > 0 then 1
            else -1
        end as amount_sign
    from all_legs
    where amount_signed <> 0 or amount_base_signed <> 0
),

final as (
    select
        posted_legs.tenant_id,
        {{ dbt.concat(["'" ~ document_type ~ "-'", 'cast(posted_legs.document_id as ' ~ dbt.type_string() ~ ')']) }}
            as journal_entry_id,
        cast(row_number() over (
            partition by posted_legs.tenant_id, posted_legs.document_id
            order by posted_legs.leg_order, posted_legs.leg_sort, posted_legs.account_id
        ) as {{ dbt.type_int() }}) as line_index,
        posting_documents.transaction_date,
        '{{ document_type }}' as document_type,
        '{{ transaction_type }}' as transaction_type,
        cast(posted_legs.document_id as {{ dbt.type_bigint() }}) as document_id,
        posting_documents.document_number,
        cast(posted_legs.account_id as {{ dbt.type_string() }}) as account_id,
        case
            when (posted_legs.leg = 'counterparty') = (posted_legs.amount_sign > 0) then '{{ counterparty_side }}'
            else '{{ other_side }}'
        end as posting_type,
        posting_documents.currency,
        cast(abs(posted_legs.amount_signed) as {{ accounting_money_type() }}) as amount,
        cast(abs(posted_legs.amount_base_signed) as {{ accounting_base_money_type() }}) as amount_base,
        '{{ var("scoro_base_currency") | upper }}' as base_currency,
        posting_documents.currency_rate,
        cast(posting_documents.customer_id as {{ dbt.type_bigint() }}) as customer_id,
        cast(posting_documents.vendor_id as {{ dbt.type_bigint() }}) as vendor_id,
        cast(posting_documents.entity_name as {{ dbt.type_string() }}) as entity_name,
        cast(posted_legs.project_id as {{ dbt.type_bigint() }}) as project_id,
        cast(posted_legs.vat_code_id as {{ dbt.type_bigint() }}) as vat_code_id,
        cast(posted_legs.product_id as {{ dbt.type_bigint() }}) as product_id,
        cast(posted_legs.description as {{ dbt.type_string() }}) as description
    from posted_legs
    inner join posting_documents
        on
            posted_legs.tenant_id = posting_documents.tenant_id
            and posted_legs.document_id = posting_documents.document_id
)

select * from final

{% endmacro %}
