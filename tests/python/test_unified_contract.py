"""The unified accounting objects, as built, against the documented schema.

Reads ``spec/unified_properties.csv`` (one row per documented property path, e.g.
``bills,lineItems.unitPrice,number``) and checks, in a DuckDB file on which ``dbt build`` has
run, that every path exists in the object's model in schema ``accounting`` with a compatible
type, walking DuckDB's STRUCT and LIST types:

- ``string``     -> VARCHAR
- ``number``     -> an exact number: DECIMAL or an integer type, never FLOAT/DOUBLE
- ``boolean``    -> BOOLEAN
- ``any``        -> any type
- ``object``     -> STRUCT
- ``object [ ]`` -> LIST of STRUCT
- ``string [ ]`` -> LIST of VARCHAR

Three properties the schema types as ``string`` are built with the type the same property has
in the other objects (issue 11: one type per property, DECISIONLOG.md section 16):
``credit_notes.currencyRate`` is a number as in invoices and bills, ``credit_notes.lineItems``
and ``credit_notes.paymentAllocations`` lists of structs as every other nested list
(``ONE_TYPE_PER_PROPERTY``). tests/python/test_vocabulary.py checks the rule itself.

The built file comes from the ``built_warehouse`` fixture (tests/python/conftest.py); if the
environment variable ``SCORO_BUILT_DUCKDB`` names a file, that file is used instead.
"""

from __future__ import annotations

import csv
import os
from collections import defaultdict
from pathlib import Path

import duckdb
import pytest
from duckdb.sqltypes import DuckDBPyType

SPEC = Path(__file__).resolve().parents[2] / "spec" / "unified_properties.csv"
SCHEMA = "accounting"
INTEGER_TYPES = {
    "tinyint",
    "smallint",
    "integer",
    "bigint",
    "hugeint",
    "utinyint",
    "usmallint",
    "uinteger",
    "ubigint",
    "uhugeint",
}


# Documented as `string`, built with the type the property has everywhere else.
ONE_TYPE_PER_PROPERTY = {
    ("credit_notes", "currencyRate"): "number",
    ("credit_notes", "lineItems"): "object [ ]",
    ("credit_notes", "paymentAllocations"): "object [ ]",
}


def _load_spec() -> list[tuple[str, str, str]]:
    with SPEC.open(newline="") as handle:
        rows = [
            (row["object"], row["property"], row["type"].strip()) for row in csv.DictReader(handle)
        ]
    return [(obj, path, ONE_TYPE_PER_PROPERTY.get((obj, path), typ)) for obj, path, typ in rows]


def test_overridden_types_are_documented_as_strings() -> None:
    """The overrides name real properties the spec types as strings (none is stale)."""
    with SPEC.open(newline="") as handle:
        documented = {(r["object"], r["property"]): r["type"] for r in csv.DictReader(handle)}
    for key in ONE_TYPE_PER_PROPERTY:
        assert documented.get(key) == "string", key


PROPERTIES = _load_spec()
OBJECTS = sorted({obj for obj, _, _ in PROPERTIES})


@pytest.fixture(scope="module")
def warehouse(request: pytest.FixtureRequest) -> Path:
    """The built DuckDB file: $SCORO_BUILT_DUCKDB if set, else the ``built_warehouse`` fixture."""
    override = os.environ.get("SCORO_BUILT_DUCKDB")
    if override:
        path = Path(override)
        assert path.is_file(), f"SCORO_BUILT_DUCKDB={override} is not a file"
        return path
    return Path(request.getfixturevalue("built_warehouse"))


@pytest.fixture(scope="module")
def column_types(warehouse: Path) -> dict[str, dict[str, DuckDBPyType]]:
    """Per unified object: its columns and their DuckDB types (nested types kept whole)."""
    types: dict[str, dict[str, DuckDBPyType]] = defaultdict(dict)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        tables = {
            name
            for (name,) in con.execute(
                "select table_name from information_schema.tables where table_schema = ?",
                [SCHEMA],
            ).fetchall()
        }
        for obj in OBJECTS:
            if obj not in tables:
                continue
            relation = con.sql(f'select * from "{SCHEMA}"."{obj}" limit 0')
            for name, dtype in zip(relation.columns, relation.dtypes, strict=True):
                types[obj][name] = dtype
    return dict(types)


def _children(dtype: DuckDBPyType) -> dict[str, DuckDBPyType]:
    """The fields of a STRUCT, or of the STRUCT elements of a LIST; {} for anything else."""
    if dtype.id == "list":
        dtype = dtype.child
    if dtype.id != "struct":
        return {}
    return dict(dtype.children)


def _resolve(columns: dict[str, DuckDBPyType], path: str):
    """The DuckDB type at a dotted property path, or None when a segment is missing."""
    head, *rest = path.split(".")
    dtype = columns.get(head)
    for segment in rest:
        if dtype is None:
            return None
        dtype = _children(dtype).get(segment)
    return dtype


def _compatible(documented: str, dtype: DuckDBPyType) -> bool:
    kind = dtype.id
    if documented == "any":
        return True
    if documented == "string":
        return kind == "varchar"
    if documented == "number":
        return kind == "decimal" or kind in INTEGER_TYPES
    if documented == "boolean":
        return kind == "boolean"
    if documented == "object":
        return kind == "struct"
    if documented == "object [ ]":
        return kind == "list" and dtype.child.id == "struct"
    if documented == "string [ ]":
        return kind == "list" and dtype.child.id == "varchar"
    raise AssertionError(f"unknown documented type {documented!r} in {SPEC.name}")


def test_spec_is_complete() -> None:
    """The spec this test reads is the one agreed: 11 objects, 355 property paths."""
    assert len(OBJECTS) == 11
    assert len(PROPERTIES) == 355


@pytest.mark.parametrize("obj", OBJECTS)
def test_object_is_built(column_types: dict, obj: str) -> None:
    assert obj in column_types, f"no table {SCHEMA}.{obj} in the built warehouse"


@pytest.mark.parametrize(
    ("obj", "path", "documented"),
    PROPERTIES,
    ids=[f"{obj}.{path}" for obj, path, _ in PROPERTIES],
)
def test_property_exists_with_compatible_type(
    column_types: dict, obj: str, path: str, documented: str
) -> None:
    columns = column_types.get(obj)
    if columns is None:
        pytest.fail(f"no table {SCHEMA}.{obj}")
    dtype = _resolve(columns, path)
    assert dtype is not None, f"{obj}: property path {path!r} is missing"
    assert _compatible(documented, dtype), (
        f"{obj}.{path}: documented {documented!r}, built as {dtype}"
    )


@pytest.mark.parametrize("obj", OBJECTS)
def test_every_object_carries_tenant_id(column_types: dict, obj: str) -> None:
    columns = column_types.get(obj, {})
    assert "tenant_id" in columns, f"{obj} has no tenant_id column"
    assert columns["tenant_id"].id == "varchar"


def _leaf_types(dtype: DuckDBPyType):
    if dtype.id == "list":
        yield from _leaf_types(dtype.child)
    elif dtype.id == "struct":
        for _, child in dtype.children:
            yield from _leaf_types(child)
    else:
        yield dtype


@pytest.mark.parametrize("obj", OBJECTS)
def test_no_floating_point_numbers(column_types: dict, obj: str) -> None:
    """Money and quantities are exact decimals everywhere, nested fields included."""
    floats = [
        f"{name}: {dtype}"
        for name, dtype in column_types.get(obj, {}).items()
        if any(leaf.id in {"float", "double"} for leaf in _leaf_types(dtype))
    ]
    assert not floats, f"{obj} has floating-point columns: {floats}"
