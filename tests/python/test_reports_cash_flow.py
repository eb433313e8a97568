"""The cash flow statement against the simulator's own receipts (report_oracle.py).

Every month and bank account: the statement's closing balance equals the bank balance the
oracle computes from the simulator's receipt groups, and its money in and out adds up to the
oracle's movements of the month, to the cent. Also: every row's opening + flows = closing.
"""

from __future__ import annotations

import os
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from report_oracle import ReportOracle, build_report_oracle

from conftest import TENANT

ZERO = Decimal("0")


@pytest.fixture(scope="module")
def oracle(shared_simulator) -> ReportOracle:
    return build_report_oracle(shared_simulator.company(TENANT))


@pytest.fixture(scope="module")
def statement(request: pytest.FixtureRequest) -> list[tuple]:
    override = os.environ.get("SCORO_BUILT_DUCKDB")
    path = Path(override) if override else Path(request.getfixturevalue("built_warehouse"))
    with duckdb.connect(str(path), read_only=True) as connection:
        return connection.execute(
            """
            select
                account_id, strftime(period_month, '%Y-%m'), activity, category, amount_base,
                opening_balance_base, closing_balance_base
            from accounting.cash_flow_by_month
            where tenant_id = ?
            """,
            [TENANT],
        ).fetchall()


def test_closing_balances_match_the_oracle_every_month(oracle: ReportOracle, statement) -> None:
    expected_by_month = oracle.bank_closing_balances()
    closing = {(bank, month): close for bank, month, *_rest, close in statement}
    assert len(closing) >= 40, "four bank accounts over about two years"
    wrong = []
    for (bank, month), built in sorted(closing.items()):
        known = [m for (b, m) in expected_by_month if b == bank and m <= month]
        expected = expected_by_month[(bank, max(known))] if known else ZERO
        if built != expected:
            wrong.append(f"{bank} {month}: expected {expected}, built {built}")
    assert not wrong, "\n".join(wrong)
    # every month the oracle knows a balance for is in the statement
    assert set(expected_by_month) <= set(closing)


def test_money_in_and_out_matches_the_oracle_every_month(oracle: ReportOracle, statement) -> None:
    built: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for bank, month, _activity, _category, amount, _opening, _closing in statement:
        built[(bank, month)] += amount
    expected = oracle.bank_movements_by_month()
    wrong = [
        f"{key}: expected {expected.get(key, ZERO)}, built {built.get(key, ZERO)}"
        for key in sorted(set(expected) | set(built))
        if expected.get(key, ZERO) != built.get(key, ZERO)
    ]
    assert not wrong, "\n".join(wrong)


def test_each_month_opens_where_the_last_closed(statement) -> None:
    months: dict[tuple[str, str], tuple[Decimal, Decimal, Decimal]] = {}
    for bank, month, _activity, _category, amount, opening, closing in statement:
        _o, _c, total = months.get((bank, month), (opening, closing, ZERO))
        months[(bank, month)] = (opening, closing, total + amount)
    previous: dict[str, Decimal] = {}
    for (bank, _month), (opening, closing, total) in sorted(months.items()):
        assert opening + total == closing
        assert opening == previous.get(bank, ZERO)
        previous[bank] = closing
    categories = {(activity, category) for _b, _m, activity, category, *_ in statement}
    assert ("operating", "Income") in categories and ("operating", "VAT") in categories
    assert ("operating", "Customer prepayments") in categories
