-- One row per debit or credit of money received on a Scoro prepayment (advance) invoice (one receipt row):
-- debit the bank (the receipt group's receipt account); credit Customer prepayments (a liability).
{{ accounting_payment_double_entry(
    document_type='prepayment',
    transaction_type='Prepayment',
    payment_kind='prepayments',
    paid_documents=ref('stg_scoro__prepayments'),
    scoro_module='prepayments',
    counterparty_account=var('scoro_customer_prepayments_account'),
    bank_side='debit',
    entity_role='customer',
    document_number_column='no_text'
) }}
