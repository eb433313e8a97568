-- One row per debit or credit of money paid on a Scoro bill (one receipt row of sales_doc_type 'bills'):
-- debit Accounts Payable (the bill's rate); credit the bank (the money's base value); the difference is realised FX.
{{ accounting_allocation_double_entry(
    document_type='bill_payment',
    transaction_type='Bill Payment',
    allocation_types=['receipt_row'],
    document_types=['bill']
) }}
