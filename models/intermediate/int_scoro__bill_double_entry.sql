-- One row per debit or credit of a Scoro bill (purchase invoice):
-- debit expense per line (ex VAT) and VAT receivable per VAT code; credit Accounts Payable with the total incl. VAT.
{{ config(materialized=accounting_incremental_materialization(), incremental_strategy='replace_documents') }}
{{ accounting_document_double_entry(
    document_type='bill',
    transaction_type='Bill',
    documents=ref('stg_scoro__bills'),
    document_lines=ref('stg_scoro__bill_lines'),
    line_document_key='bill_id',
    scoro_module='bills',
    counterparty_account=var('scoro_accounts_payable_account'),
    counterparty_side='Credit',
    vat_account=var('scoro_vat_input_account'),
    product_account_column='purchases_finance_account_id',
    default_line_account=var('scoro_default_purchases_account'),
    adjustment_account=var('scoro_purchase_adjustments_account'),
    entity_role='vendor',
    deferral='recognition_date' if var('scoro_post_bills_on_recognition_date', true) else none,
    deferral_account=var('scoro_deferred_expenses_account')
) }}
