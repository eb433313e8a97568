-- One row per invoice or credit invoice still open at var scoro_as_of_date: amount due, days overdue, ageing bucket.
{{ accounting_ageing_report(open_item_side='receivable', entity_role='customer') }}
