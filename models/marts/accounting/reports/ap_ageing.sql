-- One row per bill still open (or overpaid) at var scoro_as_of_date: amount due, days overdue, ageing bucket.
{{ accounting_ageing_report(open_item_side='payable', entity_role='vendor') }}
