"""Project profitability against the simulator's own documents (report_oracle.py).

Over all time, per project and basis: revenue (invoices' and credit invoices' non-VAT amounts
with the project), cost (bills' non-VAT amounts with the project, plus internal lines' cost)
and margin equal the oracle's, to the cent.
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
def built(
    request: pytest.FixtureRequest,
) -> dict[tuple[int, str], tuple[Decimal, Decimal, Decimal]]:
    override = os.environ.get("SCORO_BUILT_DUCKDB")
    path = Path(override) if override else Path(request.getfixturevalue("built_warehouse"))
    with duckdb.connect(str(path), read_only=True) as connection:
        rows = connection.execute(
            """
            select
                cast(project_id as bigint), basis,
                sum(revenue_base), sum(cost_base), sum(margin_base)
            from accounting.project_profitability_by_month
            where tenant_id = ?
            group by 1, 2
            """,
            [TENANT],
        ).fetchall()
    return {
        (project, basis): (revenue, cost, margin) for project, basis, revenue, cost, margin in rows
    }


def test_project_margin_over_all_time_matches_the_oracle(oracle: ReportOracle, built) -> None:
    expected = {
        key: (revenue, cost, revenue - cost)
        for key, (revenue, cost) in oracle.project_margins().items()
    }
    assert len({project for project, _basis in expected}) >= 10
    assert any(cost for _revenue, cost, _margin in expected.values())
    wrong = [
        f"{key}: expected {expected.get(key)}, built {built.get(key)}"
        for key in sorted(set(expected) | set(built))
        if expected.get(key, (ZERO, ZERO, ZERO)) != built.get(key, (ZERO, ZERO, ZERO))
    ]
    assert not wrong, "\n".join(wrong)


def test_internal_cost_lines_are_project_cost(oracle: ReportOracle, built) -> None:
    internal = sum(
        (
            cost
            for doc in oracle.documents.values()
            for project, cost in doc.internal_cost
            if project
        ),
        ZERO,
    )
    assert internal > 0, "the simulator books internal hours on some deals"
    accrual_cost = sum(
        (cost for (_p, basis), (_r, cost, _m) in built.items() if basis == "accrual"), ZERO
    )
    assert accrual_cost > internal
