"""recognition's events as review publishes them with the change they tell of: the notice names each
listed product's owner and the opted-in products not proposed with what fell short; an objection
raised names the product's owner and never the objector; a decision names both; finalisation tells
each opted-in product's outcome and why not."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from platform_shared.moments import utcnow
from platform_shared.principal import Principal
from platform_shared.quotas import Quota
from review.domain.commands import DecideObjection, FinaliseRound, PublishRound, RaiseObjection
from review.domain.filed_products import FiledProduct
from review.domain.recognition import Reason
from review.domain.round_results import RoundResult, ShownIndicator
from review.domain.rounds import RecognitionRound
from review.service_layer import objections, recognition
from tests.support.fakes.review import FakeReviewUnitOfWork, result_of, round_in

pytestmark = pytest.mark.unit

OBJECTOR = Principal("erin", "enterprise", organisation_id="org-objector")
OPERATOR = Principal("olga", "operator")
TODAY = dt.date(2031, 5, 1)
ROOMY = Quota("open_objections", 1000)


@pytest.fixture
def uow() -> FakeReviewUnitOfWork:
    return FakeReviewUnitOfWork()


def owned(uow: FakeReviewUnitOfWork, result: RoundResult, organisation_id: str) -> RoundResult:
    """`result`'s product as review heard of it from filing, owned by `organisation_id`."""
    uow.filed_products.add(FiledProduct(product_id=result.product_id, status="filed", aggregate_version=3,
                                        organisation_id=organisation_id, organisation_name=result.organisation_name,
                                        name=result.name, model=result.model, industry_code="05"))
    return result


def short_of(found: RecognitionRound, name: str) -> RoundResult:
    below = ShownIndicator("economic_benefit", "经济效益", "1.00", "2.00", False, "经济效益 1.00 is below 2.00")
    reached = ShownIndicator("dependence", "依赖度", "0.5", "0.1", True, None)
    return RoundResult(found.id, str(uuid.uuid4()), "05", name, "测试", f"M-{name}", f"{name}公司", "440000", (),
                       (below, reached), proposed=False)


def test_the_notice_names_each_owner_and_tells_the_not_proposed_what_fell_short(uow):
    found = round_in(uow, "evaluated", version=2)
    listed = owned(uow, result_of(found, "甲"), "org-a")
    short = owned(uow, short_of(found, "乙"), "org-b")
    formal = owned(uow, RoundResult(found.id, str(uuid.uuid4()), "05", "丙", "测试", "M-丙", "丙公司", None,
                                    (Reason("figures", "the figures of 2030 lack sales_volume"),), (), False), "org-c")
    uow.results.replace(found.id, [], [listed, short, formal])
    recognition.handle_publish_round(PublishRound(found.id, TODAY + dt.timedelta(days=7)), uow, TODAY)
    [event] = uow.events_of("review.recognition_round.published")
    assert [(p["product_id"], p["organisation_id"]) for p in event.data["products"]] == [(listed.product_id, "org-a")]
    not_proposed = {p["organisation_id"]: p for p in event.data["not_proposed"]}
    assert set(not_proposed) == {"org-b", "org-c"}
    assert not_proposed["org-b"]["shortfalls"] == [{
        "check": None, "indicator": "economic_benefit", "indicator_name": "经济效益", "value": "1.00",
        "benchmark": "2.00", "note": "经济效益 1.00 is below 2.00"}]
    assert [(s["check"], s["indicator"]) for s in not_proposed["org-c"]["shortfalls"]] == [("figures", None)]


def noticed(uow: FakeReviewUnitOfWork) -> tuple[RecognitionRound, RoundResult]:
    found = round_in(uow, "published", version=3, notice_ends_on=TODAY, published_at=utcnow())
    listed = owned(uow, result_of(found, "甲"), "org-owner")
    uow.results.replace(found.id, [], [listed])
    return found, listed


def test_an_objection_raised_names_the_product_and_its_owner_never_who_objected(uow):
    found, listed = noticed(uow)
    raised = objections.handle_raise_objection(RaiseObjection(found.id, listed.product_id, "权属存在争议", OBJECTOR),
                                               uow, TODAY, quota=ROOMY)
    [event] = uow.events_of("review.objection.raised")
    assert (event.aggregate_id, event.data["round_id"], event.data["year"]) == (raised.id, found.id, 2031)
    assert event.data["product"] == {"product_id": listed.product_id, "name": "甲", "model": "M-甲",
                                     "organisation_id": "org-owner", "organisation_name": "甲公司"}
    assert event.data["reasons"] == "权属存在争议" and event.data["notice_ends_on"] == TODAY.isoformat()
    told = repr(event.data)
    assert "erin" not in told and "org-objector" not in told


@pytest.mark.parametrize("upheld", [True, False])
def test_a_decision_names_the_objector_and_the_owner(uow, upheld):
    found, listed = noticed(uow)
    raised = objections.handle_raise_objection(RaiseObjection(found.id, listed.product_id, "权属存在争议", OBJECTOR),
                                               uow, TODAY, quota=ROOMY)
    objections.handle_decide_objection(DecideObjection(found.id, raised.id, upheld, "核实属实", OPERATOR), uow)
    [event] = uow.events_of("review.objection.decided")
    assert (event.aggregate_id, event.aggregate_version) == (raised.id, 2)
    assert (event.data["upheld"], event.data["reason"], event.data["raised_by"],
            event.data["raised_by_organisation_id"]) == (upheld, "核实属实", "erin", "org-objector")
    assert event.data["product"]["organisation_id"] == "org-owner"


def test_an_objector_without_an_organisation_is_named_by_account_only(uow):
    found, listed = noticed(uow)
    staff = Principal("rita", "reviewer")
    raised = objections.handle_raise_objection(RaiseObjection(found.id, listed.product_id, "数据存疑", staff),
                                               uow, TODAY, quota=ROOMY)
    objections.handle_decide_objection(DecideObjection(found.id, raised.id, False, "证据不足", OPERATOR), uow)
    [event] = uow.events_of("review.objection.decided")
    assert (event.data["raised_by"], event.data["raised_by_organisation_id"]) == ("rita", None)


def test_finalisation_tells_each_opted_in_products_outcome_and_why_not(uow):
    found = round_in(uow, "published", version=3, notice_ends_on=TODAY, published_at=utcnow())
    stands = owned(uow, result_of(found, "甲"), "org-a")
    removed = owned(uow, result_of(found, "乙", removed_by="objection-1"), "org-b")
    short = owned(uow, short_of(found, "丙"), "org-c")
    uow.results.replace(found.id, [], [stands, removed, short])
    recognition.handle_finalise_round(FinaliseRound(found.id), uow, TODAY + dt.timedelta(days=1))
    [event] = uow.events_of("review.recognition_round.finalised")
    assert (event.aggregate_id, event.aggregate_version, event.data["year"]) == (found.id, 4, 2031)
    outcomes = {o["organisation_id"]: (o["recognised"], o["why_not"]) for o in event.data["outcomes"]}
    assert outcomes == {"org-a": (True, None), "org-b": (False, "objection_upheld"), "org-c": (False, "not_proposed")}
