"""The synthetic agency's records, each computed from (seed, module, index) alone.

Records are *canonical*: typed Python values (int ids, Decimal money, bool, date, UTC
datetime, ``ZERO_DATE``) in the API's own field names, with child lists inline. ``wire.py``
turns them into the API's loose JSON; ``truth`` in ``company.py`` into mirror rows.

Counts, states and payment classes live in ``core.py``, master data in ``masters.py``; this
module builds the documents (quotes, orders, invoices, prepayments, purchase orders, bills)
and receipt groups, with their lines.

Scoro's derived fields follow the team's wire conventions: a header's ``sum`` and ``vat_sum``
are those of its lines that are not internal; ``paid_sum`` is the cash received on the
invoice; ``receivable_sum`` = sum + vat_sum − prepayment_sum − paid_sum − credit allocated to
it (for a credit invoice: + the part of it allocated to the invoice it credits); ``status`` is
``paid`` exactly when nothing is receivable.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache
from typing import Any

from pipelines.simulator import catalog as cat
from pipelines.simulator.core import (
    AMOUNTS,
    DOCUMENTS,
    EXPENSE_PAY_DAYS,
    FINAL_INVOICE_Q,
    ID_BASE,
    LINE_COUNTS,
    LIVE,
    PAID_CLASSES,
    VAT_CHANGE,
    Record,
)
from pipelines.simulator.masters import Masters
from pipelines.simulator.timeline import (
    ZERO,
    ZERO_DATE,
    line_amounts,
    mix,
    money,
    rng_for,
    tag,
    utc,
)

WORK_TYPES = ("Billable", "Billable", "Fixed fee", "Non-billable")
LINE_TAGS = (("rush",), ("rush", "weekend"), ("reused",))
AMOUNT2 = ["2", "2", "3", "1.5", "0.5"]  # e.g. hours x people, days x crew


def external(lines: list[Record]) -> list[Record]:
    """The lines that make the document's sums: internal cost lines do not."""
    return [line for line in lines if not line["is_internal"]]


def gross(doc: Record) -> Decimal:
    return doc["sum"] + doc["vat_sum"]


def gross_line(line: Record) -> Decimal:
    return line["sum"] + line["_vat_sum"]


class Agency(Masters):
    """Deterministic record generator for one tenant."""

    def __init__(self, seed: int, scale: float, tenant: str, as_of: date) -> None:
        super().__init__(seed, scale, tenant, as_of)
        for name in ("contact", "product", "project", "sales_deal", "purchase_deal"):
            setattr(self, name, lru_cache(maxsize=4096)(getattr(self, name)))
        for name in DOCUMENTS + ("receipts",):
            setattr(self, f"_make_{name}", lru_cache(maxsize=256)(getattr(self, f"_make_{name}")))

    # ---- deals: what a chain of documents sells or buys ------------------------------------

    def sales_deal(self, module: str, index: int) -> Record:
        rng = rng_for(self.seed, "deal:" + module, index)
        n_projects = self.count["projects"]
        project = None
        foreign = self._foreign_party(rng, self.customer_index)
        if foreign is not None:
            customer = foreign
        elif rng.random() < 0.8:
            guess = (index * n_projects) // self.count[module] + rng.randint(-1, 1)
            project = min(n_projects - 1, max(0, guess))
            customer = self.project_customer(project)
        else:
            customer = self.customer_index(rng.getrandbits(32))
        masters = self.count["products"] // len(cat.PRODUCTS)
        lines = []
        for _ in range(rng.choice(LINE_COUNTS)):
            product = len(cat.PRODUCTS) * rng.randrange(masters) + rng.randrange(
                cat.SALES_TEMPLATES
            )
            tpl = cat.PRODUCTS[product % len(cat.PRODUCTS)]
            amount = (
                Decimal("250") * rng.randint(1, 8)
                if tpl.code == "PRINT"
                else Decimal(rng.choice(AMOUNTS[tpl.unit]))
            )
            price = (
                tpl.price
                if rng.random() < 0.7
                else money(tpl.price * Decimal(rng.choice(["0.9", "1.1", "1.15", "0.85"])))
            )
            discount = Decimal(rng.choice(["0"] * 17 + ["10", "10", "5"]))
            mode = rng.random()
            lines.append(
                {
                    "product": product,
                    "price": price,
                    "amount": amount,
                    "amount2": self._amount2(rng, tpl.unit),
                    "discount": discount,
                    "account": "product" if mode < 0.7 else "null" if mode < 0.9 else "other",
                    "exempt": rng.random() < 0.03,
                    "doer": 1 + rng.randint(1, 3),
                    "comment": rng.choice([None, "As agreed", "See timesheet"]),
                    "internal": False,
                }
            )
        department = rng.choice([None, None, 1, 2, 3])
        for line in lines:
            line["department"] = department if rng.random() < 0.8 else rng.choice([None, 4])
        if rng.random() < 0.15:  # the team's own hours booked on the deal as project cost
            lines.append(
                {
                    "product": 5,  # project management
                    "price": cat.INTERNAL_HOUR_COST,
                    "amount": Decimal(rng.choice(AMOUNTS["h"])),
                    "amount2": None,
                    "discount": Decimal("0"),
                    "account": "null",
                    "exempt": False,
                    "doer": 1 + rng.randint(1, 3),
                    "comment": "Internal: project management",
                    "internal": True,
                    "department": 4,
                }
            )
        return {
            "customer": customer,
            "project": project,
            "currency": self.party_currency(customer),
            "owner": 1 + rng.randint(0, 3),
            "description": rng.choice(["Services", "Monthly services", "Campaign work", ""]),
            "po_number": f"PO-{rng.randint(1000, 9999)}" if rng.random() < 0.4 else None,
            "lines": lines,
        }

    @staticmethod
    def _amount2(rng: random.Random, unit: str) -> Decimal | None:
        """The additional amount: absent on most lines, 1 on some, a crew size on a few."""
        draw = rng.random()
        if draw < 0.7 or unit not in ("h", "day"):
            return None
        return Decimal("1") if draw < 0.85 else Decimal(rng.choice(AMOUNT2))

    def _foreign_party(self, rng: random.Random, pick: Callable[[int], int]) -> int | None:
        """For about 12% of deals, a US or UK contact to deal with in USD or GBP."""
        if rng.random() >= 0.12:
            return None
        country = "GBR" if rng.random() < 0.4 else "USA"
        h = rng.getrandbits(32)
        for k in range(64):
            index = pick(mix(h, k))
            if self.contact_country(index) == country:
                return index
        return None

    def party_currency(self, party: int) -> str:
        return cat.FOREIGN.get(self.contact_country(party), cat.BASE_CURRENCY)

    def purchase_deal(self, module: str, index: int) -> Record:
        rng = rng_for(self.seed, "deal:" + module, index)
        project = None
        foreign = self._foreign_party(rng, self.supplier_index)
        if module == "purchaseOrders":
            order = 8 * (index // 4) + index % 4
            project = self.sales_deal("quotes", 12 * (order // 8) + order % 8)["project"]
        masters = self.count["products"] // len(cat.PRODUCTS)
        lines = []
        for _ in range(rng.randint(1, 3)):
            pick = rng.choice(list(cat.PURCHASE_TEMPLATES) + [None])
            product = None if pick is None else len(cat.PRODUCTS) * rng.randrange(masters) + pick
            tpl = cat.PRODUCTS[pick] if pick is not None else None
            unit = tpl.unit if tpl else "pcs"
            mode = rng.random()
            lines.append(
                {
                    "product": product,
                    "price": tpl.price if tpl else money(Decimal(rng.randint(2000, 40000)) / 100),
                    "amount": Decimal(rng.choice(AMOUNTS[unit])),
                    "amount2": self._amount2(rng, unit),
                    "discount": Decimal("0"),
                    "account": "product" if mode < 0.6 else "null" if mode < 0.9 else "other",
                    "exempt": False,
                    "doer": None,
                    "comment": None if tpl else "Taxi and travel",
                    "internal": False,
                    "department": rng.choice([None, None, 1, 2, 3, 4]),
                }
            )
        supplier = foreign if foreign is not None else self.supplier_index(rng.getrandbits(32))
        return {
            "supplier": supplier,
            "currency": self.party_currency(supplier),
            "project": project,
            "owner": 1 + rng.randint(0, 3),
            "description": rng.choice(["Subcontracting", "Monthly invoice", "Licences", ""]),
            "lines": lines,
        }

    # ---- lines and headers ---------------------------------------------------------------

    def _vat_code(self, spec: Record, day: date, country: str, is_person: bool, sale: bool) -> int:
        standard = day >= VAT_CHANGE
        if not sale:
            return 10 if country != "EST" else 8 if standard else 7
        tpl = cat.PRODUCTS[spec["product"] % len(cat.PRODUCTS)]
        if country in cat.FOREIGN:
            return 6
        if country != "EST" and not is_person:
            return 5
        if tpl.reduced_vat:
            return 3
        if spec["exempt"]:
            return 4
        return 2 if standard else 1

    def make_line(
        self,
        line_id: int,
        spec: Record,
        *,
        vat_code: int,
        project: int | None,
        sale: bool,
    ) -> Record:
        product = self.product(spec["product"]) if spec["product"] is not None else None
        tpl = cat.PRODUCTS[spec["product"] % len(cat.PRODUCTS)] if product else None
        vc = cat.VAT_BY_ID[vat_code]
        amount, amount2 = spec["amount"], spec["amount2"]
        line_sum, line_vat = line_amounts(
            spec["price"], amount, amount2, spec["discount"], vc.percent
        )
        internal = spec["internal"]
        department = cat.FINANCE_OBJECTS[spec["department"] - 1] if spec["department"] else None
        default = (tpl.sales_account if sale else tpl.purchases_account) if tpl else None
        account = {"product": default, "null": None}.get(
            spec["account"], cat.OTHER_REVENUE_ACCOUNT if sale else cat.TRAVEL_ACCOUNT
        )
        if tpl is None and not sale:
            account = cat.TRAVEL_ACCOUNT
        acct = cat.ACCOUNT_BY_ID.get(account) if account else None
        proj = self.project(project) if project is not None else None
        supplier = product["supplier_id"] if product else None
        doer = spec["doer"]
        return {
            "id": line_id,
            "product_id": product["product_id"] if product else None,
            "product_name": product["name"] if product else None,
            "product_code": product["code"] if product else None,
            "comment": spec["comment"] or (product["name"] if product else None),
            "comment2": None,
            "price": spec["price"],
            "amount": amount,
            "amount2": amount2,
            "discount": spec["discount"],
            "sum": line_sum,
            "vat": vc.percent,
            "vat_code_id": vc.id,
            "vat_code": vc.code,
            "unit": tpl.unit if tpl else "pcs",
            "finance_object_id": department[0] if department else None,
            "finance_object_name": department[1] if department else None,
            "finance_object_symbol": department[2] if department else None,
            "finance_account_id": account,
            "finance_account_name": acct[2] if acct else None,
            "finance_account_symbol": acct[1] if acct else None,
            "cost": (
                line_sum
                if internal
                else money(tpl.buying_price * amount * (amount2 or 1))
                if tpl and sale
                else None
            ),
            "supplier_id": supplier if sale else None,
            "supplier_name": self._contact_name_by_id(supplier) if sale and supplier else None,
            "doer_id": doer,
            "doer_email": self.user_email(doer) if doer else None,
            "role_id": 3 if doer else None,
            "role_name": cat.ROLES[2][1] if doer else None,
            "is_internal": internal,
            "project_id": proj["project_id"] if proj else None,
            "project_name": proj["project_name"] if proj else None,
            "dates": None,
            "depot_amounts": None,
            "custom_fields": self._line_fields(line_id),
            "_vat_sum": line_vat,
        }

    def _line_fields(self, line_id: int) -> list[Record]:
        """Line-level custom fields: a work type on some lines, a multi-select on a few."""
        h = mix(self.seed, tag("line-fields"), line_id)
        out = []
        if h % 10 < 4:
            out.append(self._cf("c_work_type", WORK_TYPES[(h >> 8) % len(WORK_TYPES)]))
        if h % 100 >= 90:
            tags = LINE_TAGS[(h >> 16) % len(LINE_TAGS)]
            out.append(self._cf("c_line_tags", list(tags)))
        return out

    def _contact_name_by_id(self, contact_id: int) -> str:
        return self.contact(contact_id - ID_BASE["contacts"] - 1)["search_name"]

    def deal_lines(self, doc_id: int, deal: Record, day: date, sale: bool) -> list[Record]:
        party = self.contact(deal["customer"] if sale else deal["supplier"])
        country = party["addresses"][0]["country"]
        is_person = party["contact_type"] == "person"
        return [
            self.make_line(
                doc_id * 10 + k,
                spec,
                vat_code=self._vat_code(spec, day, country, is_person, sale),
                project=deal["project"],
                sale=sale,
            )
            for k, spec in enumerate(deal["lines"])
        ]

    @staticmethod
    def rate(day: date, currency: str) -> Decimal:
        """Units of ``currency`` per euro on ``day`` (EUR is the base currency)."""
        if currency == "USD":
            return Decimal(10500 + (day.toordinal() * 37) % 900) / 10000
        if currency == "GBP":
            return Decimal(8300 + (day.toordinal() * 23) % 600) / 10000
        return Decimal("1.0000")

    def header(
        self,
        module: str,
        index: int,
        *,
        party_index: int,
        currency: str,
        project: int | None,
        owner: int,
        day: date,
        lines: list[Record],
        description: str,
        status: str,
        number: Any,
    ) -> Record:
        party = self.contact(party_index)
        proj = self.project(project) if project is not None else None
        counted = external(lines)
        first_vat = cat.VAT_BY_ID[counted[0]["vat_code_id"]] if counted else cat.VAT_BY_ID[1]
        created = self.tl.created_ts(day, mix(self.seed, tag("created:" + module), index))
        doc_id = self.id_of(module, index)
        return {
            "id": doc_id,
            "no": number,
            "discount": ZERO,
            "discount2": None,
            "discount3": None,
            "sum": sum((line["sum"] for line in counted), ZERO),
            "vat_sum": sum((line["_vat_sum"] for line in counted), ZERO),
            "vat": first_vat.percent,
            "vat_code_id": first_vat.id,
            "vat_code": first_vat.code,
            "company_id": party["contact_id"],
            "company_name": party["search_name"],
            "person_id": None,
            "person_name": None,
            "company_address": dict(party["addresses"][0]),
            "company_address_id": party["contact_id"] * 10 + 1,
            "interested_party_id": None,
            "interested_party_address_id": None,
            "project_id": proj["project_id"] if proj else None,
            "project_name": proj["project_name"] if proj else None,
            "currency": currency,
            "currency_rate": self.rate(day, currency),
            "owner_id": owner,
            "owner_email": self.user_email(owner),
            "date": day,
            "deadline": day + timedelta(days=14),
            "status": status,
            "description": description,
            "account_id": "",
            "is_sent": True,
            "is_role_based": False,
            "local_price_list_id": None,
            **self._life(module, index, created),
        }

    # ---- documents -----------------------------------------------------------------------

    def record(self, module: str, index: int) -> Record:
        """The generated record ``index`` of ``module`` (shared: copy before changing it)."""
        if module in self._fixed_cache:
            return self._fixed_cache[module][index]
        if module == "contacts":
            return self.contact(index)
        if module == "products":
            return self.product(index)
        if module == "projects":
            return self.project(index)
        if module == "projectPhases":
            return self.project_phase(index)
        return getattr(self, f"_make_{module}")(index)

    def _make_quotes(self, index: int) -> Record:
        rng = rng_for(self.seed, "quotes", index)
        deal = self.sales_deal("quotes", index)
        day = self._doc_date("quotes", index)
        doc_id = self.id_of("quotes", index)
        lines = self.deal_lines(doc_id, deal, day, sale=True)
        accepted = index % 12 < 8
        status = "accepted" if accepted else rng.choice(["sent", "rejected", "new"])
        for line in lines:
            line["is_confirmed"] = accepted
        head = self.header(
            "quotes",
            index,
            party_index=deal["customer"],
            currency=deal["currency"],
            project=deal["project"],
            owner=deal["owner"],
            day=day,
            lines=lines,
            description=deal["description"],
            status=status,
            number=index + 1,
        )
        confirmed = (
            min(head["created_date"] + timedelta(days=2), head["modified_date"])
            if accepted
            else None
        )
        return {
            **head,
            "confirmed_date": confirmed,
            "estimated_closing_date": day + timedelta(days=30),
            "status_name": status.capitalize(),
            "shipment_date": None,
            "estimated_duration": rng.randint(1, 6),
            "lines": lines,
            "custom_fields": self._po_fields(deal),
        }

    def _po_fields(self, deal: Record) -> list[Record]:
        return [self._cf("c_po_number", deal["po_number"])] if deal.get("po_number") else []

    def _make_orders(self, index: int) -> Record:
        rnd, t = divmod(index, 8)
        quote = 12 * rnd + t
        deal = self.sales_deal("quotes", quote)
        day = self._doc_date("orders", index)
        lines = self.deal_lines(self.id_of("orders", index), deal, day, sale=True)
        old = day < self.tl.doc_start + timedelta(days=60) and index % 3 == 0
        head = self.header(
            "orders",
            index,
            party_index=deal["customer"],
            currency=deal["currency"],
            project=deal["project"],
            owner=deal["owner"],
            day=day,
            lines=lines,
            description=deal["description"],
            status="completed" if day < self.tl.days_before(60) else "inprogress",
            number=index + 1,
        )
        return {
            **head,
            "quote_id": self.id_of("quotes", quote),
            "shipment_date": ZERO_DATE if old else None,
            "lines": lines,
            "custom_fields": self._po_fields(deal),
        }

    def _make_invoices(self, index: int) -> Record:
        kind = self.invoice_class(index)
        if kind == "credit":
            return self._make_credit(index)
        day = self._doc_date("invoices", index)
        doc_id = self.id_of("invoices", index)
        rnd, q = divmod(index, 30)
        quote_ids: list[int] = []
        order_ids: list[int] = []
        if q >= FINAL_INVOICE_Q and index < self.count["invoices"]:
            t = q - FINAL_INVOICE_Q
            quote = 12 * rnd + t
            deal = self.sales_deal("quotes", quote)
            quote_ids = [self.id_of("quotes", quote)]
            order_ids = [self.id_of("orders", 8 * rnd + t)]
        else:
            deal = self.sales_deal("invoices", index)
        lines = self.deal_lines(doc_id, deal, day, sale=True)
        head = self.header(
            "invoices",
            index,
            party_index=deal["customer"],
            currency=deal["currency"],
            project=deal["project"],
            owner=deal["owner"],
            day=day,
            lines=lines,
            description=deal["description"],
            status="unpaid",
            number=10000 + index,
        )
        prepayment_ids: list[int] = []
        set_off = ZERO
        if self.consumes_prepayment(index):  # the advance received is set off, VAT included
            prepayment = self.record("prepayments", rnd)
            prepayment_ids = [prepayment["id"]]
            set_off = sum((amount for _, amount in prepayment["_cash"]), ZERO)
        due = gross(head) - set_off
        rows = self.payment_rows("invoices", index, due, kind, day)
        paid = sum((s for _, s in rows), ZERO) if kind in PAID_CLASSES else ZERO
        allocated = ZERO
        credit = self.credited_by(index)
        if credit is not None:  # a later credit invoice takes back what is still open
            credit_total = sum((gross_line(ln) for ln in self.credit_lines(credit[0], lines)), ZERO)
            allocated = min(-credit_total, due - paid)
        receivable = due - paid - allocated
        head["status"] = "paid" if receivable == 0 else "unpaid"
        rng = rng_for(self.seed, "invoice-extra", index)
        custom = self._po_fields(deal)
        if rng.random() < 0.5:
            custom.append(self._cf("c_cost_center", rng.choice(["Studio", "Digital", "Media"])))
        period_from, period_to = self._accounting_period(index, day)
        return {
            **head,
            "payment_type": "banktransfer",
            "fine": "0.05",
            "quote_id": quote_ids,
            "order_id": order_ids,
            "prepayment_id": prepayment_ids,
            "prepayment_sum": set_off,
            "real_estate_id": None,
            "reference_no": f"{10000 + index}{index % 7}",
            "paid_sum": paid,
            "payment_fee": ZERO,
            "receivable_sum": receivable,
            "generation_type": "manual",
            "scheduled_invoice_id": None,
            "accounting_period_from": period_from,
            "accounting_period_to": period_to,
            "pay_now_link": None,
            "shipment_date": (
                ZERO_DATE
                if day < self.tl.doc_start + timedelta(days=31) and index % 4 == 0
                else None
            ),
            "credited_invoices": [],
            "lines": lines,
            "custom_fields": custom,
            "_cash": rows if kind in PAID_CLASSES or kind == "payment_deleted" else [],
            "_credit_allocated": allocated,
            "_allocation": ZERO,
            "_credited_by": self.id_of("invoices", credit[0]) if credit else None,
        }

    def credit_lines(self, credit: int, original_lines: list[Record]) -> list[Record]:
        """The lines credit invoice ``credit`` takes back from the invoice it credits: all its
        external lines (a partly paid invoice is cancelled), or one of them."""
        found = self.credit_of(credit)
        assert found is not None
        counted = external(original_lines)
        picked = counted
        if found[1] != "partial" and len(counted) > 1:
            picked = [rng_for(self.seed, "credit", credit).choice(counted)]
        doc_id = self.id_of("invoices", credit)
        return [self._credit_line(doc_id * 10 + k, line) for k, line in enumerate(picked)]

    def _make_credit(self, index: int) -> Record:
        """A credit invoice: negative lines, allocated to the invoice it credits for what
        was open on it; the rest refunded (or left as the customer's credit)."""
        target, _ = self.credit_of(index)  # type: ignore[misc]
        original = self.record("invoices", target)
        day = self._doc_date("invoices", index)
        lines = self.credit_lines(index, original["lines"])
        project = original["project_id"]
        head = self.header(
            "invoices",
            index,
            party_index=original["company_id"] - ID_BASE["contacts"] - 1,
            currency=original["currency"],
            project=project - ID_BASE["projects"] - 1 if project else None,
            owner=original["owner_id"],
            day=day,
            lines=lines,
            description="Credit note",
            status="unpaid",
            number=10000 + index,
        )
        allocated = original["_credit_allocated"]
        unused = -gross(head) - allocated
        rows = []
        if self.credit_refunds(index) and unused > 0:
            rng = rng_for(self.seed, "pay:invoices", index)
            rows = [(day + timedelta(days=rng.randint(3, 20)), -unused)]
        paid = sum((amount for _, amount in rows), ZERO)
        receivable = gross(head) - paid + allocated
        head["status"] = "paid" if receivable == 0 else "unpaid"
        return {
            **head,
            "payment_type": "banktransfer",
            "fine": "0.05",
            "quote_id": [],
            "order_id": [],
            "prepayment_id": [],
            "prepayment_sum": ZERO,
            "real_estate_id": None,
            "reference_no": f"{10000 + index}{index % 7}",
            "paid_sum": paid,
            "payment_fee": ZERO,
            "receivable_sum": receivable,
            "generation_type": "manual",
            "scheduled_invoice_id": None,
            "accounting_period_from": None,
            "accounting_period_to": None,
            "pay_now_link": None,
            "shipment_date": None,
            "credited_invoices": [original["id"]],
            "lines": lines,
            "custom_fields": [],
            "_cash": rows,
            "_credit_allocated": ZERO,
            "_allocation": allocated,
            "_credited_by": None,
        }

    def _accounting_period(self, index: int, day: date) -> tuple[date | None, date | None]:
        """One invoice in ten bills a service period of 2–12 months from its month on."""
        h = mix(self.seed, tag("period"), index)
        if h % 10 or index >= self.count["invoices"]:
            return None, None
        first = day.replace(day=1)
        years, month = divmod(first.month - 1 + 2 + (h >> 8) % 11, 12)
        return first, date(first.year + years, month + 1, 1) - timedelta(days=1)

    def _credit_line(self, line_id: int, line: Record) -> Record:
        out = {**line, "id": line_id, "amount": -line["amount"]}
        out["sum"], out["_vat_sum"] = line_amounts(
            line["price"], out["amount"], line["amount2"], line["discount"], line["vat"]
        )
        if out["cost"] is not None:
            out["cost"] = -out["cost"]
        return out

    def _make_prepayments(self, index: int) -> Record:
        order = self.record("orders", 8 * index)
        deal = self.sales_deal("quotes", 12 * index)
        day = self._doc_date("prepayments", index)
        doc_id = self.id_of("prepayments", index)
        spec = {
            "product": None,
            "price": money(order["sum"] * Decimal("0.3")),
            "amount": Decimal(1),
            "amount2": None,
            "discount": Decimal(0),
            "account": "null",
            "exempt": False,
            "doer": None,
            "comment": f"Prepayment 30% of order {order['no']}",
            "internal": False,
            "department": None,
        }
        vat_code = external(order["lines"])[0]["vat_code_id"]
        lines = [self.make_line(doc_id * 10, spec, vat_code=vat_code, project=None, sale=True)]
        case = self.prepayment_case(index)
        head = self.header(
            "prepayments",
            index,
            party_index=deal["customer"],
            currency=deal["currency"],
            project=deal["project"],
            owner=deal["owner"],
            day=day,
            lines=lines,
            description="Prepayment",
            status="paid" if case in ("consumed", "not_consumed") else "unpaid",
            number=index + 1,
        )
        rng = rng_for(self.seed, "pay:prepayments", index)
        received = {"consumed": gross(head), "not_consumed": gross(head)}.get(case)
        if case == "partly_received":
            received = money(gross(head) / 2)
        rows = [(day + timedelta(days=rng.randint(3, 20)), received)] if received else []
        return {
            **head,
            "fine": "0.05",
            "quote_id": self.id_of("quotes", 12 * index),
            "order_id": order["id"],
            "prepayment_percent": Decimal("30"),
            "shipment_date": None,
            "lines": lines,
            "custom_fields": [],
            "_cash": rows,
        }

    def _make_purchaseOrders(self, index: int) -> Record:  # noqa: N802
        deal = self.purchase_deal("purchaseOrders", index)
        day = self._doc_date("purchaseOrders", index)
        lines = self.deal_lines(self.id_of("purchaseOrders", index), deal, day, sale=False)
        for line in lines:
            line["is_settled"] = day < self.tl.days_before(30)
        order = 8 * (index // 4) + index % 4
        head = self.header(
            "purchaseOrders",
            index,
            party_index=deal["supplier"],
            currency=deal["currency"],
            project=deal["project"],
            owner=deal["owner"],
            day=day,
            lines=lines,
            description=deal["description"],
            status="confirmed",
            number=index + 1,
        )
        return {
            **head,
            "quote_id": self.id_of("quotes", 12 * (order // 8) + order % 8),
            "order_id": self.id_of("orders", order),
            "real_estate_id": None,
            "delivery_address_id": None,
            "delivery_date": day + timedelta(days=14),
            "confirmed_date": head["created_date"] + timedelta(hours=3),
            "lines": lines,
            "custom_fields": [],
        }

    def _make_bills(self, index: int) -> Record:
        rnd, q = divmod(index, 12)
        po = None
        if q >= 8 and index < self.count["bills"]:
            po = 4 * rnd + q - 8
            deal = self.purchase_deal("purchaseOrders", po)
        else:
            deal = self.purchase_deal("bills", index)
        day = self._doc_date("bills", index)
        lines = self.deal_lines(self.id_of("bills", index), deal, day, sale=False)
        kind = self.bill_class(index)
        head = self.header(
            "bills",
            index,
            party_index=deal["supplier"],
            currency=deal["currency"],
            project=deal["project"],
            owner=deal["owner"],
            day=day,
            lines=lines,
            description=deal["description"],
            status="unpaid",
            number=f"F-{day.year}-{index + 101:05d}",
        )
        total = gross(head)
        rows = self.payment_rows("bills", index, total, kind, day)
        paid = sum((s for _, s in rows), ZERO) if kind in PAID_CLASSES else ZERO
        head["status"] = "paid" if total - paid == 0 else "unpaid"
        rng = rng_for(self.seed, "bill-extra", index)
        return {
            **head,
            "is_chargeable": rng.random() < 0.1,
            "dateofpayment": rows[-1][0] if paid and paid == total else None,
            "payment_type": "banktransfer",
            "recognition_date": self._recognition_date(index, day),
            "reference_no": None,
            "purchase_order_id": self.id_of("purchaseOrders", po) if po is not None else None,
            "lines": lines,
            "custom_fields": [self._cf("c_cost_center", rng.choice(["Studio", "Digital"]))],
            "_paid_sum": paid,
            "_cash": rows if kind in PAID_CLASSES or kind == "payment_deleted" else [],
        }

    def _recognition_date(self, index: int, day: date) -> date:
        """When the cost belongs: last month's service billed this month (one bill in five),
        next month's rent billed ahead (one in ten), else the bill's own date."""
        h = mix(self.seed, tag("recognition"), index) % 10
        first = day.replace(day=1)
        if h < 2:
            return first - timedelta(days=1)
        if h == 2:
            return (first + timedelta(days=32)).replace(day=1)
        return day

    def _make_receipts(self, slot: int) -> Record:
        module, doc_index = self.receipt_target(slot)
        group_id = self.id_of("receipts", slot)
        state, deleted_ts = self.state("receipts", slot)
        modified = deleted_ts if deleted_ts is not None else self.mod_ts("receipts", slot)
        life = {
            "modified_date": utc(modified),
            "is_deleted": state != LIVE,
            "deleted_date": utc(deleted_ts) if deleted_ts is not None else None,
        }
        if module == "expenses":
            return self._expense_group(doc_index, group_id, life)
        doc = self.record(module, doc_index)
        rows = doc["_cash"]
        moved = sum((amount for _, amount in rows), ZERO)
        currency, group_sum, account = self._settlement(module, doc_index, doc, moved, slot)
        return {
            "id": group_id,
            "date": rows[-1][0] if rows else doc["date"],
            "contact_id": doc["company_id"],
            "sum": group_sum,
            "currency": currency,
            "sales_doc_type": "bills" if module == "bills" else "invoices",
            "receipt_account_id": account,
            **life,
            "receipts": [
                self.receipt_row(group_id * 10 + k, module, doc, day, amount)
                for k, (day, amount) in enumerate(rows)
            ],
            "custom_fields": self.receipt_fields(group_id),
        }

    def _settlement(
        self, module: str, index: int, doc: Record, moved: Decimal, slot: int
    ) -> tuple[str, Decimal, int]:
        """(currency, sum, receipt account) of the group paying ``moved`` on ``doc``.

        Two in three payments of a USD or GBP document are made in euros, at a rate 1–8% away
        from the document's (rows stay in the document's currency: their sum over the group's
        is the payment's rate). One euro payment of an invoice in twenty brings more money than
        the invoice asked for: the excess is unallocated cash."""
        h = mix(self.seed, tag("settle:" + module), index)
        currency = doc["currency"]
        if currency != cat.BASE_CURRENCY and moved >= 10 and h % 3:
            away = Decimal(100 + (h >> 4) % 700) / 10000
            sign = 1 if (h >> 16) % 2 else -1
            rate = doc["currency_rate"] * (1 + sign * away)
            return cat.BASE_CURRENCY, money(moved / rate), cat.CURRENCY_ACCOUNT[cat.BASE_CURRENCY]
        extra = ZERO
        if module == "invoices" and currency == cat.BASE_CURRENCY and moved > 0 and h % 20 == 7:
            extra = money(Decimal(1000 + (h >> 8) % 49000) / 100)
        account = cat.CURRENCY_ACCOUNT[currency]
        if currency == cat.BASE_CURRENCY and slot % 17 == 0:
            account = 3  # paid in cash
        return currency, moved + extra, account

    def _expense_group(self, claim: int, group_id: int, life: Record) -> Record:
        """Money out for an expense claim (Scoro's expenses module, which is not mirrored)."""
        rng = rng_for(self.seed, "expenses", claim)
        day = self.expense_date(claim) + timedelta(days=EXPENSE_PAY_DAYS)
        payee = self.contact(self.supplier_index(rng.getrandbits(32)))
        amount = money(Decimal(rng.randint(1500, 60000)) / 100)
        row = {
            "receipt_id": group_id * 10,
            "date": day,
            "invoice_id": self.id_of("expenses", claim),
            "invoice_no": f"EXP-{claim + 1:05d}",
            "prepayment_id": None,
            "sum": amount,
            "sales_doc_type": "expenses",
            "contact_id": payee["contact_id"],
            "contact_name": payee["search_name"],
        }
        return {
            "id": group_id,
            "date": day,
            "contact_id": payee["contact_id"],
            "sum": amount,
            "currency": cat.BASE_CURRENCY,
            "sales_doc_type": "expenses",
            "receipt_account_id": 3 if rng.random() < 0.4 else 1,
            **life,
            "receipts": [row],
            "custom_fields": self.receipt_fields(group_id),
        }

    def receipt_fields(self, group_id: int) -> list[Record]:
        """The bank statement reference, on about half of the receipt groups."""
        h = mix(self.seed, tag("receipt-fields"), group_id)
        if h % 2:
            return []
        return [self._cf("c_payment_reference", f"RF{(h >> 4) % 10**8:08d}")]

    @staticmethod
    def receipt_row(row_id: int, module: str, doc: Record, day: date, amount: Decimal) -> Record:
        """A row settling ``amount`` of ``doc``, in its currency. Money received on a
        prepayment names it in ``prepayment_id``, with invoice_id 0."""
        is_prepayment = module == "prepayments"
        return {
            "receipt_id": row_id,
            "date": day,
            "invoice_id": 0 if is_prepayment else doc["id"],
            "invoice_no": None if is_prepayment else str(doc["no"]),
            "prepayment_id": doc["id"] if is_prepayment else None,
            "sum": amount,
            "sales_doc_type": "bills" if module == "bills" else "invoices",
            "contact_id": doc["company_id"],
            "contact_name": doc["company_name"],
        }
