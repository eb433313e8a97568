-- Invoice and bill lines that name a finance account Scoro does not list: the ledger posts them to the product's
-- account or the default account instead (see DECISIONLOG.md, "Account of a line"). A warning: each row returned is a
-- line whose account to check in Scoro.
{{ config(severity='warn') }}

with

invoice_lines as (
    select * from {{ ref('stg_scoro__invoice_lines') }}
),

bill_lines as (
    select * from {{ ref('stg_scoro__bill_lines') }}
),

finance_accounts as (
    select * from {{ ref('stg_scoro__finance_accounts') }}
),

lines as (
    select
        tenant_id,
        'invoice' as document_kind,
        invoice_id as document_id,
        id as line_id,
        finance_account_id
    from invoice_lines
    where not is_deleted
    union all
    select
        tenant_id,
        'bill' as document_kind,
        bill_id as document_id,
        id as line_id,
        finance_account_id
    from bill_lines
    where not is_deleted
)

select lines.*
from lines
where
    lines.finance_account_id is not null
    and not exists (
        select 1 from finance_accounts
        where
            finance_accounts.tenant_id = lines.tenant_id
            and finance_accounts.id = lines.finance_account_id
    )
