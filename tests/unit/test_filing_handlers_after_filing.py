"""What follows filing, handled with filing's unit of work in memory: the annual update (only in
its window, only of the previous year), the recognition opt-in (this year or next), cancellation
by the owner and revocation by an operator (the claim released, the number kept) — each with its
event, each refusal changing nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from filing.domain.annual_update import AnnualUpdateWindow
from filing.domain.commands import CloseFiling, OptIn, UpdateAnnualData
from filing.domain.lifecycle import TransitionRefused
from filing.service_layer import after_filing
from platform_shared.errors import Conflict, NotFound, RuleBroken
from platform_shared.figures import YearFigures
from tests.support.fakes.filing import (
    MEMBER,
    OPERATOR,
    STRANGER,
    FakeFilingUnitOfWork,
    product_in,
    verified_uow,
)

pytestmark = pytest.mark.unit
TODAY = dt.date(2031, 2, 1)
WINDOW = AnnualUpdateWindow()
FIGURES = {"sales_revenue": "2000000.00", "sales_volume": 20, "export_revenue": "10.00", "profit": "-5.00",
           "ip_investment": None}


@pytest.fixture
def uow() -> FakeFilingUnitOfWork:
    return verified_uow()


def update(uow, product, year=2030, today=TODAY, window=WINDOW):
    return after_filing.handle_annual_data(UpdateAnnualData(product.id, year, FIGURES, MEMBER), uow, window, today)


@pytest.mark.parametrize("status", ["filed", "recognised"])
def test_the_previous_years_figures_replace_the_stored_ones_and_are_announced(uow, status):
    product = product_in(uow, status)
    data = update(uow, product)

    assert data == {"year": 2030, "sales_revenue": "2000000.00", "sales_volume": 20, "export_revenue": "10.00",
                    "profit": "-5.00", "ip_investment": None}
    assert uow.figures.of_product(product.id) == [YearFigures(2030, 200_000_000, 20, 1000, -500)]
    assert uow.products.get(product.id).version == 4
    [event] = uow.events
    assert (event.type, event.aggregate_version) == ("filing.product.annual_data_updated", 4)
    assert event.data["data"] == data and event.data["filing_number"] == product.filing_number


def test_outside_the_window_the_update_is_refused_saying_when_it_is_open(uow):
    product = product_in(uow, "filed")
    with pytest.raises(Conflict) as refused:
        update(uow, product, today=dt.date(2031, 4, 1))
    assert refused.value.slug == "outside-annual-update-window" and WINDOW.describe() in refused.value.detail
    assert uow.figures.of_product(product.id) == [YearFigures(2030, 500_000_000, 50)] and uow.events == []


def test_only_the_previous_year_is_updated(uow):
    product = product_in(uow, "filed")
    with pytest.raises(RuleBroken) as refused:
        update(uow, product, year=2029)
    assert refused.value.slug == "wrong-year" and list(refused.value.errors) == ["year"]


@pytest.mark.parametrize("status", ["draft", "submitted", "cancelled"])
def test_only_a_product_on_record_has_an_annual_update_or_an_opt_in(uow, status):
    product = product_in(uow, status)
    with pytest.raises(Conflict, match=f"this product is {status}") as refused:
        update(uow, product)
    assert refused.value.slug == "wrong-status"
    with pytest.raises(Conflict, match="a recognition to opt in to"):
        after_filing.handle_opt_in(OptIn(product.id, 2031, True, MEMBER), uow, TODAY)
    assert uow.events == []


def test_a_stranger_finds_no_product_to_update(uow):
    product = product_in(uow, "filed")
    with pytest.raises(NotFound):
        after_filing.handle_annual_data(UpdateAnnualData(product.id, 2030, FIGURES, STRANGER), uow, WINDOW, TODAY)


@pytest.mark.parametrize("year", [2031, 2032])
def test_an_opt_in_is_kept_per_year_and_announced(uow, year):
    product = product_in(uow, "filed")
    after_filing.handle_opt_in(OptIn(product.id, year, True, MEMBER), uow, TODAY)
    choice = after_filing.handle_opt_in(OptIn(product.id, year, False, MEMBER), uow, TODAY)

    assert (choice.year, choice.opt_in, choice.decided_by) == (year, False, "erin")
    assert uow.opt_ins.of_product(product.id) == [choice] and uow.products.get(product.id).version == 5
    assert [(e.type, e.data["opt_in"], e.aggregate_version) for e in uow.events] == [
        ("filing.product.recognition_opted_in", True, 4), ("filing.product.recognition_opted_in", False, 5)]


@pytest.mark.parametrize("year", [2030, 2033])
def test_an_opt_in_is_for_this_year_or_next(uow, year):
    product = product_in(uow, "filed")
    with pytest.raises(RuleBroken) as refused:
        after_filing.handle_opt_in(OptIn(product.id, year, True, MEMBER), uow, TODAY)
    assert refused.value.slug == "wrong-year" and uow.opt_ins.of_product(product.id) == []


def test_the_owner_cancels_a_filing_keeping_its_number_and_releasing_its_model(uow):
    product = product_in(uow, "recognised")
    closed = after_filing.handle_close(CloseFiling(product.id, "停产", MEMBER), uow)

    stored = uow.products.get(product.id)
    assert (stored.status, stored.version, stored.closing_reason, stored.closed_by) == ("cancelled", 4, "停产", "erin")
    assert closed.filing_number == product.filing_number == stored.filing_number
    assert uow.claims.of(product.id) == [] and uow.audit_log == []
    [event] = uow.events
    assert event.type == "filing.product.cancelled" and event.data["reason"] == "停产"
    assert event.data["cancelled_at"] and "revoked_by" not in event.data


def test_an_operator_revokes_any_filing_and_the_revocation_is_audited(uow):
    product = product_in(uow, "filed")
    after_filing.handle_close(CloseFiling(product.id, "专利权属纠纷", OPERATOR), uow)

    assert uow.products.get(product.id).status == "revoked"
    [event] = uow.events
    assert event.type == "filing.product.revoked" and event.data["revoked_by"] == "olga"
    [entry] = uow.audit_log
    assert (entry.action, entry.subject_id, dict(entry.detail)) == ("product.revoked", product.id,
                                                                    {"reason": "专利权属纠纷"})


@pytest.mark.parametrize("status", ["draft", "submitted", "cancelled", "revoked"])
def test_only_a_filing_on_record_is_closed(uow, status):
    product = product_in(uow, status)
    with pytest.raises(TransitionRefused):
        after_filing.handle_close(CloseFiling(product.id, "x", OPERATOR), uow)
    assert uow.products.get(product.id).status == status and uow.events == [] and uow.audit_log == []
