"""State across runs, against small hostile servers: tenants that look alike, pipelines of the
older naming, a process killed between the load and the clean-ups (issue 8 #2, #8)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hostile import (
    DIE_AFTER_LOAD,
    HostileServer,
    document,
    empty_invoice_2_and_drop_vat_code_4,
    line,
    lines_and_vat_codes,
    ok,
    rows,
    sync,
    sync_process,
    viewed,
)


class TenantServer(HostileServer):
    """One server, one company per company_account_id."""

    def __init__(self, companies: dict[str, dict]) -> None:
        super().__init__()
        self.companies = companies

    def answer(self, call):
        records = self.companies.get(call.body.get("company_account_id"), {})
        if call.action == "list":
            self.records = records
            return self.list_reply(call)
        return super().answer(call)


@pytest.mark.parametrize(("first", "second"), [("acme-1", "ACME.1"), ("ü-1", "ö-1")])
def test_tenants_that_slug_alike_keep_their_own_cursors(
    tmp_path: Path, first: str, second: str
) -> None:
    """#2: two tenant ids with the same slug get their own pipeline: the second is not
    listed from the first's cursor."""
    companies = {
        first: {"invoices": [document(i, modified="2024-06-01 10:00:00") for i in (1, 2, 3)]},
        second: {"invoices": [document(i, modified="2024-01-01 10:00:00") for i in (7, 8)]},
    }
    path = tmp_path / "w.duckdb"
    with TenantServer(companies) as server:
        assert sync(server, path, tenant=first).code == 0
        outcome = sync(server, path, tenant=second)
        assert outcome.code == 0, outcome.output
    assert sorted(r["id"] for r in rows(path, "invoices", f"tenant_id = '{first}'")) == [1, 2, 3]
    assert sorted(r["id"] for r in rows(path, "invoices", f"tenant_id = '{second}'")) == [7, 8]


def test_a_mirror_of_the_older_naming_keeps_its_cursors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """#2: a file synced when pipelines were named `scoro_<slug>` goes on from its cursors
    (an incremental listing, not a sync from zero), and says so."""
    from pipelines.scoro import tenants

    path = tmp_path / "w.duckdb"
    invoices = [document(i, modified="2024-06-01 10:00:00") for i in (1, 2)]
    with HostileServer({"invoices": invoices}) as server:
        with monkeypatch.context() as patch:
            patch.setattr(tenants, "pipeline_name", tenants.legacy_pipeline_name)
            assert sync(server, path).code == 0
        server.calls.clear()
        outcome = sync(server, path)
        assert outcome.code == 0, outcome.output
        first_list = next(c for c in server.calls if c.module == "invoices")
    assert "is now named" in outcome.stderr
    assert first_list.from_date is not None  # went on from the old cursor


def test_a_shared_old_pipeline_is_not_inherited(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """#2: when two tenants of the file shared the old pipeline, neither inherits its cursors:
    each syncs in full once, with a warning."""
    from pipelines.scoro import tenants

    companies = {
        "acme-1": {"invoices": [document(1, modified="2024-06-01 10:00:00")]},
        "ACME.1": {"invoices": [document(2, modified="2024-06-01 10:00:00")]},
    }
    path = tmp_path / "w.duckdb"
    with TenantServer(companies) as server:
        with monkeypatch.context() as patch:
            patch.setattr(tenants, "pipeline_name", tenants.legacy_pipeline_name)
            for tenant in companies:
                assert sync(server, path, tenant=tenant).code == 0
        server.calls.clear()
        outcome = sync(server, path, tenant="acme-1")
        assert outcome.code == 0, outcome.output
        first_list = next(c for c in server.calls if c.module == "invoices")
    assert "shared" in outcome.stderr
    assert first_list.from_date is None  # listed in full


def test_a_kill_between_load_and_clean_up_is_made_good_by_the_next_run(tmp_path: Path) -> None:
    """#8: the process dies right after dlt's load, before any clean-up. The emptied lines of
    invoice 2 must not survive, and the sweep of the VAT code gone from the listing must be
    applied by the next run, even one that does not list VAT codes."""
    path = tmp_path / "w.duckdb"
    with lines_and_vat_codes() as server:
        assert sync(server, path).code == 0
        assert len(rows(path, "invoice_lines")) == 6
        empty_invoice_2_and_drop_vat_code_4(server)
        died = sync_process(server, path, "--lookback-minutes", "0", driver=DIE_AFTER_LOAD)
        assert died.code == 9, died.output
        (header,) = rows(path, "invoices", "id = 2")
        assert header["description"] == "lines removed"  # the load did happen
        after = sync(server, path, "--modules", "invoices")
        assert after.code == 0, after.output
    assert sorted(r["id"] for r in rows(path, "invoice_lines")) == [10, 11, 30, 31]
    deleted = [r["vat_code_id"] for r in rows(path, "vat_codes") if r["is_deleted"]]
    assert deleted == [4]


def test_an_emptied_child_list_is_cleared_in_the_same_load(tmp_path: Path) -> None:
    """Custom fields and lines that became empty vanish with the load that brought the change."""
    invoice = document(1)
    path = tmp_path / "w.duckdb"
    full = viewed(
        invoice, lines=[line(10)], custom_fields=[{"id": "c_po", "name": "PO", "value": "7"}]
    )
    with HostileServer({"invoices": [invoice]}, views={"invoices": {1: full}}) as server:
        assert sync(server, path).code == 0
        assert len(rows(path, "invoice_custom_fields")) == 1
        changed = document(1, modified="2024-03-02 10:00:00")
        server.records["invoices"] = [changed]
        server.views["invoices"][1] = viewed(changed, lines=[line(10)], custom_fields=[])
        assert sync(server, path).code == 0
    assert rows(path, "invoice_custom_fields") == []
    assert [r["id"] for r in rows(path, "invoice_lines")] == [10]
    assert "_scoro_tombstone" not in {
        k for r in rows(path, "invoice_lines") for k, v in r.items() if v
    }


def test_pending_views_are_retried_when_the_listing_no_longer_shows_them(tmp_path: Path) -> None:
    """A view that failed is retried by the next sync even if the record is not listed again
    (its modified_date fell behind the cursor)."""
    invoices = [document(1), document(2, modified="2024-05-01 10:00:00")]
    views = {1: viewed(invoices[0], lines=[line(10)]), 2: viewed(invoices[1], lines=[line(20)])}
    state = {"fail": True}

    def handler(call):
        if call.action == "view" and call.record_id == "1" and state["fail"]:
            return ok("not a record")
        return None

    path = tmp_path / "w.duckdb"
    with HostileServer(
        {"invoices": invoices}, views={"invoices": views}, handler=handler
    ) as server:
        first = sync(server, path)
        assert first.code == 0, first.output
        assert [r["id"] for r in rows(path, "invoice_lines")] == [20]
        state["fail"] = False
        second = sync(server, path)
        assert second.code == 0, second.output
    assert sorted(r["id"] for r in rows(path, "invoice_lines")) == [10, 20]
