"""scripts/check_portability.py: engine-specific SQL is flagged outside dispatched macros only."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "scripts"))

from check_portability import check_text, long_names, unimplemented_dispatches  # noqa: E402

MACROS = {"default__iso", "spark__iso", "default__half"}


def flagged(source: str) -> list[str]:
    return [f.snippet for f in check_text(Path("model.sql"), source, MACROS)]


def test_duckdb_only_sql_in_a_model_is_flagged_with_the_line():
    source = "select\n    tenant_id,\n    list(id order by id) as ids,\n    x::bigint\nfrom t\n"
    findings = check_text(Path("model.sql"), source, MACROS)
    assert [(f.line, f.snippet) for f in findings] == [(3, "list("), (4, "::")]
    assert "unified_list_agg" in findings[0].advice


def test_sql_inside_jinja_strings_is_checked_but_type_strings_are_not():
    assert flagged("select {{ 'strftime(' ~ column ~ \", '%Y')\" }} from t") == ["strftime("]
    assert flagged("select {{ unified_empty_list(data_type='struct(\"a\" varchar)[]') }}") == []
    assert flagged("select {{ unified_typed_null('struct(\"a\" varchar)') }} as x") == []


def test_comments_string_literals_and_error_messages_are_ignored():
    source = (
        "-- list(x) and try_cast(y) are DuckDB's\n"
        "{# struct_pack(a := 1) #}\n"
        "select 'a // b :: c' as s from t\n"
        "{{ exceptions.raise_compiler_error('use `list(x)`') }}\n"
    )
    assert flagged(source) == []


def test_dispatched_implementations_are_not_checked_but_the_dispatcher_is():
    source = (
        "{% macro duckdb__half(x) %}{{ x }} // 2{% endmacro %}\n"
        "{% macro postgres__agg(x) %}string_agg({{ x }}, ',') from t{% endmacro %}\n"
        "{% macro half(x) %}{{ x }} // 2{% endmacro %}\n"
    )
    assert flagged(source) == ["//"]


def test_a_division_is_flagged_but_not_a_comment_or_a_path_in_a_string():
    assert flagged("select a / b as ratio, '/data/x' as path /* a/b */ from t") == ["/"]


def test_a_default_is_allowed_what_only_overridden_engines_cannot_run():
    # to_char fails on DuckDB and Spark: fine in default__iso only if both override it
    source = "{% macro default__iso(x) %}to_char({{ x }}, 'YYYY'){% endmacro %}"
    assert flagged(source) == ["to_char("]
    both = MACROS | {"duckdb__iso"}
    assert check_text(Path("m.sql"), source, both) == []


def test_a_pragma_exempts_one_macro():
    source = (
        "{% macro register(path) %}{#- portability: spark only -#}"
        "select value from text.`{{ path }}`{% endmacro %}\n"
        "{% macro other(path) %}select value from text.`{{ path }}`{% endmacro %}\n"
    )
    assert flagged(source) == ["`", "`"]


def test_yaml_test_expressions_are_checked(tmp_path):
    yaml = tmp_path / "model.yml"
    yaml.write_text(
        "models:\n  - name: m\n    data_tests:\n      - expression_is_true:\n"
        '          arguments:\n            expression: "amount::decimal > 0"\n'
        "    columns:\n      - name: a\n        data_type: 'struct(\"x\" varchar)[]'\n"
    )
    completed = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "check_portability.py"), str(yaml)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 1
    assert "model.yml:6: `::`" in completed.stdout
    assert "`struct" not in completed.stdout  # data_type is DuckDB syntax by design


def test_a_dispatch_whose_default_refuses_needs_every_engine():
    source = (
        "{% macro id_elements(r) %}{{ return(adapter.dispatch('id_elements')(r)) }}{% endmacro %}\n"
        "{% macro default__id_elements(r) %}{{ unified_unsupported_adapter('id_elements') }}"
        "{% endmacro %}\n"
    )
    found = unimplemented_dispatches(Path("m.sql"), source, {"duckdb__id_elements"})
    assert [(f.line, f.snippet) for f in found] == [(2, "default__id_elements raises")]
    assert "postgres__id_elements, spark__id_elements" in found[0].advice
    every = {"duckdb__id_elements", "postgres__id_elements", "spark__id_elements"}
    assert unimplemented_dispatches(Path("m.sql"), source, every) == []
    # a default that works everywhere needs no engine of its own
    working = "{% macro default__half(x) %}{{ x }} * 0.5{% endmacro %}"
    assert unimplemented_dispatches(Path("m.sql"), working, set()) == []


def test_names_postgres_cannot_hold_are_flagged():
    long = "test_" + "x" * 59  # 64 characters
    yaml = f"unit_tests:\n  - name: {long}\n    model: m\n  - name: short\n    model: m\n"
    found = long_names(Path("models/m.yml"), yaml)
    assert [(f.line, f.snippet) for f in found] == [(2, long)]
    assert long_names(Path("models/m.yml"), f"models:\n  - name: {long}\n") == []
    assert [f.snippet for f in long_names(Path(f"models/{long}.sql"), "")] == [long]
    assert long_names(Path(f"models/{long[:63]}.sql"), "") == []


def test_the_project_itself_is_portable():
    completed = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "check_portability.py")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout
