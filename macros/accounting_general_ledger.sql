{#-
    accounting_double_entry_models(): the int_scoro__<document>_double_entry models whose rows make
    the general ledger before the year-end close. int_scoro__general_ledger unions these and
    int_scoro__year_end_close_double_entry; the close reads these (it cannot read the ledger it is
    part of). Adding a document type: add its model here.

    accounting_fiscal_year_start(date_expression, start_month_expression): the first day of the
    fiscal year date_expression falls in, when fiscal years start on the first of month
    start_month_expression (1-12, a column or a literal).
-#}
{% macro accounting_double_entry_models() -%}
    {{ return([
        'int_scoro__invoice_double_entry',
        'int_scoro__credit_invoice_double_entry',
        'int_scoro__bill_double_entry',
        'int_scoro__invoice_receipt_double_entry',
        'int_scoro__bill_payment_double_entry',
        'int_scoro__prepayment_double_entry',
        'int_scoro__prepayment_setoff_double_entry',
        'int_scoro__credit_allocation_double_entry',
        'int_scoro__expense_receipt_double_entry',
        'int_scoro__unallocated_cash_double_entry',
        'int_scoro__fx_revaluation_double_entry',
    ]) }}
{%- endmacro %}

{% macro accounting_fiscal_year_start(date_expression, start_month_expression) -%}
    cast({{ dbt.dateadd(
        'month',
        '-mod(cast(extract(month from ' ~ date_expression ~ ') as ' ~ dbt.type_int() ~ ') - ('
            ~ start_month_expression ~ ') + 12, 12)',
        dbt.date_trunc('month', date_expression)
    ) }} as date)
{%- endmacro %}
