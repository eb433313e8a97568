-- One row per debit or credit of money received on a Scoro invoice or credit invoice (one receipt row):
-- debit the bank (the receipt group's receipt account); credit Accounts Receivable. A refund (negative row) flips both.
{{ accounting_payment_double_entry(
    document_type='invoice_receipt',
    transaction_type='Payment',
    payment_kind='invoices',
    paid_documents=ref('stg_scoro__invoices'),
    scoro_module='invoices',
    counterparty_account=var('scoro_accounts_receivable_account'),
    bank_side='debit',
    entity_role='customer',
    document_number_column='no_text'
) }}
