{#-
    scoro_data_type(data_type): a type written in DuckDB's syntax, as the current adapter spells it.

    The project writes every type once, in DuckDB's syntax (the reference engine): contract
    data_types in the YAML, and the type arguments of unified_empty_list / unified_typed_null.
    This macro turns such a string into the adapter's own type, so the same YAML and SQL serve
    every engine (the mapping is documented in DECISIONLOG.md, "Portability"):

        DuckDB                       Postgres        Spark
        varchar / text               varchar         string
        integer / int                integer         int
        bigint, boolean, date        (same)          (same)
        decimal(p, s)                decimal(p, s)   decimal(p, s)
        timestamp                    timestamp       timestamp (session time zone UTC)
        timestamp with time zone     timestamptz     timestamp
        double                       double precision  double
        struct("a" T, ...)           jsonb           struct<a:T, ...>
        T[]                          jsonb           array<T>

    Postgres has no anonymous record type with named fields, so nested values are jsonb there
    (see the postgres__unified_* macros).
-#}
{% macro scoro_data_type(data_type) -%}
    {{ return(adapter.dispatch('scoro_data_type')(data_type)) }}
{%- endmacro %}

{% macro default__scoro_data_type(data_type) -%}
    {{ return(data_type) }}
{%- endmacro %}

{% macro postgres__scoro_data_type(data_type) -%}
    {{ return(_scoro_render_type(_scoro_parse_type(data_type), 'postgres')) }}
{%- endmacro %}

{% macro spark__scoro_data_type(data_type) -%}
    {{ return(_scoro_render_type(_scoro_parse_type(data_type), 'spark')) }}
{%- endmacro %}

{#- The parse tree of a DuckDB type string: {'kind': 'scalar', 'name': ..., 'args': [...]},
    {'kind': 'struct', 'fields': [[name, tree], ...]} or {'kind': 'list', 'of': tree}. -#}
{% macro _scoro_parse_type(data_type) -%}
    {#- portability: exempt (reads type strings, emits no SQL) -#}
    {%- set tokens = modules.re.findall('"[^"]*"|[A-Za-z_][A-Za-z0-9_]*|[0-9]+|[(),]|\\[\\]', data_type) -%}
    {%- set parsed = _scoro_parse_type_at(tokens, 0) -%}
    {%- if parsed[1] != tokens | length -%}
        {{ exceptions.raise_compiler_error('scoro_data_type: cannot read the type ' ~ data_type) }}
    {%- endif -%}
    {{ return(parsed[0]) }}
{%- endmacro %}

{#- [tree, next position] of the type starting at tokens[position]. -#}
{% macro _scoro_parse_type_at(tokens, position) -%}
    {#- portability: exempt (reads type strings, emits no SQL) -#}
    {%- if tokens[position] | lower == 'struct' and tokens[position + 1] == '(' -%}
        {%- set parsed = _scoro_parse_struct_at(tokens, position + 2) -%}
    {%- else -%}
        {%- set parsed = _scoro_parse_scalar_at(tokens, position) -%}
    {%- endif -%}
    {%- set state = namespace(tree=parsed[0], position=parsed[1], done=false) -%}
    {%- for token in tokens[state.position:] if not state.done -%}
        {%- if token == '[]' -%}
            {%- set state.tree = {'kind': 'list', 'of': state.tree} -%}
            {%- set state.position = state.position + 1 -%}
        {%- else -%}
            {%- set state.done = true -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return([state.tree, state.position]) }}
{%- endmacro %}

{#- [struct tree, position after its closing parenthesis], from the first field's name on. -#}
{% macro _scoro_parse_struct_at(tokens, position) -%}
    {#- portability: exempt (reads type strings, emits no SQL) -#}
    {%- set fields = [] -%}
    {%- set state = namespace(position=position) -%}
    {%- for _ in tokens if tokens[state.position] != ')' -%}
        {%- set name = modules.re.sub('[^A-Za-z0-9_]', '', tokens[state.position]) -%}
        {%- set field = _scoro_parse_type_at(tokens, state.position + 1) -%}
        {%- do fields.append([name, field[0]]) -%}
        {%- set state.position = field[1] + (1 if tokens[field[1]] == ',' else 0) -%}
    {%- endfor -%}
    {{ return([{'kind': 'struct', 'fields': fields}, state.position + 1]) }}
{%- endmacro %}

{#- [scalar tree, next position]: a type name of one or more words, with its arguments. -#}
{% macro _scoro_parse_scalar_at(tokens, position) -%}
    {#- portability: exempt (reads type strings, emits no SQL) -#}
    {%- set words = [] -%}
    {%- set args = [] -%}
    {%- set state = namespace(position=position, in_args=false, done=false) -%}
    {%- for token in tokens[position:] if not state.done -%}
        {%- set is_word = modules.re.match('[A-Za-z0-9_]', token) -%}
        {%- if state.in_args -%}
            {%- set state.done = token == ')' -%}
            {%- do args.append(token) if is_word -%}
        {%- elif token == '(' and words -%}
            {%- set state.in_args = true -%}
        {%- elif is_word and not (words and token | lower == 'struct') -%}
            {%- do words.append(token | lower) -%}
        {%- else -%}
            {%- set state.done = true -%}
            {%- set state.position = state.position - 1 -%}
        {%- endif -%}
        {%- set state.position = state.position + 1 -%}
    {%- endfor -%}
    {%- if not words -%}
        {%- do exceptions.raise_compiler_error('scoro_data_type: no type name at ' ~ tokens[position:] | join(' ')) -%}
    {%- endif -%}
    {{ return([{'kind': 'scalar', 'name': words | join(' '), 'args': args}, state.position]) }}
{%- endmacro %}

{% macro _scoro_render_type(tree, engine) -%}
    {#- portability: exempt (the per-engine type names) -#}
    {%- if tree.kind != 'scalar' and engine == 'postgres' -%}
        {{ return('jsonb') }}
    {%- elif tree.kind == 'list' -%}
        {{ return('array<' ~ _scoro_render_type(tree.of, engine) ~ '>') }}
    {%- elif tree.kind == 'struct' -%}
        {%- set fields = [] -%}
        {%- for field in tree.fields -%}
            {%- do fields.append('`' ~ field[0] ~ '`:' ~ _scoro_render_type(field[1], engine)) -%}
        {%- endfor -%}
        {{ return('struct<' ~ fields | join(',') ~ '>') }}
    {%- endif -%}
    {%- set names = {
        'postgres': {
            'text': 'varchar', 'string': 'varchar', 'int': 'integer', 'double': 'double precision',
            'timestamp with time zone': 'timestamptz',
        },
        'spark': {
            'varchar': 'string', 'text': 'string', 'integer': 'int', 'int4': 'int', 'int8': 'bigint',
            'numeric': 'decimal', 'double precision': 'double',
            'timestamp with time zone': 'timestamp', 'timestamptz': 'timestamp',
        },
    }[engine] -%}
    {%- set name = names.get(tree.name, tree.name) -%}
    {%- if tree.args and not (engine == 'spark' and name == 'string') -%}
        {{ return(name ~ '(' ~ tree.args | join(', ') ~ ')') }}
    {%- endif -%}
    {{ return(name) }}
{%- endmacro %}
