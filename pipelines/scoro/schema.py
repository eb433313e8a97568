"""What the Scoro API v2 returns, module by module: keys, field types and child lists.

This is the raw layer's contract. Field names are the API's own (snake_case already);
types are the warehouse types the loader coerces the API's loose formats into:

- ``text``       any string
- ``bigint``     ids and counts (numbers or numeric strings on the wire)
- ``decimal``    money, rates, quantities: exact, never float (numbers or strings on the wire)
- ``bool``       true/false, 0/1 or "0"/"1" on the wire
- ``date``       ``YYYY-mm-dd``; ``0000-00-00`` and empty mean none
- ``timestamp``  ``YYYY-mm-dd HH:ii:ss`` in the site's zone, or ISO-8601 with an offset;
                 stored as UTC
- ``json``       anything else, kept as JSON text

Each row also gets ``tenant_id`` (the Scoro ``company_account_id``) and ``_scoro_synced_at``;
every module's table also has ``is_deleted`` and ``deleted_date``, set by the API or, for
records it no longer lists at all, by a full id sweep. A table is created with its first row.
A list-valued field named in ``children`` is moved to its own table, one row per element,
keyed by the parent's key plus the child key, and replaced whenever its parent is re-read.
A child list may itself have children (custom fields on document lines): those rows carry the
document's key and the line's key. Any other field not typed here is kept as text (lists and
objects as JSON text). ``derived`` columns are computed by the loader from the record (the
month and day of a birthday sent without a year), never read from the wire.
"""

from __future__ import annotations

from dataclasses import dataclass, field

TEXT = "text"
BIGINT = "bigint"
DECIMAL = "decimal"
BOOL = "bool"
DATE = "date"
TIMESTAMP = "timestamp"
JSON = "json"

# Columns every document header carries (invoices, orders, quotes, prepayments,
# purchase orders, bills). Module-specific fields are added below.
_DOCUMENT_FIELDS: dict[str, str] = {
    "id": BIGINT,
    "no": TEXT,
    "discount": DECIMAL,
    "discount2": DECIMAL,
    "discount3": DECIMAL,
    "sum": DECIMAL,
    "vat_sum": DECIMAL,
    "vat": DECIMAL,
    "vat_code_id": BIGINT,
    "vat_code": TEXT,
    "company_id": BIGINT,
    "company_name": TEXT,
    "person_id": BIGINT,
    "person_name": TEXT,
    "company_address_id": BIGINT,
    "company_address__country": TEXT,
    "company_address__county": TEXT,
    "company_address__municipality": TEXT,
    "company_address__city": TEXT,
    "company_address__street": TEXT,
    "company_address__zipcode": TEXT,
    "interested_party_id": BIGINT,
    "interested_party_address_id": BIGINT,
    "project_id": BIGINT,
    "project_name": TEXT,
    "currency": TEXT,
    "currency_rate": DECIMAL,
    "owner_id": BIGINT,
    "owner_email": TEXT,
    "date": DATE,
    "deadline": DATE,
    "status": TEXT,
    "description": TEXT,
    "account_id": TEXT,
    "is_sent": BOOL,
    "is_role_based": BOOL,
    "local_price_list_id": BIGINT,
    "created_date": TIMESTAMP,
    "modified_date": TIMESTAMP,
    "is_deleted": BOOL,
    "deleted_date": TIMESTAMP,
}

# Columns every document line carries.
_LINE_FIELDS: dict[str, str] = {
    "id": BIGINT,
    "product_id": BIGINT,
    "product_name": TEXT,
    "product_code": TEXT,
    "comment": TEXT,
    "comment2": TEXT,
    "price": DECIMAL,
    "amount": DECIMAL,
    "amount2": DECIMAL,
    "discount": DECIMAL,
    "sum": DECIMAL,
    "vat": DECIMAL,
    "vat_code_id": BIGINT,
    "vat_code": TEXT,
    "unit": TEXT,
    "finance_object_id": BIGINT,
    "finance_object_name": TEXT,
    "finance_object_symbol": TEXT,
    "finance_account_id": BIGINT,
    "finance_account_name": TEXT,
    "finance_account_symbol": TEXT,
    "cost": DECIMAL,
    "supplier_id": BIGINT,
    "supplier_name": TEXT,
    "doer_id": BIGINT,
    "doer_email": TEXT,
    "role_id": BIGINT,
    "role_name": TEXT,
    "is_internal": BOOL,
    "project_id": BIGINT,
    "project_name": TEXT,
    "dates": JSON,
    "depot_amounts": JSON,
}

_CUSTOM_FIELD_VALUE_FIELDS: dict[str, str] = {
    "id": TEXT,
    "name": TEXT,
    "value": TEXT,
    "type": TEXT,
}


# How the elements of a child list read on the wire (see pipelines/scoro/children.py).
ROWS = "rows"  # a list of objects (or of scalars, with `scalar_field`)
CUSTOM_FIELD_VALUES = "custom_field_values"  # a list of {id, name, value, type}, or a record
TYPED_VALUES = "typed_values"  # means_of_contact: {type: value | [values]}
MODULE_REFERENCES = "module_references"  # custom field modules: names or module objects


@dataclass(frozen=True)
class ChildSpec:
    """A list inside a record, loaded as its own table."""

    table: str
    key: str  # the element's own key within its parent; "_index" means its position
    fields: dict[str, str]
    scalar_field: str | None = None  # for lists of scalars: the column the scalar goes into
    kind: str = ROWS
    # lists inside each element (custom fields of a document line), keyed by this element's key
    children: dict[str, ChildSpec] = field(default_factory=dict)
    # the column naming this element in its own children's rows (`line_id`)
    element_key_column: str | None = None


@dataclass(frozen=True)
class ModuleSpec:
    """One Scoro API module and the raw table it lands in."""

    module: str  # API path segment: /api/v2/{module}/list
    table: str
    primary_key: str
    fields: dict[str, str]
    children: dict[str, ChildSpec] = field(default_factory=dict)
    # list leaves lines/custom fields null; a view/{id} call fills them
    needs_view: bool = False
    # the API filters on modified_date; without it every sync lists the whole module
    incremental: bool = True
    # columns the loader derives from the record: name -> type
    derived: dict[str, str] = field(default_factory=dict)

    @property
    def parent_key_column(self) -> str:
        """Column that names the parent record in this module's child tables."""
        return f"{_singular(self.table)}_id"


def _singular(table: str) -> str:
    special = {"categories": "category", "receipts": "receipt_group"}
    if table in special:
        return special[table]
    return table[:-1] if table.endswith("s") else table


def _custom_field_values(table: str) -> ChildSpec:
    return ChildSpec(table, "id", _CUSTOM_FIELD_VALUE_FIELDS, kind=CUSTOM_FIELD_VALUES)


# A birthday may come without a year (`0000-05-12`): the date is then null and the month and day
# are kept here (for full dates too).
_BIRTHDAY_DERIVED = {"birthday_month_day": TEXT}


def _document(
    module: str,
    table: str,
    extra: dict[str, str],
    line_extra: dict[str, str] | None = None,
    extra_children: dict[str, ChildSpec] | None = None,
) -> ModuleSpec:
    singular = _singular(table)
    children = {
        "lines": ChildSpec(
            f"{singular}_lines",
            "id",
            {**_LINE_FIELDS, **(line_extra or {})},
            # every line type carries custom fields on view (Scoro's SDK)
            children={"custom_fields": _custom_field_values(f"{singular}_line_custom_fields")},
            element_key_column="line_id",
        ),
        "custom_fields": _custom_field_values(f"{singular}_custom_fields"),
        **(extra_children or {}),
    }
    return ModuleSpec(
        module=module,
        table=table,
        primary_key="id",
        fields={**_DOCUMENT_FIELDS, **extra},
        children=children,
        needs_view=True,
    )


MODULES: dict[str, ModuleSpec] = {
    spec.module: spec
    for spec in [
        ModuleSpec(
            module="categories",
            table="categories",
            primary_key="cat_id",
            fields={
                "cat_id": BIGINT,
                "cat_name": TEXT,
                "symbol": TEXT,
                "description": TEXT,
                "modified_date": TIMESTAMP,
            },
        ),
        ModuleSpec(
            module="clientProfiles",
            table="client_profiles",
            primary_key="id",
            fields={
                "id": BIGINT,
                "name": TEXT,
                "discount": TEXT,
                "discount2": TEXT,
                "discount3": TEXT,
                "vat_code_id": BIGINT,
                "deadline_days": BIGINT,
                "fine": TEXT,
                "currency": TEXT,
                "payment_type": TEXT,
                "language_id": TEXT,
                "price_list_id": BIGINT,
                "created_date": TIMESTAMP,
                "modified_date": TIMESTAMP,
            },
        ),
        ModuleSpec(
            module="contacts",
            table="contacts",
            primary_key="contact_id",
            fields={
                "contact_id": BIGINT,
                "name": TEXT,
                "lastname": TEXT,
                "search_name": TEXT,
                "contact_type": TEXT,
                "id_code": TEXT,
                "bankaccount": TEXT,
                "birthday": DATE,
                "position": TEXT,
                "comments": TEXT,
                "sex": TEXT,
                "vatno": TEXT,
                "timezone": TEXT,
                "manager_id": BIGINT,
                "manager_email": TEXT,
                "is_supplier": BOOL,
                "is_client": BOOL,
                "client_profile_id": BIGINT,
                "reference_no": TEXT,
                "cat_id": BIGINT,
                "cat_name": TEXT,
                "contact_picture": TEXT,
                "tags": JSON,
                "contact_users": JSON,
                "related_companies": JSON,
                "created_date": TIMESTAMP,
                "modified_date": TIMESTAMP,
                "is_deleted": BOOL,
                "deleted_date": TIMESTAMP,
            },
            children={
                "addresses": ChildSpec(
                    "contact_addresses",
                    "_index",
                    {
                        "country": TEXT,
                        "county": TEXT,
                        "municipality": TEXT,
                        "city": TEXT,
                        "street": TEXT,
                        "zipcode": TEXT,
                    },
                ),
                # means_of_contact is an object {type: value | [values]}; one row per value
                "means_of_contact": ChildSpec(
                    "contact_means_of_contact",
                    "_index",
                    {"type": TEXT, "value": TEXT},
                    kind=TYPED_VALUES,
                ),
                "custom_fields": _custom_field_values("contact_custom_fields"),
            },
            needs_view=True,
            derived=_BIRTHDAY_DERIVED,
        ),
        ModuleSpec(
            module="customFields",
            table="custom_fields",
            primary_key="id",
            fields={"id": TEXT, "name": TEXT, "type": TEXT, "is_filterable": BOOL},
            children={
                # the modules a custom field is used in: names, or module objects (Scoro's SDK:
                # id, title, path, full_path, parent_module_id, ...); keyed by position, so
                # two objects never collapse into one row
                "modules": ChildSpec(
                    "custom_field_modules",
                    "_index",
                    {
                        "module_name": TEXT,
                        "module_id": BIGINT,
                        "title": TEXT,
                        "path": TEXT,
                        "full_path": TEXT,
                        "parent_module_id": BIGINT,
                        "status": TEXT,
                    },
                    scalar_field="module_name",
                    kind=MODULE_REFERENCES,
                ),
            },
            incremental=False,
        ),
        ModuleSpec(
            module="financeAccounts",
            table="finance_accounts",
            primary_key="id",
            fields={
                "id": BIGINT,
                "account_symbol": TEXT,
                "name": TEXT,
                "parent_id": BIGINT,
                "parent_name": TEXT,
                "is_active": BOOL,
                "is_sales_account": BOOL,
                "is_purchases_account": BOOL,
                "created_date": TIMESTAMP,
                "modified_date": TIMESTAMP,
            },
        ),
        _document(
            "invoices",
            "invoices",
            {
                "payment_type": TEXT,
                "fine": TEXT,
                "quote_id": JSON,
                "order_id": JSON,
                "prepayment_id": JSON,
                "prepayment_sum": DECIMAL,
                "real_estate_id": BIGINT,
                "reference_no": TEXT,
                "paid_sum": DECIMAL,
                "payment_fee": DECIMAL,
                "receivable_sum": DECIMAL,
                "generation_type": TEXT,
                "scheduled_invoice_id": BIGINT,
                "accounting_period_from": DATE,
                "accounting_period_to": DATE,
                "pay_now_link": TEXT,
                "shipment_date": DATE,
            },
            extra_children={
                "credited_invoices": ChildSpec(
                    "invoice_credited_invoices",
                    "credited_invoice_id",
                    {"credited_invoice_id": BIGINT},
                    scalar_field="credited_invoice_id",
                ),
            },
        ),
        _document(
            "orders",
            "orders",
            {"quote_id": BIGINT, "shipment_date": DATE},
        ),
        _document(
            "quotes",
            "quotes",
            {
                "confirmed_date": TIMESTAMP,
                "estimated_closing_date": DATE,
                "status_name": TEXT,
                "shipment_date": DATE,
                "estimated_duration": BIGINT,
            },
            line_extra={"is_confirmed": BOOL},
        ),
        _document(
            "prepayments",
            "prepayments",
            {
                "fine": TEXT,
                "quote_id": BIGINT,
                "order_id": BIGINT,
                "prepayment_percent": DECIMAL,
                "shipment_date": DATE,
            },
        ),
        _document(
            "purchaseOrders",
            "purchase_orders",
            {
                "quote_id": BIGINT,
                "order_id": BIGINT,
                "real_estate_id": BIGINT,
                "delivery_address_id": BIGINT,
                "delivery_date": DATE,
                "confirmed_date": TIMESTAMP,
            },
            line_extra={"is_settled": BOOL},
        ),
        _document(
            "bills",
            "bills",
            {
                "is_chargeable": BOOL,
                "dateofpayment": DATE,
                "payment_type": TEXT,
                "recognition_date": DATE,
                "reference_no": TEXT,
                "purchase_order_id": BIGINT,
            },
        ),
        ModuleSpec(
            module="products",
            table="products",
            primary_key="product_id",
            fields={
                "product_id": BIGINT,
                "code": TEXT,
                "name": TEXT,
                "price": DECIMAL,
                "buying_price": DECIMAL,
                "price_list": BIGINT,
                "description": TEXT,
                "description2": TEXT,
                "unit": TEXT,
                "amount": DECIMAL,
                "amount2": DECIMAL,
                "tag": TEXT,
                "url": TEXT,
                "default_type": TEXT,
                "use_supplier": BOOL,
                "default_doer_id": BIGINT,
                "default_role_id": BIGINT,
                "supplier_id": BIGINT,
                "productgroup_id": BIGINT,
                "is_active": BOOL,
                "is_service": BOOL,
                "no_discounts": BOOL,
                "default_vat_code_id": BIGINT,
                "default_sales_tax_id": BIGINT,
                "default_purchases_tax_id": BIGINT,
                "accounting_object_id": BIGINT,
                "depots_total_amount": DECIMAL,
                "depot_amounts": JSON,
                "account_id": TEXT,
                "sales_finance_account_id": BIGINT,
                "purchases_finance_account_id": BIGINT,
                "created_date": TIMESTAMP,
                "modified_date": TIMESTAMP,
                "is_deleted": BOOL,
                "deleted_date": TIMESTAMP,
            },
            # custom fields are filled only by view/{id}
            children={"custom_fields": _custom_field_values("product_custom_fields")},
            needs_view=True,
        ),
        ModuleSpec(
            module="projects",
            table="projects",
            primary_key="project_id",
            fields={
                "project_id": BIGINT,
                "no": BIGINT,
                "project_name": TEXT,
                "description": TEXT,
                "company_id": BIGINT,
                "company_name": TEXT,
                "is_personal": BOOL,
                "is_private": BOOL,
                "color": TEXT,
                "status": TEXT,
                "status_name": TEXT,
                "manager_id": BIGINT,
                "manager_email": TEXT,
                "date": DATE,
                "deadline": DATE,
                "duration": TEXT,
                "account_id": TEXT,
                "budget_type": TEXT,
                "is_role_based": BOOL,
                "local_price_list_id": BIGINT,
                "tags": JSON,
                "phases": JSON,
                "created_date": TIMESTAMP,
                "modified_date": TIMESTAMP,
                "is_deleted": BOOL,
                "deleted_date": TIMESTAMP,
            },
            children={
                "custom_fields": _custom_field_values("project_custom_fields"),
            },
            needs_view=True,
        ),
        ModuleSpec(
            module="projectPhases",
            table="project_phases",
            primary_key="id",
            fields={
                "id": BIGINT,
                "project_id": BIGINT,
                "type": TEXT,
                "title": TEXT,
                "start_date": DATE,
                "end_date": DATE,
                "ordering": BIGINT,
                "quote_line_id": BIGINT,
            },
            incremental=False,
        ),
        ModuleSpec(
            module="users",
            table="users",
            primary_key="id",
            fields={
                "id": BIGINT,
                "username": TEXT,
                "firstname": TEXT,
                "lastname": TEXT,
                "full_name": TEXT,
                "initials": TEXT,
                "email": TEXT,
                "is_active": BOOL,
                "status": TEXT,
                "birthday": DATE,
                "category": TEXT,
                "position": TEXT,
                "user_picture": TEXT,
                "role_id": BIGINT,
                "user_groups_ids": JSON,
                "country_id": TEXT,
                "gsm": TEXT,
                "timezone": TEXT,
                "comment": TEXT,
                "is_hidden": BOOL,
                "created_date": TIMESTAMP,
                "modified_date": TIMESTAMP,
            },
            derived=_BIRTHDAY_DERIVED,
        ),
        ModuleSpec(
            module="userGroups",
            table="user_groups",
            primary_key="group_id",
            fields={"group_id": BIGINT, "group_name": TEXT, "comment": TEXT, "is_hidden": BOOL},
            incremental=False,
        ),
        ModuleSpec(
            module="userRoles",
            table="user_roles",
            primary_key="role_id",
            fields={"role_id": BIGINT, "role_name": TEXT, "role_users": JSON},
            incremental=False,
        ),
        ModuleSpec(
            module="vatCodes",
            table="vat_codes",
            primary_key="vat_code_id",
            fields={
                "vat_code_id": BIGINT,
                "vat_code": TEXT,
                "percent": DECIMAL,
                "vat_name": TEXT,
                "is_sales": BOOL,
                "is_purchases": BOOL,
                "is_active": BOOL,
                "is_not_applicable": BOOL,
            },
            incremental=False,
        ),
        ModuleSpec(
            module="receipts",
            table="receipts",
            primary_key="id",
            fields={
                "id": BIGINT,
                "date": DATE,
                "contact_id": BIGINT,
                "sum": DECIMAL,
                "currency": TEXT,
                "sales_doc_type": TEXT,
                "receipt_account_id": BIGINT,
                "modified_date": TIMESTAMP,
                "is_deleted": BOOL,
                "deleted_date": TIMESTAMP,
            },
            children={
                "receipts": ChildSpec(
                    "receipt_rows",
                    "receipt_id",
                    {
                        "receipt_id": BIGINT,
                        "date": DATE,
                        "invoice_id": BIGINT,
                        "invoice_no": TEXT,
                        "prepayment_id": BIGINT,
                        "sum": DECIMAL,
                        "sales_doc_type": TEXT,
                        "contact_id": BIGINT,
                        "contact_name": TEXT,
                    },
                ),
                "custom_fields": _custom_field_values("receipt_custom_fields"),
            },
            # custom fields are filled only by view/{id}
            needs_view=True,
        ),
        ModuleSpec(
            module="receiptAccounts",
            table="receipt_accounts",
            primary_key="id",
            fields={"id": BIGINT, "name": TEXT, "type": TEXT},
            incremental=False,
        ),
    ]
}

TENANT_COLUMN = "tenant_id"
SYNCED_AT_COLUMN = "_scoro_synced_at"
CHILD_INDEX_COLUMN = "_index"
# set on a placeholder row that stands for "this parent's list is now empty": dlt's merge deletes
# the parent's old child rows and never inserts the placeholder (a `hard_delete` column)
TOMBSTONE_COLUMN = "_scoro_tombstone"


def child_tables() -> dict[str, tuple[ModuleSpec, tuple[ChildSpec, ...]]]:
    """Every child table (grandchildren too): table -> (module, path of child specs)."""
    out: dict[str, tuple[ModuleSpec, tuple[ChildSpec, ...]]] = {}

    def walk(spec: ModuleSpec, path: tuple[ChildSpec, ...]) -> None:
        out[path[-1].table] = (spec, path)
        for grandchild in path[-1].children.values():
            walk(spec, (*path, grandchild))

    for spec in MODULES.values():
        for child in spec.children.values():
            walk(spec, (child,))
    return out
