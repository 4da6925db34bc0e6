"""review's view of filed products kept from filing's events, handled with review's unit of work
in memory: filed (patents and figures kept once), annual updates, opt-ins, cancellation and
revocation, recognitions — out of order and repeated events change nothing they should not —
and the products as a round's evaluation reads them."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

import pytest

from platform_shared.errors import DuplicateRecord
from platform_shared.events.contracts import build_event
from platform_shared.events.envelope import Envelope
from platform_shared.figures import YearFigures
from review.domain.indicators import ProductPatent
from review.service_layer import filed_products as handlers
from tests.support.fakes.review import FakeReviewUnitOfWork, deliver

pytestmark = pytest.mark.unit
FILED_AT = "2030-12-01T08:00:00+00:00"


@pytest.fixture
def uow() -> FakeReviewUnitOfWork:
    return FakeReviewUnitOfWork()


@pytest.fixture
def product_id() -> str:
    return str(uuid.uuid4())


def figures(year: int, revenue: str, ip: str | None = None) -> dict:
    return {"year": year, "sales_revenue": revenue, "sales_volume": 100, "export_revenue": None, "profit": None,
            "ip_investment": ip}


def event(event_type: str, product_id: str, version: int, name: str = "超声仪", **data: object) -> Envelope:
    identity = {"product_id": product_id, "organisation_id": "org-1", "organisation_name": "深圳测试科技有限公司",
                "province_code": "440000", "name": name, "brand": "迈瑞", "model": "DC-70", "industry_code": "05"}
    return build_event(event_type, {**identity, **data}, producer="filing", aggregate_id=product_id,
                       aggregate_version=version)


def filed(product_id: str, version: int = 3, **changes: object) -> Envelope:
    data = {"economic_data": [figures(2030, "8000000.00", "800000.00")],
            "patents": [{"number": "201710601862.3", "kind": "invention", "relation": "owner"}],
            "filing_number": "BA-2030-44-000001", "task_id": "task-1", "filed_at": FILED_AT, **changes}
    return event("filing.product.filed", product_id, version, **data)


def annual(product_id: str, version: int, revenue: str) -> Envelope:
    return event("filing.product.annual_data_updated", product_id, version, filing_number="BA-2030-44-000001",
                 data=figures(2030, revenue), updated_at="2031-02-01T00:00:00+00:00")


def opted(product_id: str, version: int, opt_in: bool = True) -> Envelope:
    return event("filing.product.recognition_opted_in", product_id, version, filing_number="BA-2030-44-000001",
                 year=2031, opt_in=opt_in, decided_at="2031-01-05T00:00:00+00:00")


def recognised(product_id: str, version: int, round_id: str = "round-1") -> Envelope:
    return event("filing.product.recognised", product_id, version, filing_number="BA-2030-44-000001", year=2031,
                 round_id=round_id, recognised_at="2031-06-01T00:00:00+00:00")


def test_a_filed_product_is_kept_with_its_patents_number_and_figures(uow, product_id):
    deliver(filed(product_id), handlers.on_product_filed, uow)
    product = uow.filed_products.get(product_id)
    assert (product.status, product.aggregate_version, product.name, product.province_code) == (
        "filed", 3, "超声仪", "440000")
    assert product.patents == (ProductPatent("201710601862.3", "invention", "owner"),)
    assert (product.filing_number, product.filed_at) == ("BA-2030-44-000001", dt.datetime(2030, 12, 1, 8))
    assert uow.filed_products.years[(product_id, 2030)] == (YearFigures(2030, 800000000, 100, None, None, 80000000), 3)
    assert uow.commits == 1 and uow.events == []


def test_the_declaration_as_filed_is_kept_from_the_first_filing_heard(uow, product_id):
    deliver(filed(product_id), handlers.on_product_filed, uow)
    deliver(filed(product_id, version=4, patents=[], filing_number="BA-OTHER"), handlers.on_product_filed, uow)
    product = uow.filed_products.get(product_id)
    assert len(product.patents) == 1 and product.filing_number == "BA-2030-44-000001"


def test_an_older_event_arriving_late_changes_neither_identity_nor_a_years_figures(uow, product_id):
    deliver(filed(product_id), handlers.on_product_filed, uow)
    deliver(annual(product_id, 6, "9000000.00"), handlers.on_annual_data_updated, uow)
    deliver(event("filing.product.annual_data_updated", product_id, 5, name="旧名", filing_number="BA-2030-44-000001",
                  data=figures(2030, "1.00"), updated_at="2031-01-01T00:00:00+00:00"),
            handlers.on_annual_data_updated, uow)
    product = uow.filed_products.get(product_id)
    assert (product.name, product.aggregate_version) == ("超声仪", 6)
    kept, version = uow.filed_products.years[(product_id, 2030)]
    assert (kept.sales_revenue_fen, version) == (900000000, 6)


def test_a_newer_annual_update_replaces_the_years_figures(uow, product_id):
    deliver(filed(product_id), handlers.on_product_filed, uow)
    deliver(annual(product_id, 4, "9500000.00"), handlers.on_annual_data_updated, uow)
    assert uow.filed_products.years[(product_id, 2030)][0].sales_revenue_fen == 950000000


def test_the_newest_opt_in_stands_whatever_the_order_they_arrive_in(uow, product_id):
    deliver(filed(product_id), handlers.on_product_filed, uow)
    deliver(opted(product_id, 5, opt_in=False), handlers.on_recognition_opted_in, uow)
    deliver(opted(product_id, 4, opt_in=True), handlers.on_recognition_opted_in, uow)
    assert uow.filed_products.opt_ins[(product_id, 2031)] == (False, 5)
    assert uow.filed_products.opted_in(2031, ["05"]) == []


def test_a_product_first_heard_of_by_its_opt_in_is_on_record_and_filled_in_by_the_filing_after(uow, product_id):
    deliver(opted(product_id, 4), handlers.on_recognition_opted_in, uow)
    early = uow.filed_products.get(product_id)
    assert (early.status, early.patents, early.filed_at) == ("filed", None, None)
    deliver(filed(product_id, version=3), handlers.on_product_filed, uow)
    product = uow.filed_products.get(product_id)
    assert product.aggregate_version == 4 and len(product.patents) == 1 and product.filed_at is not None
    assert [p.product_id for p in uow.filed_products.opted_in(2031, ["05"])] == [product_id]


@pytest.mark.parametrize(("event_type", "status", "extra"), [
    ("filing.product.cancelled", "cancelled", {"reason": "产品已退市", "cancelled_at": FILED_AT}),
    ("filing.product.revoked", "revoked", {"reason": "专利纠纷", "revoked_by": "olga", "revoked_at": FILED_AT}),
])
def test_a_cancelled_or_revoked_product_is_no_longer_on_record(uow, product_id, event_type, status, extra):
    deliver(filed(product_id), handlers.on_product_filed, uow)
    deliver(event(event_type, product_id, 5, filing_number="BA-2030-44-000001", **extra),
            handlers.on_product_closed, uow)
    assert uow.filed_products.get(product_id).status == status
    assert uow.filed_products.on_record(["05"]) == []


def test_a_recognition_is_kept_once_per_year_and_the_product_is_recognised(uow, product_id):
    deliver(filed(product_id), handlers.on_product_filed, uow)
    deliver(recognised(product_id, 6), handlers.on_product_recognised, uow)
    deliver(recognised(product_id, 6, round_id="round-2"), handlers.on_product_recognised, uow)
    assert uow.filed_products.get(product_id).status == "recognised"
    assert uow.filed_products.recognitions == {(product_id, 2031): "round-1"}
    assert [p.product_id for p in uow.filed_products.on_record(["05"])] == [product_id]


def test_a_filing_that_cannot_be_kept_keeps_none_of_its_figures(uow, product_id, monkeypatch):
    deliver(opted(product_id, 4), handlers.on_recognition_opted_in, uow)

    def refused(product):
        raise DuplicateRecord("another consumer kept it first")

    monkeypatch.setattr(uow.filed_products, "save", refused)
    with pytest.raises(DuplicateRecord):
        deliver(filed(product_id, version=3), handlers.on_product_filed, uow)
    assert uow.filed_products.years == {} and uow.filed_products.get(product_id).patents is None


def test_an_evaluation_reads_each_product_with_its_data_years_figures_and_recognitions(uow, product_id):
    deliver(filed(product_id), handlers.on_product_filed, uow)
    deliver(recognised(product_id, 6), handlers.on_product_recognised, uow)
    [facts] = handlers.facts_of(uow.filed_products.on_record(["05"]), 2030, uow)
    assert (facts.status, facts.filed_on, facts.recognised_years) == ("recognised", dt.date(2030, 12, 1),
                                                                      frozenset({2031}))
    assert facts.figures == {"sales_revenue": Decimal("8000000.00"), "sales_volume": Decimal(100),
                             "export_revenue": None, "profit": None, "ip_investment": Decimal("800000.00")}
    [no_figures] = handlers.facts_of(uow.filed_products.on_record(["05"]), 2029, uow)
    assert no_figures.figures is None
