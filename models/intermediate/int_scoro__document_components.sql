-- One row per component of a posted invoice, credit invoice or bill: what its entries post per account, line and
-- project, other than its Accounts Receivable / Payable row (and the deferral account its recognition entries clear).
{#
    The pieces a settlement of the document is spread over (int_scoro__settlement_shares): each line's
    account (summed over the document's own entry and its recognition entries, so a deferred line
    counts once, on the account it ends on), VAT, header differences and currency rounding.
    component_base carries the sign of the document's open item (σ = +1 for invoices and credit
    invoices, −1 for bills: component_base = −σ × debit-positive amount), so the components of a
    document add up to its total in base currency, document_total_base, the amount on AR / AP.
    The plug component (largest |component_base|, then line id, account, project) takes the cents
    that make a settlement's shares add up (DECISIONLOG.md section 31).
#}

with

invoice_entries as (
    select * from {{ ref('int_scoro__invoice_double_entry') }}
),

credit_invoice_entries as (
    select * from {{ ref('int_scoro__credit_invoice_double_entry') }}
),

bill_entries as (
    select * from {{ ref('int_scoro__bill_double_entry') }}
),

accounts as (
    select * from {{ ref('int_scoro__accounts') }}
),

{#- Each document type's entries, its open-item account and its deferral account. -#}
{%- set document_sides = [
    ('invoice_entries', 1, 'scoro_accounts_receivable_account', 'scoro_deferred_revenue_account'),
    ('credit_invoice_entries', 1, 'scoro_accounts_receivable_account', 'scoro_deferred_revenue_account'),
    ('bill_entries', -1, 'scoro_accounts_payable_account', 'scoro_deferred_expenses_account'),
] %}

document_rows as (
    {% for entries, side_sign, counterparty_var, deferral_var in document_sides %}
        select
            tenant_id,
            document_type,
            document_id,
            account_id,
            document_line_id,
            project_id,
            {{ side_sign }} as side_sign,
            '{{ var(counterparty_var) }}' as counterparty_account_id,
            '{{ var(deferral_var) }}' as deferral_account_id,
            case when posting_type = 'Debit' then amount_base else -amount_base end as signed_amount_base
        from {{ entries }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

components as (
    select
        tenant_id,
        document_type,
        document_id,
        account_id,
        document_line_id,
        case when project_id > 0 then project_id end as project_id,
        max(side_sign) as side_sign,
        sum(signed_amount_base) as signed_amount_base
    from document_rows
    where
        not (account_id = counterparty_account_id and document_line_id is null)
        and account_id <> deferral_account_id
    group by
        tenant_id,
        document_type,
        document_id,
        account_id,
        document_line_id,
        case when project_id > 0 then project_id end
    having sum(signed_amount_base) <> 0
),

ranked as (
    select
        components.*,
        -components.side_sign * components.signed_amount_base as component_base,
        sum(-components.side_sign * components.signed_amount_base) over (
            partition by components.tenant_id, components.document_type, components.document_id
        ) as document_total_base,
        row_number() over (
            partition by components.tenant_id, components.document_type, components.document_id
            order by
                abs(components.signed_amount_base) desc,
                case when components.document_line_id is null then 1 else 0 end asc,
                components.document_line_id asc,
                components.account_id asc,
                -- nulls placed explicitly: Spark puts them first in ascending order, DuckDB and Postgres last
                components.project_id asc nulls last
        ) as component_rank
    from components
),

final as (
    select
        cast(ranked.tenant_id as {{ dbt.type_string() }}) as tenant_id,
        cast(ranked.document_type as {{ dbt.type_string() }}) as document_type,
        cast(ranked.document_id as {{ dbt.type_bigint() }}) as document_id,
        cast(ranked.account_id as {{ dbt.type_string() }}) as account_id,
        cast(ranked.document_line_id as {{ dbt.type_bigint() }}) as document_line_id,
        cast(ranked.project_id as {{ dbt.type_bigint() }}) as project_id,
        cast(ranked.side_sign as {{ dbt.type_int() }}) as side_sign,
        cast(ranked.signed_amount_base as {{ accounting_base_money_type() }}) as signed_amount_base,
        cast(ranked.component_base as {{ accounting_base_money_type() }}) as component_base,
        cast(ranked.document_total_base as {{ accounting_base_money_type() }}) as document_total_base,
        cast(ranked.component_rank as {{ dbt.type_int() }}) as component_rank,
        ranked.component_rank = 1 as is_plug,
        cast(accounts.classification as {{ dbt.type_string() }}) as account_classification,
        cast(accounts.account_type as {{ dbt.type_string() }}) as account_type,
        cast(coalesce(accounts.is_bank_account, false) as {{ dbt.type_boolean() }}) as is_bank_account
    from ranked
    left join accounts
        on
            ranked.tenant_id = accounts.tenant_id
            and ranked.account_id = accounts.account_id
)

select * from final
