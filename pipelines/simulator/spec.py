"""What the simulated Scoro API v2 sends, module by module, and the raw layout a mirror of it has.

Written from the public API facts (the project's design notes and the TypeScript types of
Scoro's SDK), never from the loader: the simulator is the tests' oracle, so a mistake in the
loader's own schema must show up as a difference, not be copied here.

Each field has a *warehouse type*: what a correct mirror stores, and what decides how loosely
the simulator may write it on the wire.

- ``text``       strings
- ``bigint``     ids and counts (numbers or numeric strings on the wire)
- ``decimal``    money, rates, quantities (numbers or strings on the wire; exact in the mirror)
- ``bool``       true/false, 0/1 or "0"/"1" on the wire
- ``date``       ``YYYY-mm-dd``; ``0000-00-00`` means none
- ``timestamp``  site time ``YYYY-mm-dd HH:ii:ss``, or ISO-8601 with an offset; UTC in the mirror
- ``json``       lists and objects kept whole (JSON text in the mirror)

The raw layout (shared with the loader through the coordination notes, not through code): one
table per module, keyed by ``tenant_id`` plus the module's key; a nested object such as
``company_address`` flattened into ``company_address__<key>`` columns; every child list in its
own table keyed by the parent's key column (``<singular table>_id``) plus the child's key, where
``_index`` is the element's position; line-level custom fields one level deeper, keyed by the
document, ``line_id`` and the field id.
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

INDEX = "_index"  # the key column of a child list whose elements have no id of their own
TENANT = "tenant_id"
LINE = "line_id"  # names the line in the tables of lists inside lines (line custom fields)

# A custom field value, wherever it is attached (record, line, product, receipt group).
CUSTOM_VALUE = {"id": TEXT, "name": TEXT, "value": TEXT, "type": TEXT}


@dataclass(frozen=True)
class Child:
    """A list inside a record that a mirror keeps as its own table."""

    table: str
    key: str  # the element's key within its parent; INDEX means its position
    fields: dict[str, str]
    scalar: str | None = None  # a list of plain values: the column each value goes into
    children: dict[str, Child] = field(default_factory=dict)  # lists inside each element


@dataclass(frozen=True)
class Module:
    """One API module: ``POST /api/v2/{name}/list`` and ``view/{id}``."""

    name: str
    table: str
    key: str
    fields: dict[str, str]
    children: dict[str, Child] = field(default_factory=dict)
    nested: dict[str, dict[str, str]] = field(default_factory=dict)  # objects, flattened
    view_only: frozenset[str] = frozenset()  # null on list, filled by view/{id}
    iso_timestamps: frozenset[str] = frozenset({"deleted_date"})  # sent ISO-8601 with offset
    filters_on_modified: bool = True

    @property
    def parent_column(self) -> str:
        """Column naming the parent record in this module's child tables."""
        return f"{singular(self.table)}_id"


def singular(table: str) -> str:
    special = {"categories": "category", "receipts": "receipt_group"}
    return special.get(table, table[:-1] if table.endswith("s") else table)


_ADDRESS = {
    "country": TEXT,
    "county": TEXT,
    "municipality": TEXT,
    "city": TEXT,
    "street": TEXT,
    "zipcode": TEXT,
}

# Fields of every sales and purchase document header (SDK: invoice, order, quote, prepayment,
# purchase order, bill). Document numbers are text: bills number themselves "F-2025-00101".
_DOCUMENT = {
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

# Fields of every document line.
_LINE = {
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


def _document(
    name: str,
    table: str,
    extra: dict[str, str],
    *,
    line_extra: dict[str, str] | None = None,
    children: dict[str, Child] | None = None,
    iso: frozenset[str] = frozenset(),
    view_only: frozenset[str] = frozenset(),
) -> Module:
    one = singular(table)
    line_custom = Child(f"{one}_line_custom_fields", "id", CUSTOM_VALUE)
    return Module(
        name=name,
        table=table,
        key="id",
        fields={**_DOCUMENT, **extra},
        children={
            "lines": Child(
                f"{one}_lines",
                "id",
                {**_LINE, **(line_extra or {})},
                children={"custom_fields": line_custom},
            ),
            "custom_fields": Child(f"{one}_custom_fields", "id", CUSTOM_VALUE),
            **(children or {}),
        },
        nested={"company_address": _ADDRESS},
        view_only=frozenset({"lines", "custom_fields"}) | view_only,
        iso_timestamps=frozenset({"deleted_date"}) | iso,
    )


MODULES: dict[str, Module] = {
    m.name: m
    for m in [
        Module(
            "categories",
            "categories",
            "cat_id",
            {
                "cat_id": BIGINT,
                "cat_name": TEXT,
                "symbol": TEXT,
                "description": TEXT,
                "modified_date": TIMESTAMP,
            },
        ),
        Module(
            "clientProfiles",
            "client_profiles",
            "id",
            {
                "id": BIGINT,
                "name": TEXT,
                # discounts and the fine are percentages the API sends as strings
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
        Module(
            "contacts",
            "contacts",
            "contact_id",
            {
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
                "addresses": Child("contact_addresses", INDEX, _ADDRESS),
                # an object {type: value | [values]}: one row per value, in that order
                "means_of_contact": Child(
                    "contact_means_of_contact", INDEX, {"type": TEXT, "value": TEXT}
                ),
                "custom_fields": Child("contact_custom_fields", "id", CUSTOM_VALUE),
            },
            view_only=frozenset({"custom_fields"}),
            iso_timestamps=frozenset({"created_date", "modified_date", "deleted_date"}),
        ),
        Module(
            "customFields",
            "custom_fields",
            "id",
            {"id": TEXT, "name": TEXT, "type": TEXT, "is_filterable": BOOL},
            children={
                # names ["invoices"] or module objects {id, title, path, full_path, ...}
                "modules": Child(
                    "custom_field_modules",
                    INDEX,
                    {
                        "module_name": TEXT,
                        "module_id": BIGINT,
                        "title": TEXT,
                        "path": TEXT,
                        "full_path": TEXT,
                        "parent_module_id": BIGINT,
                        "status": TEXT,
                    },
                    scalar="module_name",
                ),
            },
            filters_on_modified=False,
        ),
        Module(
            "financeAccounts",
            "finance_accounts",
            "id",
            {
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
            view_only=frozenset({"prepayment_sum"}),  # SDK: "Only for view command"
            children={
                "credited_invoices": Child(
                    "invoice_credited_invoices",
                    "credited_invoice_id",
                    {"credited_invoice_id": BIGINT},
                    scalar="credited_invoice_id",
                ),
            },
        ),
        _document("orders", "orders", {"quote_id": BIGINT, "shipment_date": DATE}),
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
            iso=frozenset({"confirmed_date"}),
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
            iso=frozenset({"modified_date", "confirmed_date"}),
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
        Module(
            "products",
            "products",
            "product_id",
            {
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
            children={"custom_fields": Child("product_custom_fields", "id", CUSTOM_VALUE)},
            view_only=frozenset({"custom_fields"}),
        ),
        Module(
            "projects",
            "projects",
            "project_id",
            {
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
            children={"custom_fields": Child("project_custom_fields", "id", CUSTOM_VALUE)},
            view_only=frozenset({"custom_fields", "phases"}),
        ),
        Module(
            "projectPhases",
            "project_phases",
            "id",
            {
                "id": BIGINT,
                "project_id": BIGINT,
                "type": TEXT,
                "title": TEXT,
                "start_date": DATE,
                "end_date": DATE,
                "ordering": BIGINT,
                "quote_line_id": BIGINT,
            },
            filters_on_modified=False,
        ),
        Module(
            "users",
            "users",
            "id",
            {
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
            iso_timestamps=frozenset({"created_date", "modified_date"}),
        ),
        Module(
            "userGroups",
            "user_groups",
            "group_id",
            {"group_id": BIGINT, "group_name": TEXT, "comment": TEXT, "is_hidden": BOOL},
            filters_on_modified=False,
        ),
        Module(
            "userRoles",
            "user_roles",
            "role_id",
            {"role_id": BIGINT, "role_name": TEXT, "role_users": JSON},
            filters_on_modified=False,
        ),
        Module(
            "vatCodes",
            "vat_codes",
            "vat_code_id",
            {
                "vat_code_id": BIGINT,
                "vat_code": TEXT,
                "percent": DECIMAL,
                "vat_name": TEXT,
                "is_sales": BOOL,
                "is_purchases": BOOL,
                "is_active": BOOL,
                "is_not_applicable": BOOL,
            },
            filters_on_modified=False,
        ),
        Module(
            "receipts",
            "receipts",
            "id",
            {
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
                "receipts": Child(
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
                "custom_fields": Child("receipt_custom_fields", "id", CUSTOM_VALUE),
            },
            view_only=frozenset({"custom_fields"}),
        ),
        Module(
            "receiptAccounts",
            "receipt_accounts",
            "id",
            {"id": BIGINT, "name": TEXT, "type": TEXT},
            filters_on_modified=False,
        ),
    ]
}

MODULE_NAMES = tuple(sorted(MODULES))


def child_tables(module: Module) -> list[tuple[Child, Child | None]]:
    """Every child table of ``module``: (child, None) and, for lists inside elements,
    (grandchild, child)."""
    out: list[tuple[Child, Child | None]] = []
    for child in module.children.values():
        out.append((child, None))
        out += [(grand, child) for grand in child.children.values()]
    return out


def table_keys() -> dict[str, list[str]]:
    """Key columns (after ``tenant_id``) of every raw table a mirror of the simulator can hold."""
    keys: dict[str, list[str]] = {}
    for module in MODULES.values():
        keys[module.table] = [module.key]
        for child, parent in child_tables(module):
            if parent is None:
                keys[child.table] = [module.parent_column, child.key]
            else:
                keys[child.table] = [module.parent_column, LINE, child.key]
    return keys
