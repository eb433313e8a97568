-- One row per debit or credit of a credit invoice allocated to the invoice it credits (one pair of credit and invoice):
-- debit Accounts Receivable of the credit invoice; credit Accounts Receivable of the credited invoice.
{{ accounting_allocation_double_entry(
    document_type='credit_allocation',
    transaction_type='Credit Allocation',
    allocation_types=['credit_allocation']
) }}
