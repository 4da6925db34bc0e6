"""reporting's rules without Flask or a database: what a product's events make of its row,
what a row adds to its province's counters (and the difference an event makes), months, and
target-list entries."""

from __future__ import annotations

import datetime as dt

import pytest

from platform_shared.figures import YearFigures
from platform_shared.money import to_fen as yuan_to_fen
from reporting.domain.counters import difference
from reporting.domain.months import has_ended, parse_month, previous_month, twelve_months_to
from reporting.domain.organisations import is_newer, organisation_contributions
from reporting.domain.products import ProductFacts, apply_event, contributions
from reporting.domain.targets import Coverage, province_of_uscc, valid_uscc

pytestmark = pytest.mark.unit

IDENTITY = {"product_id": "p1", "organisation_id": "o1", "province_code": "350000", "name": "电池", "brand": "宁德",
            "model": "M1", "industry_code": "04"}
DECLARATION = {**IDENTITY, "economic_data": [{"year": 2025, "sales_revenue": "100.50", "sales_volume": 3},
                                             {"year": 2024, "sales_revenue": "80.00", "sales_volume": 2}],
               "patents": [{"kind": "invention"}, {"kind": "invention"}, {"kind": "design"}]}


def follow(*steps) -> ProductFacts | None:
    facts = None
    for event_type, data in steps:
        facts = apply_event(facts, event_type, data, "2026-11", "enterprise", "350100")
    return facts


def test_a_submitted_product_counts_by_status_only():
    facts = follow(("filing.product.submitted", DECLARATION))
    assert contributions(facts) == {("350000", "product_status", "submitted"): 1}


def test_a_filed_product_counts_everywhere_it_belongs():
    facts = follow(("filing.product.submitted", DECLARATION),
                   ("filing.product.filed", {**DECLARATION, "filed_at": "2026-10-31T23:00:00+00:00"}))
    assert contributions(facts) == {
        ("350000", "product_status", "filed"): 1, ("350000", "filed_industry", "04"): 1,
        ("350000", "filed_org_kind", "enterprise"): 1, ("350000", "filed_city", "350100"): 1,
        ("350000", "filed_month", "2026-10"): 1, ("350000", "filed_patents", "invention"): 2,
        ("350000", "filed_patents", "design"): 1, ("350000", "filed_revenue_fen", "2025"): 10050,
        ("350000", "filed_revenue_fen", "2024"): 8000}


def test_cancellation_takes_a_product_off_record_but_its_filing_month_stays():
    filed = follow(("filing.product.filed", {**DECLARATION, "filed_at": "2026-10-01T00:00:00+00:00"}))
    cancelled = apply_event(filed, "filing.product.cancelled", IDENTITY, "2026-11", "enterprise", "350100")
    change = difference(contributions(filed), contributions(cancelled))
    assert change[("350000", "product_status", "filed")] == -1
    assert change[("350000", "product_status", "cancelled")] == 1
    assert change[("350000", "filed_industry", "04")] == -1
    assert change[("350000", "filed_revenue_fen", "2025")] == -10050
    assert ("350000", "filed_month", "2026-10") not in change


def test_a_suspended_filing_stays_on_record_counted_apart_until_lifted_or_cancelled():
    filed = follow(("filing.product.filed", {**DECLARATION, "filed_at": "2026-10-01T00:00:00+00:00"}))
    suspended = apply_event(filed, "filing.product.suspended", IDENTITY, "2026-11", "enterprise", "350100")
    assert difference(contributions(filed), contributions(suspended)) == {("350000", "filed_suspended", "all"): 1}
    at_risk_still = apply_event(suspended, "filing.product.patent_problems_cleared",
                                {**IDENTITY, "suspension_lifted": False}, "2026-12", "enterprise", "350100")
    assert at_risk_still.suspended
    lifted = apply_event(suspended, "filing.product.patent_problems_cleared", {**IDENTITY, "suspension_lifted": True},
                         "2026-12", "enterprise", "350100")
    assert difference(contributions(suspended), contributions(lifted)) == {("350000", "filed_suspended", "all"): -1}
    cancelled = apply_event(suspended, "filing.product.cancelled", IDENTITY, "2026-12", "enterprise", "350100")
    assert not cancelled.suspended and ("350000", "filed_suspended", "all") not in contributions(cancelled)


def test_an_annual_update_replaces_that_year_only():
    filed = follow(("filing.product.filed", {**DECLARATION, "filed_at": "2026-10-01T00:00:00+00:00"}))
    updated = apply_event(filed, "filing.product.annual_data_updated",
                          {**IDENTITY, "data": {"year": 2025, "sales_revenue": "150.00", "sales_volume": 4,
                                                "profit": "-1.50"}}, "2027-02", None, None)
    assert updated.revenue_fen == {2025: 15000, 2024: 8000} and updated.status == "filed"
    # The year's five figures are kept whole (the export shows them); the other year stays.
    assert updated.figures == {2025: YearFigures(2025, 15000, 4, profit_fen=-150), 2024: YearFigures(2024, 8000, 2)}
    assert difference(contributions(filed), contributions(updated)) == {
        ("350000", "filed_revenue_fen", "2025"): 4950}


def test_recognition_is_kept_once_recognised():
    filed = follow(("filing.product.filed", {**DECLARATION, "filed_at": "2026-10-01T00:00:00+00:00"}))
    recognised = apply_event(filed, "filing.product.recognised", IDENTITY, "2026-12", None, None)
    revoked = apply_event(recognised, "filing.product.revoked", IDENTITY, "2027-01", None, None)
    assert contributions(recognised)[("350000", "product_recognised", "ever")] == 1
    assert contributions(revoked)[("350000", "product_recognised", "ever")] == 1
    assert ("350000", "filed_industry", "04") not in contributions(revoked)


def test_an_unchanged_row_changes_no_counter():
    filed = follow(("filing.product.filed", {**DECLARATION, "filed_at": "2026-10-01T00:00:00+00:00"}))
    assert difference(contributions(filed), contributions(filed)) == {}


def test_versions_and_organisations():
    assert is_newer(None, 1) and is_newer(2, 3) and not is_newer(3, 3) and not is_newer(4, 3)
    assert organisation_contributions("350000", "verified", "enterprise", None) == {
        ("350000", "org_status", "verified"): 1, ("350000", "org_kind", "enterprise"): 1,
        ("350000", "org_city", "unknown"): 1}
    assert organisation_contributions(None, "verified", "enterprise", None) == {}


@pytest.mark.parametrize(("amount", "fen"), [("0", 0), ("0.5", 50), ("12345678.90", 1234567890), ("-3.20", -320)])
def test_yuan_to_fen(amount, fen):
    assert yuan_to_fen(amount) == fen


def test_months():
    assert parse_month("2026-10") == (2026, 10)
    for bad in ("2026-13", "2026-1", "26-10", ""):
        with pytest.raises(ValueError):
            parse_month(bad)
    assert previous_month(dt.date(2026, 1, 15)) == "2025-12"
    assert has_ended("2026-10", dt.date(2026, 11, 1)) and not has_ended("2026-11", dt.date(2026, 11, 30))
    assert twelve_months_to("2026-03") == ["2025-04", "2025-05", "2025-06", "2025-07", "2025-08", "2025-09",
                                           "2025-10", "2025-11", "2025-12", "2026-01", "2026-02", "2026-03"]


def test_target_entries():
    assert valid_uscc(" 914403001922038216 ") == "914403001922038216"
    with pytest.raises(ValueError, match="91350100M0001TGQXM"):
        valid_uscc("91350100M0001TGQXM")
    assert province_of_uscc("914403001922038216") == "440000"
    assert province_of_uscc("12100000470095016Q") is None  # registered with a national authority
    assert Coverage(3, 2).rate == 0.6667 and Coverage(0, 0).rate == 0.0
