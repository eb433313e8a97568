"""The elements of a child list, whatever shape the wire gives them.

Known shapes (DESIGN.md, Scoro's SDK) map to one element per row:
- a list of objects, or of scalars when the table has a `scalar_field`;
- the same list sent by a PHP-style server as an object keyed by position, `{"0": {...},
  "2": {...}}`: elements in numeric key order, each with its key as its position;
- custom field values as a record, `{"c_budget": "100"}` or `{"c_budget": {"name": ...,
  "value": ..., "type": ...}}`: the record key is the field's id unless the object has one;
- means of contact as `{type: value | [values]}`: one element per value;
- custom field modules as names or module objects (`id`, `title`, `path`, ...).

Anything else (a string where a list belongs, an element of the wrong kind, an element
without its key or with a key another element already has) is never dropped and never merged
into another row: it is returned as a `Rejected` piece, which the caller records as a load issue
holding its JSON.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pipelines.scoro import schema


@dataclass
class Element:
    position: int  # the element's position (the integer key of a position-keyed object)
    values: dict[str, Any]


@dataclass
class Rejected:
    where: str  # `lines[3]`, `lines`
    value: Any
    reason: str


@dataclass
class Elements:
    elements: list[Element] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)


def _position_keyed(value: dict[str, Any]) -> bool:
    return bool(value) and all(isinstance(k, str) and k.strip().isdigit() for k in value)


def _ordered(value: dict[str, Any]) -> list[tuple[int, Any]]:
    return sorted(((int(k), v) for k, v in value.items()), key=lambda pair: pair[0])


def read_elements(
    value: Any, child: schema.ChildSpec, name: str, key_of: Callable[[dict[str, Any]], Any]
) -> Elements | None:
    """The elements of the child list `name` (None: the record does not carry the list, as on
    `list` calls). `key_of` gives an element's typed key, or None when it has none."""
    if value is None:
        return None
    out = Elements()
    if isinstance(value, list):
        pairs = list(enumerate(value))
    elif isinstance(value, dict) and _position_keyed(value):
        pairs = _ordered(value)
    elif isinstance(value, dict) and child.kind == schema.TYPED_VALUES:
        pairs = list(enumerate(_typed_values(value)))
    elif isinstance(value, dict) and child.kind == schema.CUSTOM_FIELD_VALUES:
        pairs = list(enumerate(_custom_field_record(value)))
    elif isinstance(value, dict) and not value:
        pairs = []  # PHP's empty array
    else:
        out.rejected.append(Rejected(name, value, f"is not a list ({type(value).__name__})"))
        return out
    seen: dict[Any, int] = {}
    for position, item in pairs:
        where = f"{name}[{position}]"
        values = _element_values(item, child)
        if values is None:
            out.rejected.append(Rejected(where, item, "is not an element this list can hold"))
            continue
        if child.key != schema.CHILD_INDEX_COLUMN:
            key = key_of(values)
            if key is None:
                out.rejected.append(Rejected(where, item, f"has no usable '{child.key}'"))
                continue
            if key in seen:
                out.rejected.append(
                    Rejected(where, item, f"repeats '{child.key}' {key!r} of {name}[{seen[key]}]")
                )
                continue
            seen[key] = position
        out.elements.append(Element(position, values))
    return out


def _element_values(item: Any, child: schema.ChildSpec) -> dict[str, Any] | None:
    if child.kind == schema.MODULE_REFERENCES:
        return _module_reference(item)
    if child.kind == schema.CUSTOM_FIELD_VALUES and isinstance(item, dict):
        return dict(item)
    if isinstance(item, dict):
        return dict(item)
    if child.scalar_field and not isinstance(item, list):
        return {child.scalar_field: item}
    return None


def _typed_values(value: dict[str, Any]) -> list[dict[str, Any]]:
    """means_of_contact {type: value | [values]} -> one {type, value} per value."""
    out = []
    for kind, values in value.items():
        for item in values if isinstance(values, list) else [values]:
            out.append({"type": kind, "value": item})
    return out


def _custom_field_record(value: dict[str, Any]) -> list[dict[str, Any]]:
    """{"c_x": "1"} or {"c_x": {"name": .., "value": .., "type": ..}} -> custom field values."""
    out = []
    for key, item in value.items():
        if isinstance(item, dict) and ({"value", "name", "type", "id"} & set(item)):
            out.append({"id": key, **item})
        else:
            out.append({"id": key, "value": item})
    return out


def _module_reference(item: Any) -> dict[str, Any] | None:
    """A module a custom field is used in: its name, or a module object whose name is its own
    `module_name`, else its `path`, else its `title` (CONVENTIONS.md)."""
    if isinstance(item, dict):
        values = {k: v for k, v in item.items() if k != "id"}
        if "id" in item:
            values["module_id"] = item["id"]
        if values.get("module_name") in (None, ""):
            values["module_name"] = item.get("path") or item.get("title")
        return values
    if isinstance(item, str | int) and not isinstance(item, bool):
        return {"module_name": item}
    return None
