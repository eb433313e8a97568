"""The cash-basis P&L against an oracle computed from the simulator's records (report_oracle.py).

Cash-basis income per month (Income and Other Income accounts of profit_and_loss_cash_by_month)
equals the settled part of the simulator's invoices and credit invoices, leg by leg, to the cent;
summed over all time, per account, it equals the part of their accrual income that has been
settled, and documents settled in full have counted exactly their accrual income.
"""

from __future__ import annotations

import os
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
def warehouse(request: pytest.FixtureRequest):
    """$SCORO_BUILT_DUCKDB if set (built from the same simulator), else built_warehouse."""
    override = os.environ.get("SCORO_BUILT_DUCKDB")
    path = Path(override) if override else Path(request.getfixturevalue("built_warehouse"))
    connection = duckdb.connect(str(path), read_only=True)
    yield connection
    connection.close()


def _differences(expected: dict, actual: dict) -> list[str]:
    keys = sorted(set(expected) | set(actual), key=str)
    return [
        f"{k}: expected {expected.get(k)}, built {actual.get(k)}"
        for k in keys
        if expected.get(k, ZERO) != actual.get(k, ZERO)
    ]


def test_cash_basis_income_per_month_matches_the_oracle(oracle: ReportOracle, warehouse) -> None:
    built = dict(
        warehouse.execute(
            """
            select strftime(period_month, '%Y-%m'), sum(net_profit_effect_base)
            from accounting.profit_and_loss_cash_by_month
            where tenant_id = ? and account_type in ('Income', 'Other Income')
            group by 1
            """,
            [TENANT],
        ).fetchall()
    )
    expected = oracle.cash_basis_income()
    assert len(expected) >= 12, "the simulator's company should have a year of paid invoices"
    assert not _differences(expected, built)


def test_cash_basis_income_over_all_time_is_the_paid_part_of_accrual_income(
    oracle: ReportOracle, warehouse
) -> None:
    built = dict(
        warehouse.execute(
            """
            select account_id, sum(net_profit_effect_base)
            from accounting.profit_and_loss_cash_by_month
            where tenant_id = ? and account_type in ('Income', 'Other Income')
            group by 1
            """,
            [TENANT],
        ).fetchall()
    )
    expected = oracle.cash_basis_income_by_account()
    assert not _differences(expected, built)
    # what is not yet paid is the open part: cash basis ≤ accrual in total, and below it here
    accrual = oracle.accrual_income_by_account()
    built_accrual = dict(
        warehouse.execute(
            """
            select account_id, sum(net_profit_effect_base)
            from accounting.profit_and_loss_by_month
            where tenant_id = ? and account_type in ('Income', 'Other Income')
            group by 1
            """,
            [TENANT],
        ).fetchall()
    )
    assert not _differences(accrual, built_accrual)
    assert sum(expected.values(), ZERO) < sum(accrual.values(), ZERO)


def test_settled_documents_count_their_accrual_income_exactly(oracle: ReportOracle) -> None:
    """The oracle's own rule: a fully settled document's shares add up to each component."""
    settled = {
        key: doc
        for key, doc in oracle.documents.items()
        if oracle.ledger.documents[key].open == 0 and doc.components
    }
    assert len(settled) > 100
    totals: dict[tuple, Decimal] = {}
    for share in oracle.shares():
        key = (share.document.kind, share.document.id)
        if key in settled:
            totals[(key, share.component)] = totals.get((key, share.component), ZERO) + share.amount
    for key, doc in settled.items():
        for component in doc.components:
            assert totals.get((key, component), ZERO) == component.base, (key, component)
