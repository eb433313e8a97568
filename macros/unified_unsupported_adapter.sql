{#-
    unified_unsupported_adapter(macro_name): the default__ implementation of the unified_* macros
    that build nested (STRUCT / LIST) values, which every warehouse writes differently. It raises
    a compiler error naming the adapter, instead of letting the warehouse fail on DuckDB syntax.
-#}
{% macro unified_unsupported_adapter(macro_name) -%}
    {{ exceptions.raise_compiler_error(
        "The unified accounting models need the macro `" ~ macro_name ~ "`, which has no implementation for the '"
        ~ adapter.type() ~ "' adapter (only duckdb__" ~ macro_name ~ " exists). Nested STRUCT and LIST values "
        ~ "are built differently on every warehouse: add a macro " ~ adapter.type() ~ "__" ~ macro_name
        ~ " that returns the same nested type there."
    ) }}
{%- endmacro %}
