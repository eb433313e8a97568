"""Fixed master data of the synthetic agency: accounts, VAT codes, users, product templates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from pipelines.simulator.timeline import ZERO_DATE, MonthDay, Timeline, utc

# (id, symbol, name, parent_id, is_sales, is_purchases, is_active)
FINANCE_ACCOUNTS: list[tuple[int, str, str, int | None, bool, bool, bool]] = [
    (10, "30", "Revenue", None, True, False, True),
    (11, "3000", "Services revenue", 10, True, False, True),
    (12, "3100", "Licence and hosting revenue", 10, True, False, True),
    (13, "3200", "Media resale revenue", 10, True, False, True),
    (14, "3900", "Other revenue", 10, True, False, True),
    (15, "3950", "Discontinued revenue", 10, True, False, False),
    (20, "40", "Cost of sales", None, False, True, True),
    (21, "4000", "Subcontracting", 20, False, True, True),
    (22, "4100", "Media purchases", 20, False, True, True),
    (30, "50", "Operating expenses", None, False, True, True),
    (31, "5000", "Software subscriptions", 30, False, True, True),
    (32, "5100", "Office rent", 30, False, True, True),
    (33, "5200", "Travel", 30, False, True, True),
    (34, "5300", "Marketing", 30, False, True, True),
    (35, "5400", "Stock media", 30, False, True, True),
]
ACCOUNT_BY_ID = {row[0]: row for row in FINANCE_ACCOUNTS}
OTHER_REVENUE_ACCOUNT = 14
TRAVEL_ACCOUNT = 33


@dataclass(frozen=True)
class VatCode:
    id: int
    code: str
    percent: Decimal
    name: str
    is_sales: bool
    is_purchases: bool
    is_active: bool = True
    is_not_applicable: bool = False


VAT_CODES = [
    VatCode(1, "VAT20", Decimal("20"), "Standard rate 20%", True, False),
    VatCode(2, "VAT24", Decimal("24"), "Standard rate 24%", True, False),
    VatCode(3, "VAT9", Decimal("9"), "Reduced rate 9%", True, False),
    VatCode(4, "VAT0", Decimal("0"), "Exempt 0%", True, True),
    VatCode(5, "EU0", Decimal("0"), "EU reverse charge 0%", True, False),
    VatCode(6, "EX0", Decimal("0"), "Export 0%", True, False),
    VatCode(7, "IN20", Decimal("20"), "Input VAT 20%", False, True),
    VatCode(8, "IN24", Decimal("24"), "Input VAT 24%", False, True),
    VatCode(9, "IN9", Decimal("9"), "Input VAT 9%", False, True),
    VatCode(10, "NA", Decimal("0"), "VAT not applicable", False, True, False, True),
]
VAT_BY_ID = {vc.id: vc for vc in VAT_CODES}

# (id, username, firstname, lastname, role_id, groups, status)
USERS: list[tuple[int, str, str, str, int, list[int], str]] = [
    (1, "mari", "Mari", "Tamm", 1, [1], "active"),
    (2, "jaan", "Jaan", "Kask", 2, [1], "active"),
    (3, "liis", "Liis", "Saar", 3, [2], "active"),
    (4, "peeter", "Peeter", "Mets", 3, [2], "active"),
    (5, "kati", "Kati", "Lepp", 2, [1, 2], "inactive"),
]
# an old account's empty date, and a birthday given without the year
BIRTHDAYS: dict[int, Any] = {5: ZERO_DATE, 3: MonthDay(5, 12)}
ROLES = [(1, "Administrator"), (2, "Project manager"), (3, "Creative")]
USER_GROUPS = [(1, "Management", "Owners and project managers"), (2, "Studio", "Designers")]
CATEGORIES = [
    (1, "Client", "CL", "Customers"),
    (2, "Partner", "PA", "Customers that also supply"),
    (3, "Supplier", "SU", "Suppliers of goods and services"),
    (4, "Freelancer", "FR", "Individual subcontractors"),
    (5, "Prospect", "PR", "Not yet a customer"),
]
# (id, name, deadline_days, currency, vat_code_id)
CLIENT_PROFILES = [
    (1, "Standard, 14 days", 14, "EUR", 1),
    (2, "Key account, 30 days", 30, "EUR", 1),
    (3, "Foreign clients (USD)", 30, "USD", 6),
    (4, "UK clients (GBP)", 30, "GBP", 6),
]
RECEIPT_ACCOUNTS = [
    (1, "LHV current account EUR", "bank"),
    (2, "Wise USD", "bank"),
    (3, "Cash", "cash"),
    (4, "Wise GBP", "bank"),
]
BASE_CURRENCY = "EUR"
FOREIGN = {"USA": "USD", "GBR": "GBP"}  # contacts of these countries deal in their currency
CURRENCY_ACCOUNT = {"EUR": 1, "USD": 2, "GBP": 4}  # the receipt account money lands on
# Scoro's accounting objects (cost centres): (id, name, symbol)
FINANCE_OBJECTS = [
    (1, "Studio", "ST"),
    (2, "Digital", "DG"),
    (3, "Media", "MD"),
    (4, "Admin", "AD"),
]
INTERNAL_HOUR_COST = Decimal("42.00")  # what an hour of the agency's own staff costs

# Scoro's modules as custom field definitions name them: (id, title, path, full_path, parent).
# A module with no path (a custom module) is named by its title.
SCORO_MODULES: dict[str, dict[str, Any]] = {
    m[1] or m[2]: {
        "id": m[0],
        "title": m[1] or m[2],
        "path": m[2],
        "full_path": m[3],
        "parent_module_id": m[4],
    }
    for m in [
        (1, "", "contacts", "contacts", None),
        (2, "", "projects", "projects", None),
        (3, "", "financials", "financials", None),
        (7, "", "invoices", "financials/invoices", 3),
        (8, "", "bills", "financials/bills", 3),
        (9, "", "orders", "financials/orders", 3),
        (10, "", "quotes", "financials/quotes", 3),
        (11, "", "prepayments", "financials/prepayments", 3),
        (12, "", "purchaseOrders", "financials/purchaseOrders", 3),
        (13, "", "receipts", "financials/receipts", 3),
        (20, "", "products", "products", None),
        (41, "Campaigns", None, "custom/campaigns", 40),
    ]
}
_DOCUMENT_MODULES = ["invoices", "bills", "orders", "quotes", "prepayments", "purchaseOrders"]


def _modules(*names: str, archived: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """Module objects as the SDK declares them; ``status`` where a field was retired."""
    out = []
    for name in names:
        module = dict(SCORO_MODULES[name])
        if name in archived:
            module["status"] = "archived"
        out.append(module)
    return out


# (id, name, type, modules)
CUSTOM_FIELDS: list[tuple[str, str, str, list[dict[str, Any]]]] = [
    ("c_billing_model", "Billing model", "select", _modules("projects")),
    ("c_budget", "Budget", "number", _modules("projects", "Campaigns")),
    ("c_cost_center", "Cost center", "select", _modules("invoices", "bills")),
    ("c_industry", "Industry", "select", _modules("contacts")),
    ("c_key_account", "Key account", "checkbox", _modules("contacts")),
    (
        "c_po_number",
        "Customer PO number",
        "text",
        _modules("invoices", "orders", "quotes", archived=("quotes",)),
    ),
    ("c_service_line", "Service line", "select", _modules("products")),
    ("c_payment_reference", "Bank statement reference", "text", _modules("receipts")),
    ("c_work_type", "Work type", "select", _modules(*_DOCUMENT_MODULES)),
    ("c_line_tags", "Line tags", "multiselect", _modules(*_DOCUMENT_MODULES)),
]
CUSTOM_FIELD_NAMES = {row[0]: (row[1], row[2]) for row in CUSTOM_FIELDS}


@dataclass(frozen=True)
class ProductTemplate:
    name: str
    code: str
    unit: str
    price: Decimal
    buying_price: Decimal
    is_service: bool
    default_type: str
    sales_account: int | None
    purchases_account: int | None
    reduced_vat: bool = False


def _p(
    name: str,
    code: str,
    unit: str,
    price: str,
    buying: str,
    service: bool,
    kind: str,
    sales: int | None,
    purchases: int | None,
    reduced_vat: bool = False,
) -> ProductTemplate:
    return ProductTemplate(
        name,
        code,
        unit,
        Decimal(price),
        Decimal(buying),
        service,
        kind,
        sales,
        purchases,
        reduced_vat,
    )


# Templates 0..13 are sold, 14..19 are bought. Some have no finance account at all.
PRODUCTS = [
    _p("Strategy workshop", "STRAT", "h", "120.00", "0", True, "inhouse", 11, None),
    _p("Creative direction", "CD", "h", "95.00", "0", True, "inhouse", 11, None),
    _p("Graphic design", "GD", "h", "75.00", "45.00", True, "inhouse", 11, 21),
    _p("Copywriting", "COPY", "h", "65.00", "40.00", True, "inhouse", 11, 21),
    _p("Web development", "DEV", "h", "85.00", "55.00", True, "inhouse", 11, 21),
    _p("Project management", "PM", "h", "70.00", "0", True, "inhouse", None, None),
    _p("SEO audit", "SEO", "pcs", "900.00", "0", True, "inhouse", 11, None),
    _p("Social media management", "SMM", "month", "1500.00", "0", True, "inhouse", 11, None),
    _p("Video production", "VIDEO", "day", "1200.00", "700.00", True, "outsourced", 11, 21),
    _p("Photography", "PHOTO", "day", "800.00", "450.00", True, "outsourced", 11, 21),
    _p("Software licence resale", "LIC", "pcs", "49.00", "35.00", False, "outsourced", 12, 31),
    _p("Media buying", "MEDIA", "pcs", "1000.00", "900.00", False, "outsourced", 13, 22),
    _p("Hosting", "HOST", "month", "25.00", "8.00", True, "inhouse", 12, 31),
    _p(
        "Printed materials",
        "PRINT",
        "pcs",
        "3.50",
        "1.20",
        False,
        "outsourced",
        None,
        None,
        reduced_vat=True,
    ),
    _p("Freelance design", "FL-DES", "h", "45.00", "45.00", True, "outsourced", None, 21),
    _p("Freelance development", "FL-DEV", "h", "55.00", "55.00", True, "outsourced", None, 21),
    _p("Media space", "MSPACE", "pcs", "900.00", "900.00", False, "outsourced", None, 22),
    _p("Software subscription", "SUBS", "month", "30.00", "30.00", True, "outsourced", None, 31),
    _p("Office rent", "RENT", "month", "2500.00", "2500.00", True, "outsourced", None, 32),
    _p("Stock photos", "STOCK", "pcs", "15.00", "15.00", False, "outsourced", None, None),
]
SALES_TEMPLATES = 14
PURCHASE_TEMPLATES = range(14, 20)

COMPANY_WORDS = [
    "Nordic",
    "Baltic",
    "Amber",
    "Harbor",
    "Pine",
    "Granite",
    "Silver",
    "Northern",
    "Lake",
    "Forest",
    "Coastal",
    "Bright",
    "Iron",
    "Blue",
    "Tallinn",
    "Tartu",
    "Riga",
    "Helsinki",
]
COMPANY_NOUNS = [
    "Brewing",
    "Logistics",
    "Software",
    "Foods",
    "Energy",
    "Design",
    "Media",
    "Retail",
    "Capital",
    "Labs",
    "Travel",
    "Textiles",
    "Health",
    "Motors",
    "Studio",
    "Print",
]
COMPANY_SUFFIX = {"EST": "OÜ", "FIN": "Oy", "LVA": "SIA", "USA": "Inc.", "GBR": "Ltd"}
FIRST_NAMES = [
    "Anna",
    "Karl",
    "Mari",
    "Jüri",
    "Liisa",
    "Toomas",
    "Kadri",
    "Martin",
    "Eva",
    "Rasmus",
    "Laura",
    "Mihkel",
    "Helena",
    "Andres",
    "Grete",
    "Siim",
]
LAST_NAMES = [
    "Tamm",
    "Saar",
    "Sepp",
    "Mägi",
    "Kask",
    "Kukk",
    "Rebane",
    "Ilves",
    "Pärn",
    "Koppel",
    "Lepik",
    "Oja",
    "Kuusk",
    "Raud",
    "Vaher",
    "Lõhmus",
]
CITIES = {
    "EST": [("Tallinn", "Harju maakond"), ("Tartu", "Tartu maakond"), ("Pärnu", "Pärnu maakond")],
    "FIN": [("Helsinki", "Uusimaa"), ("Espoo", "Uusimaa")],
    "LVA": [("Riga", "Rīga")],
    "USA": [("New York", "NY"), ("Austin", "TX")],
    "GBR": [("London", "Greater London"), ("Manchester", "Greater Manchester")],
}
STREETS = ["Narva mnt", "Pärnu mnt", "Tartu mnt", "Main Street", "Rüütli", "Vabaduse pst"]
PROJECT_NAMES = [
    "Website redesign",
    "Brand refresh",
    "Spring campaign",
    "Product launch",
    "SEO programme",
    "Annual report",
    "Social media retainer",
    "Video series",
    "E-shop build",
    "Trade fair",
]


def user_email(user_id: int) -> str:
    return f"{USERS[user_id - 1][1]}@agency.example"


def fixed_records(tl: Timeline) -> dict[str, list[dict[str, Any]]]:
    """The records of the modules that do not grow with scale."""

    def stamps(i: int, n: int) -> dict[str, Any]:
        created = utc(tl.created_ts(tl.doc_start - timedelta(days=400 - i), i))
        return {"created_date": created, "modified_date": utc(tl.mod_ts(i, n))}

    def mod_only(i: int, n: int) -> dict[str, Any]:
        return {"modified_date": utc(tl.mod_ts(i, n))}

    n_cat, n_prof, n_acc, n_users = (
        len(CATEGORIES),
        len(CLIENT_PROFILES),
        len(FINANCE_ACCOUNTS),
        len(USERS),
    )
    return {
        "categories": [
            {"cat_id": i, "cat_name": n, "symbol": s, "description": d, **mod_only(k, n_cat)}
            for k, (i, n, s, d) in enumerate(CATEGORIES)
        ],
        "clientProfiles": [
            {
                "id": i,
                "name": name,
                "discount": "0",
                "discount2": "0",
                "discount3": "0",
                "vat_code_id": vat,
                "deadline_days": days,
                "fine": "0.05",
                "currency": currency,
                "payment_type": "banktransfer",
                "language_id": "en",
                "price_list_id": None,
                **stamps(k, n_prof),
            }
            for k, (i, name, days, currency, vat) in enumerate(CLIENT_PROFILES)
        ],
        "customFields": [
            {"id": i, "name": n, "type": t, "is_filterable": t != "text", "modules": mods}
            for i, n, t, mods in CUSTOM_FIELDS
        ],
        "financeAccounts": [
            {
                "id": i,
                "account_symbol": sym,
                "name": name,
                "parent_id": parent,
                "parent_name": ACCOUNT_BY_ID[parent][2] if parent else None,
                "is_active": active,
                "is_sales_account": sales,
                "is_purchases_account": purchases,
                **stamps(k, n_acc),
            }
            for k, (i, sym, name, parent, sales, purchases, active) in enumerate(FINANCE_ACCOUNTS)
        ],
        "users": [
            {
                "id": i,
                "username": u,
                "firstname": f,
                "lastname": last,
                "full_name": f"{f} {last}",
                "initials": f[0] + last[0],
                "email": user_email(i),
                "is_active": status == "active",
                "status": status,
                "birthday": BIRTHDAYS.get(i, date(1980 + i, i, 10 + i)),
                "category": "admin" if role == 1 else "user",
                "position": ROLES[role - 1][1],
                "user_picture": None,
                "role_id": role,
                "user_groups_ids": groups,
                "country_id": "EST",
                "gsm": f"+372 5555 000{i}",
                "timezone": "Europe/Tallinn",
                "comment": None,
                "is_hidden": False,
                **stamps(k, n_users),
            }
            for k, (i, u, f, last, role, groups, status) in enumerate(USERS)
        ],
        "userGroups": [
            {"group_id": i, "group_name": n, "comment": c, "is_hidden": False}
            for i, n, c in USER_GROUPS
        ],
        "userRoles": [
            {
                "role_id": i,
                "role_name": n,
                "role_users": [
                    {"id": u[0], "full_name": f"{u[2]} {u[3]}"} for u in USERS if u[4] == i
                ],
            }
            for i, n in ROLES
        ],
        "vatCodes": [
            {
                "vat_code_id": vc.id,
                "vat_code": vc.code,
                "percent": vc.percent,
                "vat_name": vc.name,
                "is_sales": vc.is_sales,
                "is_purchases": vc.is_purchases,
                "is_active": vc.is_active,
                "is_not_applicable": vc.is_not_applicable,
            }
            for vc in VAT_CODES
        ],
        "receiptAccounts": [{"id": i, "name": n, "type": t} for i, n, t in RECEIPT_ACCOUNTS],
    }
