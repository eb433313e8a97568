-- One row per debit or credit of a Scoro invoice that credits no other invoice:
-- debit Accounts Receivable with the total incl. VAT; credit revenue per line (ex VAT) and VAT payable per VAT code.
{{ config(materialized=accounting_incremental_materialization(), incremental_strategy='replace_documents') }}
{{ accounting_document_double_entry(
    document_type='invoice',
    transaction_type='Invoice',
    documents=ref('stg_scoro__invoices'),
    document_lines=ref('stg_scoro__invoice_lines'),
    line_document_key='invoice_id',
    scoro_module='invoices',
    counterparty_account=var('scoro_accounts_receivable_account'),
    counterparty_side='Debit',
    vat_account=var('scoro_vat_output_account'),
    product_account_column='sales_finance_account_id',
    default_line_account=var('scoro_default_sales_account'),
    adjustment_account=var('scoro_sales_adjustments_account'),
    entity_role='customer',
    credited_invoices=ref('stg_scoro__invoice_credited_invoices'),
    credit_filter='exclude',
    document_number_column='no_text',
    deferral='accounting_period' if var('scoro_recognise_revenue_over_accounting_period', true) else none,
    deferral_account=var('scoro_deferred_revenue_account')
) }}
