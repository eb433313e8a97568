-- One row per debit or credit of money in a receipt group beyond its rows (unallocated cash, one receipt group):
-- debit the bank, credit Unallocated receipts (money in); or debit Unallocated payments, credit the bank (money out).
{{ accounting_allocation_double_entry(
    document_type='unallocated_cash',
    transaction_type='Unallocated Payment',
    allocation_types=['unallocated_cash']
) }}
