"""One API record -> the typed rows of its table and of its child tables, plus dlt's hints.

Child rows carry the parent's key (and, for custom fields of a document line, the line's key);
a child list that arrived empty becomes one placeholder row per table (a `hard_delete` row
under the parent's merge key), so dlt's merge removes the old child rows inside the same load:
a crash after the load can no longer leave stale children behind (issue 8 #8).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import dlt

from pipelines.scoro import schema
from pipelines.scoro.children import Elements, Rejected, read_elements
from pipelines.scoro.coerce import (
    CoercionError,
    IssueContext,
    LoadIssue,
    coerce_record,
    month_day,
    to_bigint,
    to_text,
)

# placeholder key values of a tombstone row: never inserted (hard_delete), never a real key
_TOMBSTONE_KEYS = {schema.BIGINT: -(2**63), schema.TEXT: ""}


def typed_key(value: Any, kind: str) -> Any:
    """A key as the warehouse stores it, or None when the value is no usable key (missing,
    blank, not a plain value, not a 64-bit integer for bigint keys). "002" and 2.0 are 2."""
    if value is None or isinstance(value, bool | list | dict):
        return None
    if kind == schema.BIGINT:
        try:
            return to_bigint(value)
        except CoercionError:
            return None
    text = to_text(value)
    if text is None or not text.strip():
        return None
    return text


_DLT_TYPES = {
    schema.TEXT: {"data_type": "text"},
    schema.JSON: {"data_type": "text"},
    schema.BIGINT: {"data_type": "bigint"},
    schema.DECIMAL: {"data_type": "decimal", "precision": 38, "scale": 9},
    schema.BOOL: {"data_type": "bool"},
    schema.DATE: {"data_type": "date"},
    schema.TIMESTAMP: {"data_type": "timestamp", "timezone": True},
}


def column_hints(fields: dict[str, str], extra: dict[str, str] | None = None) -> dict[str, Any]:
    """dlt column hints declaring every contract column, so empty ones exist too."""
    columns: dict[str, dict[str, Any]] = {
        schema.TENANT_COLUMN: {"data_type": "text", "nullable": False},
        schema.SYNCED_AT_COLUMN: {"data_type": "timestamp", "timezone": True},
    }
    for name, kind in {**fields, **(extra or {})}.items():
        columns[name] = {**_DLT_TYPES[kind], "nullable": True}
    return {name: {"name": name, **hint} for name, hint in columns.items()}


@dataclass
class ChildTable:
    """Where one child table's rows come from and how they are keyed."""

    spec: schema.ChildSpec
    path: tuple[schema.ChildSpec, ...]  # from the module's child down to this one
    key_columns: list[str]  # after tenant_id: parent key, [line key], own key
    key_types: dict[str, str]


@dataclass
class RecordRows:
    key: Any
    tables: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    issues: list[LoadIssue] = field(default_factory=list)


class RowBuilder:
    """Typed rows of one module's records."""

    def __init__(
        self, spec: schema.ModuleSpec, tenant: str, synced_at: datetime, site_zone: ZoneInfo
    ) -> None:
        self.spec = spec
        self.tenant = tenant
        self.synced_at = synced_at
        self.site_zone = site_zone
        self.key_type = spec.fields[spec.primary_key]
        # every module's table carries the deletion flag, declared or not
        self.parent_fields = {
            "is_deleted": schema.BOOL,
            "deleted_date": schema.TIMESTAMP,
            **spec.fields,
        }
        self.children: dict[str, ChildTable] = {}
        self._parent_hints: Any = None
        self._child_hints: dict[str, Any] = {}
        self._element_keys: dict[str, Any] = {}
        self._reserved: dict[str, frozenset[str]] = {}
        # columns of the module's table no undeclared key may fill
        self.parent_reserved = frozenset(
            {schema.TENANT_COLUMN, schema.SYNCED_AT_COLUMN, *spec.derived, *spec.children}
        )
        for child in spec.children.values():
            self._register(child, (child,))

    def _register(self, child: schema.ChildSpec, path: tuple[schema.ChildSpec, ...]) -> None:
        parent_key = self.spec.parent_key_column
        key_types = {parent_key: self.key_type}
        for ancestor in path[:-1]:
            key_types[ancestor.element_key_column or "parent_element_id"] = self._element_key_type(
                ancestor
            )
        key_types[child.key] = self._element_key_type(child)
        self.children[child.table] = ChildTable(child, path, list(key_types), key_types)
        for grandchild in child.children.values():
            self._register(grandchild, (*path, grandchild))

    @staticmethod
    def _element_key_type(child: schema.ChildSpec) -> str:
        if child.key == schema.CHILD_INDEX_COLUMN:
            return schema.BIGINT
        return schema.BIGINT if child.fields.get(child.key) == schema.BIGINT else schema.TEXT

    # ---- keys -------------------------------------------------------------------------
    def key_of(self, record: dict[str, Any]) -> Any:
        return typed_key(record.get(self.spec.primary_key), self.key_type)

    def _element_key(self, child: schema.ChildSpec) -> Any:
        found = self._element_keys.get(child.table)
        if found is None:
            kind = self._element_key_type(child)
            found = self._element_keys[child.table] = lambda values: typed_key(
                values.get(child.key), kind
            )
        return found

    def _reserved_in(self, child: schema.ChildSpec) -> frozenset[str]:
        """Columns of a child table no undeclared key may fill."""
        found = self._reserved.get(child.table)
        if found is None:
            table = self.children[child.table]
            found = self._reserved[child.table] = frozenset(
                {
                    schema.TENANT_COLUMN,
                    schema.SYNCED_AT_COLUMN,
                    schema.CHILD_INDEX_COLUMN,
                    schema.TOMBSTONE_COLUMN,
                    *table.key_columns,
                    *child.children,
                }
            ) - {child.key}
        return found

    # ---- rows -------------------------------------------------------------------------
    def build(self, record: dict[str, Any], key: Any) -> RecordRows:
        out = RecordRows(key=key)
        record_id = str(key)
        fields = dict(record)
        carried: dict[str, Elements | None] = {}
        for name, child in self.spec.children.items():
            value = fields.pop(name, None)
            carried[name] = read_elements(value, child, name, self._element_key(child))
        derived = self._derive(fields)
        context = IssueContext(self.spec.module, self.spec.table, record_id)
        row = coerce_record(
            fields,
            self.parent_fields,
            context=context,
            site_zone=self.site_zone,
            issues=out.issues,
            reserved=self.parent_reserved,
        )
        row[self.spec.primary_key] = key  # typed once; "002" and 2 are one record
        row.update(derived)
        row[schema.TENANT_COLUMN] = self.tenant
        row[schema.SYNCED_AT_COLUMN] = self.synced_at
        out.tables[self.spec.table] = [row]
        for name, child in self.spec.children.items():
            elements = carried[name]
            if elements is None:
                continue  # null on list calls: leave what the mirror has
            self._child_rows(
                out, child, name, elements, {self.spec.parent_key_column: key}, record_id
            )
        return out

    def _derive(self, fields: dict[str, Any]) -> dict[str, Any]:
        derived: dict[str, Any] = {}
        if "birthday_month_day" in self.spec.derived:
            raw = fields.get("birthday")
            derived["birthday_month_day"] = month_day(raw)
            if isinstance(raw, str) and raw.strip().startswith("0000-"):
                # a documented shape (a birthday without its year), not an unreadable value
                fields["birthday"] = None
        return derived

    def _child_rows(
        self,
        out: RecordRows,
        child: schema.ChildSpec,
        name: str,
        elements: Elements,
        owner_keys: dict[str, Any],
        record_id: str,
        *,
        tombstone_if_empty: bool = True,
    ) -> int:
        """Adds the rows of one child list; returns how many. Lists inside its elements (custom
        fields of lines) are replaced per document: one placeholder when none is left."""
        table = self.children[child.table]
        rows = out.tables.setdefault(child.table, [])
        for rejected in elements.rejected:
            out.issues.append(self._rejected_issue(child.table, record_id, rejected))
        reserved = self._reserved_in(child)
        key_of = self._element_key(child)
        inner_counts = dict.fromkeys(child.children, 0)
        added = 0
        for element in elements.elements:
            values = dict(element.values)
            where = f"{name}[{element.position}]"
            inner: dict[str, Elements | None] = {}
            for inner_name, grandchild in child.children.items():
                inner[inner_name] = read_elements(
                    values.pop(inner_name, None),
                    grandchild,
                    f"{where}.{inner_name}",
                    self._element_key(grandchild),
                )
            context = IssueContext(self.spec.module, child.table, f"{record_id}/{where}")
            row = coerce_record(
                values,
                child.fields,
                context=context,
                site_zone=self.site_zone,
                issues=out.issues,
                reserved=reserved,
            )
            row.update(owner_keys)
            if child.key == schema.CHILD_INDEX_COLUMN:
                row[schema.CHILD_INDEX_COLUMN] = element.position
            else:
                row[child.key] = key_of(element.values)
            row[schema.TENANT_COLUMN] = self.tenant
            row[schema.SYNCED_AT_COLUMN] = self.synced_at
            rows.append(row)
            added += 1
            element_keys = {**owner_keys, str(child.element_key_column): row[child.key]}
            for inner_name, grandchild in child.children.items():
                found = inner[inner_name]
                if found is not None:
                    inner_counts[inner_name] += self._child_rows(
                        out,
                        grandchild,
                        f"{where}.{inner_name}",
                        found,
                        element_keys,
                        record_id,
                        tombstone_if_empty=False,
                    )
        if added == 0 and tombstone_if_empty:
            rows.append(self._tombstone(table, owner_keys))
        for inner_name, grandchild in child.children.items():
            if inner_counts[inner_name] == 0:
                # the elements came, none with such a list: clear the document's old rows
                out.tables.setdefault(grandchild.table, []).append(
                    self._tombstone(self.children[grandchild.table], owner_keys)
                )
        return added

    def _tombstone(self, table: ChildTable, owner_keys: dict[str, Any]) -> dict[str, Any]:
        row: dict[str, Any] = {schema.TENANT_COLUMN: self.tenant, schema.TOMBSTONE_COLUMN: True}
        for column in table.key_columns:
            row[column] = owner_keys.get(column, _TOMBSTONE_KEYS[table.key_types[column]])
        return row

    def _rejected_issue(self, table: str, record_id: str, rejected: Rejected) -> LoadIssue:
        context = IssueContext(self.spec.module, table, record_id)
        return context.issue(
            rejected.where,
            rejected.value,
            f"{rejected.reason}: an element of a shape the loader does not know",
            stored="not loaded (its JSON is kept here)",
        )

    # ---- hints ------------------------------------------------------------------------
    def parent_hints(self) -> Any:
        if self._parent_hints is None:
            self._parent_hints = self._make_parent_hints()
        return self._parent_hints

    def child_hints(self, table_name: str) -> Any:
        hints = self._child_hints.get(table_name)
        if hints is None:
            hints = self._child_hints[table_name] = self._make_child_hints(table_name)
        return hints

    def _make_parent_hints(self) -> Any:
        return dlt.mark.make_hints(
            table_name=self.spec.table,
            write_disposition="merge",
            primary_key=[schema.TENANT_COLUMN, self.spec.primary_key],
            # every table can carry the deletion flag, set by the API or by a full sweep
            columns=column_hints(self.parent_fields, self.spec.derived),
        )

    def _make_child_hints(self, table_name: str) -> Any:
        table = self.children[table_name]
        extra = dict(table.key_types)
        columns = column_hints(table.spec.fields, extra)
        for column in table.key_columns:
            columns[column]["nullable"] = False
        columns[schema.TOMBSTONE_COLUMN] = {
            "name": schema.TOMBSTONE_COLUMN,
            "data_type": "bool",
            "nullable": True,
            "hard_delete": True,
        }
        return dlt.mark.make_hints(
            table_name=table_name,
            write_disposition="merge",
            primary_key=[schema.TENANT_COLUMN, *table.key_columns],
            # a re-read parent replaces all its child rows (lines removed in Scoro vanish)
            merge_key=[schema.TENANT_COLUMN, self.spec.parent_key_column],
            columns=columns,
        )
