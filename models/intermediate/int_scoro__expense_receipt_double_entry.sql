-- One row per debit or credit of money paid on a Scoro expense claim (one receipt row of sales_doc_type 'expenses'):
-- debit Expense claims (an expense account); credit the bank.
{{ accounting_allocation_double_entry(
    document_type='expense_receipt',
    transaction_type='Expense',
    allocation_types=['receipt_row'],
    document_types=['expense_claim']
) }}
