-- One row per debit or credit of money received on (or refunded from) an invoice or credit invoice (one receipt row):
-- debit the bank (the money's base value), credit AR (the invoice's rate); the difference is realised FX.
{{ accounting_allocation_double_entry(
    document_type='invoice_receipt',
    transaction_type='Payment',
    allocation_types=['receipt_row'],
    document_types=['invoice', 'credit_invoice']
) }}
