-- One row per settlement leg (receipt row, prepayment set-off, credit allocation, unallocated cash) per document moved.
{#
    Each settlement (allocation_id) has one leg per document whose open item it moves:
      receipt_row        money received or paid on an invoice, credit invoice (refund), bill,
                         prepayment or expense claim: one leg, on the document the row names;
      prepayment_setoff  a final invoice consuming a prepayment: a leg on the invoice (+) and one
                         on the prepayment (−);
      credit_allocation  a credit invoice allocated to the invoice it credits: a leg on the
                         invoice (+) and one on the credit invoice (−);
      unallocated_cash   a receipt group's sum beyond its rows: one leg on the receipt group.
    `amount` is signed so that a document's open amount = its total_amount − Σ amount of its legs
    (AR-like: positive = the customer owes, negative = we owe the customer; for bills positive = we
    owe). Legs are dated; base amounts are at the document's own rate, cumulative per document, so
    a settled document leaves exactly 0 in base currency. Cash legs also carry the money that moved:
    cash_currency, cash_amount, cash_amount_base (at the payment's own rate when the receipt group
    is in another currency). See DECISIONLOG.md sections 17-20.
#}

with

receipt_groups as (
    select * from {{ ref('stg_scoro__receipts') }}
),

receipt_rows as (
    select * from {{ ref('stg_scoro__receipt_rows') }}
),

receipt_accounts as (
    select * from {{ ref('stg_scoro__receipt_accounts') }}
),

invoices as (
    select * from {{ ref('stg_scoro__invoices') }}
),

credited_invoices as (
    select * from {{ ref('stg_scoro__invoice_credited_invoices') }}
),

documents as (
    select * from {{ ref('int_scoro__open_item_documents') }}
),

currency_rates as (
    select * from {{ ref('int_scoro__currency_rates') }}
),

-- Live receipt rows (row and group not deleted), with what their group says about the money.
live_rows as (
    select
        receipt_rows.tenant_id,
        receipt_rows.receipt_group_id,
        receipt_rows.receipt_id as receipt_row_id,
        cast(coalesce(receipt_rows.date, receipt_groups.date) as date) as allocation_date,
        case
            when coalesce(receipt_rows.prepayment_id, 0) > 0 then 'prepayment'
            when coalesce(receipt_rows.sales_doc_type, receipt_groups.sales_doc_type) = 'bills' then 'payable'
            when coalesce(receipt_rows.sales_doc_type, receipt_groups.sales_doc_type) = 'expenses' then 'expense'
            else 'receivable'
        end as paid_side,
        case
            when coalesce(receipt_rows.prepayment_id, 0) > 0 then receipt_rows.prepayment_id
            else receipt_rows.invoice_id
        end as paid_document_id,
        receipt_rows.invoice_no,
        coalesce(receipt_rows.contact_id, receipt_groups.contact_id) as contact_id,
        receipt_rows.contact_name,
        {{ accounting_money('coalesce(receipt_rows.sum, 0)') }} as amount,
        receipt_groups.receipt_account_id
    from receipt_rows
    inner join receipt_groups
        on
            receipt_rows.tenant_id = receipt_groups.tenant_id
            and receipt_rows.receipt_group_id = receipt_groups.id
    where not receipt_groups.is_deleted and not receipt_rows.is_deleted
),

live_groups as (
    select
        receipt_groups.tenant_id,
        receipt_groups.id as receipt_group_id,
        cast(receipt_groups.date as date) as group_date,
        nullif(upper(trim(receipt_groups.currency)), '') as group_currency,
        {{ accounting_money('receipt_groups.sum') }} as group_sum,
        receipt_groups.sales_doc_type,
        receipt_groups.contact_id,
        receipt_groups.receipt_account_id,
        case
            when receipt_accounts.id is not null
                then {{ dbt.concat(["'bank_'", 'cast(receipt_accounts.id as ' ~ dbt.type_string() ~ ')']) }}
            else '{{ var("scoro_default_bank_account") }}'
        end as bank_account_id
    from receipt_groups
    left join receipt_accounts
        on
            receipt_groups.tenant_id = receipt_accounts.tenant_id
            and receipt_groups.receipt_account_id = receipt_accounts.id
    where not receipt_groups.is_deleted
),

-- Rows paying a document that posts (rows on deleted, missing or draft documents settle nothing).
document_rows as (
    select
        live_rows.tenant_id,
        live_rows.receipt_group_id,
        live_rows.receipt_row_id,
        live_rows.allocation_date,
        live_rows.amount,
        documents.document_type,
        documents.document_id,
        documents.document_number,
        documents.open_item_side,
        documents.open_item_account_id,
        documents.currency,
        documents.currency_rate,
        documents.customer_id,
        documents.vendor_id,
        documents.entity_name,
        documents.project_id,
        documents.finance_object_id
    from live_rows
    inner join documents
        on
            live_rows.tenant_id = documents.tenant_id
            and live_rows.paid_document_id = documents.document_id
            and live_rows.paid_side = documents.open_item_side
    where live_rows.amount <> 0
),

-- Rows paying an expense claim (Scoro's expenses module is not mirrored): the money is the claim.
expense_rows as (
    select
        live_rows.tenant_id,
        live_rows.receipt_group_id,
        live_rows.receipt_row_id,
        live_rows.allocation_date,
        live_rows.amount,
        'expense_claim' as document_type,
        live_rows.paid_document_id as document_id,
        live_rows.invoice_no as document_number,
        'expense' as open_item_side,
        '{{ var("scoro_expense_claims_account") }}' as open_item_account_id,
        coalesce(live_groups.group_currency, {{ accounting_base_currency('live_rows.tenant_id') }}) as currency,
        case
            when
                coalesce(live_groups.group_currency, {{ accounting_base_currency('live_rows.tenant_id') }})
                = {{ accounting_base_currency('live_rows.tenant_id') }}
                then 1
            else coalesce(currency_rates.rate, 1)
        end as currency_rate,
        cast(null as {{ dbt.type_bigint() }}) as customer_id,
        live_rows.contact_id as vendor_id,
        live_rows.contact_name as entity_name,
        cast(null as {{ dbt.type_bigint() }}) as project_id,
        cast(null as {{ dbt.type_bigint() }}) as finance_object_id
    from live_rows
    inner join live_groups
        on
            live_rows.tenant_id = live_groups.tenant_id
            and live_rows.receipt_group_id = live_groups.receipt_group_id
    left join currency_rates
        on
            live_rows.tenant_id = currency_rates.tenant_id
            and live_groups.group_currency = currency_rates.currency
            and live_rows.allocation_date >= currency_rates.valid_from
            and (currency_rates.valid_to is null or live_rows.allocation_date < currency_rates.valid_to)
    where live_rows.paid_side = 'expense' and live_rows.amount <> 0
),

paying_rows as (
    select * from document_rows
    union all
    select * from expense_rows
),

-- Per receipt group: the currency of the documents its rows pay (when they share one) and their total.
group_rows as (
    select
        tenant_id,
        receipt_group_id,
        count(distinct currency) as n_row_currencies,
        max(currency) as row_currency,
        max(currency_rate) as row_currency_rate,
        sum(amount) as rows_amount
    from paying_rows
    group by tenant_id, receipt_group_id
),

live_row_totals as (
    select
        tenant_id,
        receipt_group_id,
        sum(amount) as live_rows_amount
    from live_rows
    group by tenant_id, receipt_group_id
),

-- How each group's money relates to its rows:
--   same  the money is in the documents' currency: the rows are the money, any excess of the group
--         sum is unallocated cash;
--   cross the money is in another currency: the group sum is the money, the rows say how much of
--         each document it settled (payment rate = Σ rows / group sum).
groups as (
    select
        live_groups.*,
        group_rows.row_currency,
        group_rows.row_currency_rate,
        group_rows.rows_amount,
        coalesce(live_row_totals.live_rows_amount, 0) as live_rows_amount,
        coalesce(
            live_groups.group_currency, group_rows.row_currency, {{ accounting_base_currency('live_groups.tenant_id') }}
        ) as cash_currency,
        case
            when
                group_rows.n_row_currencies = 1
                and live_groups.group_currency is not null
                and live_groups.group_currency <> group_rows.row_currency
                and group_rows.rows_amount <> 0
                and coalesce(live_groups.group_sum, 0) <> 0
                then 'cross'
            when group_rows.n_row_currencies > 1 then 'mixed'
            else 'same'
        end as money_kind,
        case
            when
                coalesce(live_groups.group_currency, group_rows.row_currency)
                = {{ accounting_base_currency('live_groups.tenant_id') }}
                then 1
            else currency_rates.rate
        end as cash_rate
    from live_groups
    left join group_rows
        on
            live_groups.tenant_id = group_rows.tenant_id
            and live_groups.receipt_group_id = group_rows.receipt_group_id
    left join live_row_totals
        on
            live_groups.tenant_id = live_row_totals.tenant_id
            and live_groups.receipt_group_id = live_row_totals.receipt_group_id
    left join currency_rates
        on
            live_groups.tenant_id = currency_rates.tenant_id
            and coalesce(live_groups.group_currency, group_rows.row_currency) = currency_rates.currency
            and live_groups.group_date >= currency_rates.valid_from
            and (currency_rates.valid_to is null or live_groups.group_date < currency_rates.valid_to)
),

-- Cash legs: one per paying row, with the group's money spread over its rows pro rata (cumulative
-- cents in row order) when the money is in another currency.
cash_legs as (
    select
        paying_rows.*,
        groups.cash_currency,
        groups.money_kind,
        groups.bank_account_id,
        groups.receipt_account_id,
        case when groups.money_kind = 'cross' then groups.group_sum end as cross_cash_total,
        case
            when groups.money_kind <> 'cross' then null
            when groups.cash_currency = {{ accounting_base_currency('paying_rows.tenant_id') }} then groups.group_sum
            when groups.cash_rate is not null then {{ accounting_to_base('groups.group_sum', 'groups.cash_rate') }}
        end as cross_cash_total_base,
        groups.rows_amount,
        sum(paying_rows.amount) over (
            partition by paying_rows.tenant_id, paying_rows.receipt_group_id
            order by paying_rows.receipt_row_id
            rows between unbounded preceding and current row
        ) as group_cumulative_amount
    from paying_rows
    inner join groups
        on
            paying_rows.tenant_id = groups.tenant_id
            and paying_rows.receipt_group_id = groups.receipt_group_id
),

receipt_legs as (
    select
        tenant_id,
        {{ dbt.concat([
            "'receipt_row-'", 'cast(receipt_group_id as ' ~ dbt.type_string() ~ ')',
            "'-'", 'cast(receipt_row_id as ' ~ dbt.type_string() ~ ')'
        ]) }} as allocation_id,
        {{ dbt.concat([
            'cast(receipt_group_id as ' ~ dbt.type_string() ~ ')',
            "'-'", 'cast(receipt_row_id as ' ~ dbt.type_string() ~ ')'
        ]) }} as allocation_key,
        'receipt_row' as allocation_type,
        allocation_date,
        2 as leg_order,
        document_type,
        document_id,
        document_number,
        open_item_side,
        open_item_account_id,
        cast(null as {{ dbt.type_string() }}) as counter_document_type,
        cast(null as {{ dbt.type_bigint() }}) as counter_document_id,
        currency,
        currency_rate,
        amount,
        cash_currency,
        case
            when cross_cash_total is null then amount
            else
                {{ accounting_round_division('cross_cash_total * group_cumulative_amount', 'rows_amount') }}
                - {{ accounting_round_division(
                    'cross_cash_total * (group_cumulative_amount - amount)', 'rows_amount'
                ) }}
        end as cash_amount,
        case
            when cross_cash_total_base is not null
                then
                    {{ accounting_round_division('cross_cash_total_base * group_cumulative_amount', 'rows_amount') }}
                    - {{ accounting_round_division(
                        'cross_cash_total_base * (group_cumulative_amount - amount)', 'rows_amount'
                    ) }}
        end as cross_cash_amount_base,
        true as is_cash,
        receipt_group_id,
        receipt_row_id,
        receipt_account_id,
        bank_account_id,
        customer_id,
        vendor_id,
        entity_name,
        project_id,
        finance_object_id
    from cash_legs
),

-- Unallocated cash: a group in its rows' currency whose sum exceeds (or falls short of) its live rows.
unallocated_legs as (
    select
        tenant_id,
        {{ dbt.concat(["'unallocated_cash-'", 'cast(receipt_group_id as ' ~ dbt.type_string() ~ ')']) }}
            as allocation_id,
        cast(receipt_group_id as {{ dbt.type_string() }}) as allocation_key,
        'unallocated_cash' as allocation_type,
        group_date as allocation_date,
        4 as leg_order,
        'receipt_group' as document_type,
        receipt_group_id as document_id,
        cast(receipt_group_id as {{ dbt.type_string() }}) as document_number,
        case when sales_doc_type in ('bills', 'expenses') then 'unallocated_payable' else 'unallocated_receivable' end
            as open_item_side,
        case
            when sales_doc_type in ('bills', 'expenses') then '{{ var("scoro_unallocated_payments_account") }}'
            else '{{ var("scoro_unallocated_receipts_account") }}'
        end as open_item_account_id,
        cast(null as {{ dbt.type_string() }}) as counter_document_type,
        cast(null as {{ dbt.type_bigint() }}) as counter_document_id,
        cash_currency as currency,
        cast(coalesce(cash_rate, row_currency_rate, 1) as {{ accounting_money_type() }}) as currency_rate,
        group_sum - live_rows_amount as amount,
        cash_currency,
        group_sum - live_rows_amount as cash_amount,
        cast(null as {{ accounting_base_money_type() }}) as cross_cash_amount_base,
        true as is_cash,
        receipt_group_id,
        cast(null as {{ dbt.type_bigint() }}) as receipt_row_id,
        receipt_account_id,
        bank_account_id,
        case when sales_doc_type in ('bills', 'expenses') then null else contact_id end as customer_id,
        case when sales_doc_type in ('bills', 'expenses') then contact_id end as vendor_id,
        cast(null as {{ dbt.type_string() }}) as entity_name,
        cast(null as {{ dbt.type_bigint() }}) as project_id,
        cast(null as {{ dbt.type_bigint() }}) as finance_object_id
    from groups
    where
        money_kind = 'same'
        and group_sum is not null
        and group_sum <> live_rows_amount
),

-- Prepayment set-offs: the prepayments a final invoice lists, and the gross amount it sets off.
final_invoice_lists as (
    select
        tenant_id,
        id as invoice_id,
        prepayment_id
    from invoices
    where coalesce(prepayment_sum, 0) <> 0
),

final_invoice_prepayments as (
    {{ accounting_id_list_elements('final_invoice_lists', ['tenant_id', 'invoice_id'], 'prepayment_id') }}
),

setoff_pairs as (
    select
        final_invoices.tenant_id,
        final_invoices.document_id as invoice_id,
        final_invoices.document_date as invoice_date,
        prepayments.document_id as prepayment_id,
        prepayments.document_date as prepayment_date,
        {{ accounting_money('invoices.prepayment_sum') }} as setoff_total,
        count(*) over (partition by final_invoices.tenant_id, final_invoices.document_id) as n_prepayments,
        row_number() over (
            partition by final_invoices.tenant_id, final_invoices.document_id
            order by prepayments.document_date, prepayments.document_id
        ) as prepayment_order
    from final_invoice_prepayments
    inner join documents as final_invoices
        on
            final_invoice_prepayments.tenant_id = final_invoices.tenant_id
            and final_invoice_prepayments.invoice_id = final_invoices.document_id
            and final_invoices.open_item_side = 'receivable'
    inner join documents as prepayments
        on
            final_invoice_prepayments.tenant_id = prepayments.tenant_id
            and final_invoice_prepayments.element_id = prepayments.document_id
            and prepayments.document_type = 'prepayment'
    inner join invoices
        on
            final_invoice_prepayments.tenant_id = invoices.tenant_id
            and final_invoice_prepayments.invoice_id = invoices.id
),

-- What each listed prepayment still holds on the final invoice's date: received by then, minus
-- what earlier final invoices that list only that prepayment set off.
prepayment_received as (
    select
        setoff_pairs.tenant_id,
        setoff_pairs.invoice_id,
        setoff_pairs.prepayment_id,
        sum(receipt_legs.amount) as received_amount
    from setoff_pairs
    inner join receipt_legs
        on
            setoff_pairs.tenant_id = receipt_legs.tenant_id
            and setoff_pairs.prepayment_id = receipt_legs.document_id
            and receipt_legs.document_type = 'prepayment'
            and setoff_pairs.invoice_date >= receipt_legs.allocation_date
    where setoff_pairs.n_prepayments > 1
    group by setoff_pairs.tenant_id, setoff_pairs.invoice_id, setoff_pairs.prepayment_id
),

prepayment_consumed_before as (
    select
        setoff_pairs.tenant_id,
        setoff_pairs.invoice_id,
        setoff_pairs.prepayment_id,
        sum(earlier.setoff_total) as consumed_amount
    from setoff_pairs
    inner join setoff_pairs as earlier
        on
            setoff_pairs.tenant_id = earlier.tenant_id
            and setoff_pairs.prepayment_id = earlier.prepayment_id
            and earlier.n_prepayments = 1
            and (
                setoff_pairs.invoice_date > earlier.invoice_date
                or (setoff_pairs.invoice_date = earlier.invoice_date and setoff_pairs.invoice_id > earlier.invoice_id)
            )
    where setoff_pairs.n_prepayments > 1
    group by setoff_pairs.tenant_id, setoff_pairs.invoice_id, setoff_pairs.prepayment_id
),

setoff_waterfall as (
    select
        setoff_pairs.*,
        coalesce(
            sum(
                case
                    when
                        coalesce(prepayment_received.received_amount, 0)
                        - coalesce(prepayment_consumed_before.consumed_amount, 0) > 0
                        then
                            coalesce(prepayment_received.received_amount, 0)
                            - coalesce(prepayment_consumed_before.consumed_amount, 0)
                    else 0
                end
            ) over (
                partition by setoff_pairs.tenant_id, setoff_pairs.invoice_id
                order by setoff_pairs.prepayment_order
                rows between unbounded preceding and 1 preceding
            ),
            0
        ) as available_before,
        case
            when
                coalesce(prepayment_received.received_amount, 0)
                - coalesce(prepayment_consumed_before.consumed_amount, 0) > 0
                then
                    coalesce(prepayment_received.received_amount, 0)
                    - coalesce(prepayment_consumed_before.consumed_amount, 0)
            else 0
        end as available
    from setoff_pairs
    left join prepayment_received
        on
            setoff_pairs.tenant_id = prepayment_received.tenant_id
            and setoff_pairs.invoice_id = prepayment_received.invoice_id
            and setoff_pairs.prepayment_id = prepayment_received.prepayment_id
    left join prepayment_consumed_before
        on
            setoff_pairs.tenant_id = prepayment_consumed_before.tenant_id
            and setoff_pairs.invoice_id = prepayment_consumed_before.invoice_id
            and setoff_pairs.prepayment_id = prepayment_consumed_before.prepayment_id
),

-- The set-off amount per (final invoice, prepayment): all of it on a single prepayment; over several,
-- in prepayment date order, each up to what it holds, the last one taking the rest.
setoffs as (
    select
        tenant_id,
        invoice_id,
        invoice_date,
        prepayment_id,
        case
            when n_prepayments = 1 then setoff_total
            when prepayment_order = n_prepayments
                then
                    setoff_total - case when available_before < setoff_total then available_before else setoff_total end
            when setoff_total - available_before <= 0 then 0
            when setoff_total - available_before < available then setoff_total - available_before
            else available
        end as setoff_amount
    from setoff_waterfall
),

setoff_legs as (
    select
        setoffs.tenant_id,
        {{ dbt.concat([
            "'prepayment_setoff-'", 'cast(setoffs.invoice_id as ' ~ dbt.type_string() ~ ')',
            "'-'", 'cast(setoffs.prepayment_id as ' ~ dbt.type_string() ~ ')'
        ]) }} as allocation_id,
        {{ dbt.concat([
            'cast(setoffs.invoice_id as ' ~ dbt.type_string() ~ ')',
            "'-'", 'cast(setoffs.prepayment_id as ' ~ dbt.type_string() ~ ')'
        ]) }} as allocation_key,
        'prepayment_setoff' as allocation_type,
        setoffs.invoice_date as allocation_date,
        1 as leg_order,
        documents.document_type,
        documents.document_id,
        documents.document_number,
        documents.open_item_side,
        documents.open_item_account_id,
        case when documents.document_type = 'prepayment' then 'invoice' else 'prepayment' end
            as counter_document_type,
        case when documents.document_type = 'prepayment' then setoffs.invoice_id else setoffs.prepayment_id end
            as counter_document_id,
        documents.currency,
        documents.currency_rate,
        case when documents.document_type = 'prepayment' then -setoffs.setoff_amount else setoffs.setoff_amount end
            as amount,
        cast(null as {{ dbt.type_string() }}) as cash_currency,
        cast(null as {{ accounting_money_type() }}) as cash_amount,
        cast(null as {{ accounting_base_money_type() }}) as cross_cash_amount_base,
        false as is_cash,
        cast(null as {{ dbt.type_bigint() }}) as receipt_group_id,
        cast(null as {{ dbt.type_bigint() }}) as receipt_row_id,
        cast(null as {{ dbt.type_bigint() }}) as receipt_account_id,
        cast(null as {{ dbt.type_string() }}) as bank_account_id,
        documents.customer_id,
        documents.vendor_id,
        documents.entity_name,
        documents.project_id,
        documents.finance_object_id
    from (
        -- each set-off once on the final invoice and once on the prepayment (two equality joins, no OR)
        select
            setoffs.*,
            setoffs.invoice_id as leg_document_id,
            'receivable' as leg_side
        from setoffs
        union all
        select
            setoffs.*,
            setoffs.prepayment_id as leg_document_id,
            'prepayment' as leg_side
        from setoffs
    ) as setoffs
    inner join documents
        on
            setoffs.tenant_id = documents.tenant_id
            and setoffs.leg_document_id = documents.document_id
            and setoffs.leg_side = documents.open_item_side
    where setoffs.setoff_amount <> 0
),

-- Credit allocations: each credit invoice against each invoice it credits (same currency), up to
-- what that invoice still has open on the credit's date.
credit_pairs as (
    select
        credits.tenant_id,
        credits.document_id as credit_invoice_id,
        credits.document_date as credit_date,
        -credits.total_amount as credit_total,
        credited.document_id as invoice_id,
        credited.total_amount as invoice_total,
        row_number() over (
            partition by credits.tenant_id, credits.document_id
            order by credited.document_id
        ) as target_order
    from credited_invoices
    inner join documents as credits
        on
            credited_invoices.tenant_id = credits.tenant_id
            and credited_invoices.invoice_id = credits.document_id
            and credits.document_type = 'credit_invoice'
    inner join documents as credited
        on
            credited_invoices.tenant_id = credited.tenant_id
            and credited_invoices.credited_invoice_id = credited.document_id
            and credited.document_type = 'invoice'
            and credits.currency = credited.currency
    where credits.total_amount < 0
),

-- Money and set-offs on invoices.
invoice_settlements as (
    select
        tenant_id,
        document_id,
        allocation_date,
        amount
    from receipt_legs
    where document_type = 'invoice'
    union all
    select
        tenant_id,
        document_id,
        allocation_date,
        amount
    from setoff_legs
    where document_type = 'invoice'
),

-- The credited invoice's open amount on the credit's date, before credits: total − set-offs −
-- receipts dated on or before it.
credit_pair_open as (
    select
        credit_pairs.tenant_id,
        credit_pairs.credit_invoice_id,
        credit_pairs.invoice_id,
        credit_pairs.invoice_total - coalesce(sum(settled.amount), 0) as open_before_credits
    from credit_pairs
    left join invoice_settlements as settled
        on
            credit_pairs.tenant_id = settled.tenant_id
            and credit_pairs.invoice_id = settled.document_id
            and credit_pairs.credit_date >= settled.allocation_date
    group by credit_pairs.tenant_id, credit_pairs.credit_invoice_id, credit_pairs.invoice_id, credit_pairs.invoice_total
),

-- A credit listing several invoices covers them in id order: each invoice is offered what earlier ones did not take.
credit_offers as (
    select
        credit_pairs.*,
        credit_pair_open.open_before_credits,
        credit_pairs.credit_total - coalesce(
            sum(case when credit_pair_open.open_before_credits > 0 then credit_pair_open.open_before_credits else 0 end)
                over (
                    partition by credit_pairs.tenant_id, credit_pairs.credit_invoice_id
                    order by credit_pairs.target_order
                    rows between unbounded preceding and 1 preceding
                ),
            0
        ) as offered
    from credit_pairs
    inner join credit_pair_open
        on
            credit_pairs.tenant_id = credit_pair_open.tenant_id
            and credit_pairs.credit_invoice_id = credit_pair_open.credit_invoice_id
            and credit_pairs.invoice_id = credit_pair_open.invoice_id
),

-- Several credits on one invoice, in date order: allocated to date = min(credits offered to date, open).
credit_cumulative as (
    select
        *,
        sum(case when offered > 0 then offered else 0 end) over (
            partition by tenant_id, invoice_id
            order by credit_date, credit_invoice_id
            rows between unbounded preceding and current row
        ) as offered_to_date
    from credit_offers
),

credit_allocated_to_date as (
    select
        *,
        case
            when open_before_credits <= 0 then 0
            when offered_to_date < open_before_credits then offered_to_date
            else open_before_credits
        end as allocated_to_date
    from credit_cumulative
),

credit_allocations as (
    select
        tenant_id,
        credit_invoice_id,
        credit_date,
        invoice_id,
        allocated_to_date - coalesce(
            lag(allocated_to_date) over (partition by tenant_id, invoice_id order by credit_date, credit_invoice_id),
            0
        ) as allocated_amount
    from credit_allocated_to_date
),

credit_legs as (
    select
        credit_allocations.tenant_id,
        {{ dbt.concat([
            "'credit_allocation-'", 'cast(credit_allocations.credit_invoice_id as ' ~ dbt.type_string() ~ ')',
            "'-'", 'cast(credit_allocations.invoice_id as ' ~ dbt.type_string() ~ ')'
        ]) }} as allocation_id,
        {{ dbt.concat([
            'cast(credit_allocations.credit_invoice_id as ' ~ dbt.type_string() ~ ')',
            "'-'", 'cast(credit_allocations.invoice_id as ' ~ dbt.type_string() ~ ')'
        ]) }} as allocation_key,
        'credit_allocation' as allocation_type,
        credit_allocations.credit_date as allocation_date,
        3 as leg_order,
        documents.document_type,
        documents.document_id,
        documents.document_number,
        documents.open_item_side,
        documents.open_item_account_id,
        case when documents.document_type = 'credit_invoice' then 'invoice' else 'credit_invoice' end
            as counter_document_type,
        case
            when documents.document_type = 'credit_invoice' then credit_allocations.invoice_id
            else credit_allocations.credit_invoice_id
        end as counter_document_id,
        documents.currency,
        documents.currency_rate,
        case
            when documents.document_type = 'credit_invoice' then -credit_allocations.allocated_amount
            else credit_allocations.allocated_amount
        end as amount,
        cast(null as {{ dbt.type_string() }}) as cash_currency,
        cast(null as {{ accounting_money_type() }}) as cash_amount,
        cast(null as {{ accounting_base_money_type() }}) as cross_cash_amount_base,
        false as is_cash,
        cast(null as {{ dbt.type_bigint() }}) as receipt_group_id,
        cast(null as {{ dbt.type_bigint() }}) as receipt_row_id,
        cast(null as {{ dbt.type_bigint() }}) as receipt_account_id,
        cast(null as {{ dbt.type_string() }}) as bank_account_id,
        documents.customer_id,
        documents.vendor_id,
        documents.entity_name,
        documents.project_id,
        documents.finance_object_id
    from (
        select
            credit_allocations.*,
            credit_allocations.invoice_id as leg_document_id,
            'invoice' as leg_document_type
        from credit_allocations
        union all
        select
            credit_allocations.*,
            credit_allocations.credit_invoice_id as leg_document_id,
            'credit_invoice' as leg_document_type
        from credit_allocations
    ) as credit_allocations
    inner join documents
        on
            credit_allocations.tenant_id = documents.tenant_id
            and credit_allocations.leg_document_id = documents.document_id
            and credit_allocations.leg_document_type = documents.document_type
    where credit_allocations.allocated_amount > 0
),

legs as (
    select * from receipt_legs
    union all
    select * from unallocated_legs
    union all
    select * from setoff_legs
    union all
    select * from credit_legs
),

-- Base amounts at the document's own rate, cumulative over its legs in date order, so the legs of a
-- fully settled document add up to exactly its converted total.
sequenced as (
    select
        *,
        sum(amount) over (
            partition by tenant_id, document_type, document_id
            order by allocation_date, leg_order, allocation_id
            rows between unbounded preceding and current row
        ) as document_cumulative_amount
    from legs
),

converted as (
    select
        sequenced.*,
        {{ accounting_to_base('sequenced.document_cumulative_amount', 'sequenced.currency_rate') }}
        - {{ accounting_to_base(
            'sequenced.document_cumulative_amount - sequenced.amount', 'sequenced.currency_rate'
        ) }} as amount_base,
        documents.vat_amount as prepayment_vat_total,
        documents.requested_amount as prepayment_total,
        documents.vat_code_id as prepayment_vat_code_id
    from sequenced
    left join documents
        on
            sequenced.tenant_id = documents.tenant_id
            and sequenced.document_id = documents.document_id
            and sequenced.document_type = 'prepayment'
            and documents.document_type = 'prepayment'
),

final as (
    select
        cast(tenant_id as {{ dbt.type_string() }}) as tenant_id,
        cast(allocation_id as {{ dbt.type_string() }}) as allocation_id,
        cast(allocation_key as {{ dbt.type_string() }}) as allocation_key,
        cast(allocation_type as {{ dbt.type_string() }}) as allocation_type,
        cast(allocation_date as date) as allocation_date,
        cast(leg_order as {{ dbt.type_int() }}) as leg_order,
        cast(document_type as {{ dbt.type_string() }}) as document_type,
        cast(document_id as {{ dbt.type_bigint() }}) as document_id,
        cast(document_number as {{ dbt.type_string() }}) as document_number,
        cast(open_item_side as {{ dbt.type_string() }}) as open_item_side,
        cast(open_item_account_id as {{ dbt.type_string() }}) as open_item_account_id,
        cast(counter_document_type as {{ dbt.type_string() }}) as counter_document_type,
        cast(counter_document_id as {{ dbt.type_bigint() }}) as counter_document_id,
        cast(currency as {{ dbt.type_string() }}) as currency,
        cast(currency_rate as {{ accounting_money_type() }}) as currency_rate,
        cast(amount as {{ accounting_money_type() }}) as amount,
        cast(amount_base as {{ accounting_base_money_type() }}) as amount_base,
        cast(cash_currency as {{ dbt.type_string() }}) as cash_currency,
        cast(cash_amount as {{ accounting_money_type() }}) as cash_amount,
        cast(
            case when is_cash then coalesce(cross_cash_amount_base, amount_base) end
            as {{ accounting_base_money_type() }}
        ) as cash_amount_base,
        -- output VAT contained in a leg on a prepayment (cumulative per prepayment, like base amounts)
        cast(
            case
                when prepayment_total is not null and prepayment_total <> 0 and prepayment_vat_total <> 0
                    then
                        {{ accounting_round_division(
                            'document_cumulative_amount * prepayment_vat_total', 'prepayment_total'
                        ) }}
                        - {{ accounting_round_division(
                            '(document_cumulative_amount - amount) * prepayment_vat_total', 'prepayment_total'
                        ) }}
                else 0
            end
            as {{ accounting_money_type() }}
        ) as prepayment_vat_amount,
        cast(
            case
                when prepayment_total is not null and prepayment_total <> 0 and prepayment_vat_total <> 0
                    then
                        {{ accounting_to_base(
                            accounting_round_division('document_cumulative_amount * prepayment_vat_total', 'prepayment_total'),
                            'currency_rate'
                        ) }}
                        - {{ accounting_to_base(
                            accounting_round_division(
                                '(document_cumulative_amount - amount) * prepayment_vat_total', 'prepayment_total'
                            ),
                            'currency_rate'
                        ) }}
                else 0
            end
            as {{ accounting_base_money_type() }}
        ) as prepayment_vat_amount_base,
        cast(prepayment_vat_code_id as {{ dbt.type_bigint() }}) as prepayment_vat_code_id,
        cast(receipt_group_id as {{ dbt.type_bigint() }}) as receipt_group_id,
        cast(receipt_row_id as {{ dbt.type_bigint() }}) as receipt_row_id,
        cast(receipt_account_id as {{ dbt.type_bigint() }}) as receipt_account_id,
        cast(bank_account_id as {{ dbt.type_string() }}) as bank_account_id,
        cast(customer_id as {{ dbt.type_bigint() }}) as customer_id,
        cast(vendor_id as {{ dbt.type_bigint() }}) as vendor_id,
        cast(entity_name as {{ dbt.type_string() }}) as entity_name,
        cast(project_id as {{ dbt.type_bigint() }}) as project_id,
        cast(finance_object_id as {{ dbt.type_bigint() }}) as finance_object_id
    from converted
)

select * from final
