-- One row per debit or credit of money paid on a Scoro bill (one receipt row of sales_doc_type 'bills'):
-- debit Accounts Payable; credit the bank (the receipt group's receipt account). A negative row (a refund) flips both.
{{ accounting_payment_double_entry(
    document_type='bill_payment',
    transaction_type='Bill Payment',
    payment_kind='bills',
    paid_documents=ref('stg_scoro__bills'),
    scoro_module='bills',
    counterparty_account=var('scoro_accounts_payable_account'),
    bank_side='credit',
    entity_role='vendor'
) }}
