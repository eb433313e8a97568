-- One row per debit or credit of money received on a Scoro prepayment (one receipt row): debit the bank, credit
-- Customer prepayments (gross); the output VAT it contains moves to VAT payable (var scoro_prepayment_vat_on_receipt).
{{ accounting_allocation_double_entry(
    document_type='prepayment',
    transaction_type='Prepayment',
    allocation_types=['receipt_row'],
    document_types=['prepayment']
) }}
