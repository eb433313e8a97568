-- One row per debit or credit of a final invoice consuming a prepayment (one pair of final invoice and prepayment):
-- debit Customer prepayments; credit Accounts Receivable of the final invoice. No bank row: the money came earlier.
{{ accounting_allocation_double_entry(
    document_type='prepayment_setoff',
    transaction_type='Prepayment Set-off',
    allocation_types=['prepayment_setoff']
) }}
