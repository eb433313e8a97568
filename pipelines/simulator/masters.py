"""Master data of the synthetic agency: contacts, products, projects and their phases."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from pipelines.simulator import catalog as cat
from pipelines.simulator.core import PHASES, AgencyCore, Record
from pipelines.simulator.timeline import ZERO_DATE, MonthDay, mix, rng_for, tag

# the service line of the products sold by a team; bought products have none
SERVICE_LINES = {
    0: "Strategy",
    1: "Creative",
    2: "Creative",
    3: "Creative",
    4: "Digital",
    6: "Digital",
    7: "Digital",
    8: "Production",
    9: "Production",
    11: "Media",
    12: "Digital",
}


class Masters(AgencyCore):
    """Contacts, products and projects, each computed from its index."""

    def contact_country(self, index: int) -> str:
        # at least one US and one UK customer and supplier, whatever the seed
        forced = {5: "USA", 9: "USA", 6: "GBR", 19: "GBR"}
        if index in forced:
            return forced[index]
        u = mix(self.seed, tag("country"), index) % 100
        if u < 72:
            return "EST"
        return "FIN" if u < 81 else "LVA" if u < 88 else "USA" if u < 95 else "GBR"

    def customer_index(self, h: int) -> int:
        groups = self.count["contacts"] // 11
        return 11 * (h % groups) + (h // groups) % 9

    def supplier_index(self, h: int) -> int:
        groups = self.count["contacts"] // 11
        return 11 * (h % groups) + 8 + (h // groups) % 3

    def contact(self, index: int) -> Record:
        rng = rng_for(self.seed, "contacts", index)
        kind = index % 11
        is_person = kind in (7, 10)
        country = self.contact_country(index)
        contact_id = self.id_of("contacts", index)
        if is_person:
            first, last = rng.choice(cat.FIRST_NAMES), rng.choice(cat.LAST_NAMES)
            name, lastname, display = first, last, f"{first} {last}"
            slug = f"{first}.{last}".lower()
            emails = [f"{slug}@mail.example"]
        else:
            word, noun = rng.choice(cat.COMPANY_WORDS), rng.choice(cat.COMPANY_NOUNS)
            name = display = f"{word} {noun} {cat.COMPANY_SUFFIX[country]}"
            lastname = None
            slug = f"{word}{noun}{index}".lower()
            emails = [f"info@{slug}.example"]
            if rng.random() < 0.3:
                emails.append(f"accounts@{slug}.example")
        means: dict[str, Any] = {"email": emails, "phone": [f"+372 5{rng.randint(100000, 999999)}"]}
        if not is_person and rng.random() < 0.2:
            means["website"] = f"https://{slug}.example"  # a single value, not a list
        addresses = [self._address(rng, country)]
        if not is_person and rng.random() < 0.25:
            addresses.append(self._address(rng, country))
        is_client, is_supplier = kind <= 8, kind >= 8
        category = 2 if kind == 8 else 1 if is_client else 4 if is_person else 3
        foreign = {"USA": 3, "GBR": 4}.get(country)
        profile = (foreign or 1 + (rng.random() < 0.3)) if is_client else None
        manager = 1 + index % 4
        birthday: Any = None
        if is_person:
            old = index < self.count["contacts"] // 4 and rng.random() < 0.5
            year, month = 1965 + rng.randint(0, 35), rng.randint(1, 12)
            birthday = ZERO_DATE if old else date(year, month, 14)
            if not old and rng.random() < 0.3:
                birthday = MonthDay(month, 14)  # the person did not say the year
        custom = []
        if not is_person:
            industry = rng.choice(["Retail", "Manufacturing", "Software", "Food", "Public sector"])
            custom = [
                self._cf("c_industry", industry),
                self._cf("c_key_account", "1" if profile == 2 else "0"),
            ]
        created = self._master_created("contacts", index)
        return {
            "contact_id": contact_id,
            "name": name,
            "lastname": lastname,
            "search_name": display,
            "contact_type": "person" if is_person else "company",
            "id_code": None if is_person else str(10000000 + mix(self.seed, index) % 9000000),
            "bankaccount": f"EE{mix(self.seed, tag('iban'), index) % 10**18:018d}",
            "birthday": birthday,
            "position": "Owner" if is_person else None,
            "comments": None,
            "sex": None,
            "vatno": f"{country[:2]}{100000000 + index}" if not is_person else None,
            "timezone": "Europe/Tallinn",
            "manager_id": manager,
            "manager_email": self.user_email(manager),
            "is_supplier": is_supplier,
            "is_client": is_client,
            "client_profile_id": profile,
            "reference_no": str(1000 + index),
            "cat_id": category,
            "cat_name": cat.CATEGORIES[category - 1][1],
            "contact_picture": None,
            "tags": ["vip"] if rng.random() < 0.1 else [],
            "contact_users": [manager],
            "related_companies": [],
            **self._life("contacts", index, created),
            "addresses": addresses,
            "means_of_contact": means,
            "custom_fields": custom,
        }

    @staticmethod
    def _address(rng: Any, country: str) -> dict[str, Any]:
        city, county = rng.choice(cat.CITIES[country])
        return {
            "country": country,
            "county": county,
            "municipality": city,
            "city": city,
            "street": f"{rng.choice(cat.STREETS)} {rng.randint(1, 120)}",
            "zipcode": f"{rng.randint(10000, 99999)}",
        }

    @staticmethod
    def _cf(field_id: str, value: Any) -> dict[str, Any]:
        name, kind = cat.CUSTOM_FIELD_NAMES[field_id]
        return {"id": field_id, "name": name, "value": value, "type": kind}

    @staticmethod
    def user_email(user_id: int) -> str:
        return cat.user_email(user_id)

    def product(self, index: int) -> Record:
        tpl = cat.PRODUCTS[index % len(cat.PRODUCTS)]
        version = index // len(cat.PRODUCTS)
        is_purchase = index % len(cat.PRODUCTS) in cat.PURCHASE_TEMPLATES
        vat = 3 if tpl.reduced_vat else 7 if is_purchase else 1
        supplier = (
            self.id_of("contacts", self.supplier_index(mix(self.seed, index)))
            if tpl.default_type == "outsourced"
            else None
        )
        return {
            "product_id": self.id_of("products", index),
            "code": tpl.code + (f"-{version + 1}" if version else ""),
            "name": tpl.name + (f" ({version + 1})" if version else ""),
            "price": tpl.price,
            "buying_price": tpl.buying_price,
            "price_list": None,
            "description": f"{tpl.name}, per {tpl.unit}",
            "description2": None,
            "unit": tpl.unit,
            "amount": None,
            "amount2": None,
            "tag": None,
            "url": None,
            "default_type": tpl.default_type,
            "use_supplier": supplier is not None,
            "default_doer_id": 3 if tpl.is_service else None,
            "default_role_id": 3 if tpl.is_service else None,
            "supplier_id": supplier,
            "productgroup_id": None,
            "is_active": index != 19,
            "is_service": tpl.is_service,
            "no_discounts": False,
            "default_vat_code_id": vat,
            "default_sales_tax_id": None if is_purchase else vat,
            "default_purchases_tax_id": 7,
            "accounting_object_id": None,
            "depots_total_amount": None,
            "depot_amounts": None,
            "account_id": "",
            "sales_finance_account_id": tpl.sales_account,
            "purchases_finance_account_id": tpl.purchases_account,
            **self._life("products", index, self._master_created("products", index)),
            "custom_fields": (
                [self._cf("c_service_line", SERVICE_LINES[index % len(cat.PRODUCTS)])]
                if index % len(cat.PRODUCTS) in SERVICE_LINES
                else []
            ),
        }

    def project_customer(self, index: int) -> int:
        return self.customer_index(mix(self.seed, tag("project-customer"), index))

    def project(self, index: int) -> Record:
        rng = rng_for(self.seed, "projects", index)
        customer = self.contact(self.project_customer(index))
        start = self._doc_date("projects", index) - timedelta(days=10)
        deadline: Any = start + timedelta(days=120)
        if index < self.count["projects"] // 5 and rng.random() < 0.4:
            deadline = ZERO_DATE
        status = "completed" if start < self.tl.days_before(180) else "inprogress"
        if rng.random() < 0.08:
            status = "cancelled"
        manager = 1 + rng.randint(0, 3)
        project_id = self.id_of("projects", index)
        phases = [
            {"id": self.id_of("projectPhases", 3 * index + k), "title": title}
            for k, title in enumerate(PHASES)
        ]
        created = self.tl.created_ts(start, mix(self.seed, tag("pc"), index))
        return {
            "project_id": project_id,
            "no": index + 1,
            "project_name": f"{rng.choice(cat.PROJECT_NAMES)}: {customer['search_name']}",
            "description": "Agency project",
            "company_id": customer["contact_id"],
            "company_name": customer["search_name"],
            "is_personal": False,
            "is_private": rng.random() < 0.1,
            "color": f"#{mix(self.seed, index) % 0xFFFFFF:06x}",
            "status": status,
            "status_name": status.capitalize(),
            "manager_id": manager,
            "manager_email": self.user_email(manager),
            "date": start,
            "deadline": deadline,
            "duration": f"{rng.randint(20, 400)}:00:00",
            "account_id": "",
            "budget_type": rng.choice(["quote", "simple"]),
            "is_role_based": False,
            "local_price_list_id": None,
            "tags": ["retainer"] if rng.random() < 0.2 else [],
            "phases": phases,
            **self._life("projects", index, created),
            "custom_fields": [
                self._cf("c_budget", str(rng.choice([5000, 12000, 25000, 60000]))),
                self._cf("c_billing_model", rng.choice(["Fixed price", "Time and material"])),
            ],
        }

    def project_phase(self, index: int) -> Record:
        project_index, k = divmod(index, 3)
        start = self._doc_date("projects", project_index) - timedelta(days=10)
        return {
            "id": self.id_of("projectPhases", index),
            "project_id": self.id_of("projects", project_index),
            "type": "milestone" if k == 2 else "phase",
            "title": PHASES[k],
            "start_date": start + timedelta(days=40 * k),
            "end_date": start + timedelta(days=40 * k + (0 if k == 2 else 39)),
            "ordering": k + 1,
            "quote_line_id": None,
        }
