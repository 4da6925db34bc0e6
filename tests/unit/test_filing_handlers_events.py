"""Other services' events, handled with filing's unit of work in memory: review's decisions
(approve files with the province's next number, reject releases the claim, return keeps it,
a repeat or a misfit changes nothing), review's recognitions (once per year), and identity's
organisation events (the newest version wins)."""

from __future__ import annotations

import uuid

import pytest

from filing.service_layer.decisions import on_decision_made, on_product_recognised
from filing.service_layer.organisations import on_organisation_event
from platform_shared.events.contracts import build_event
from platform_shared.events.envelope import Envelope
from tests.support.fakes.filing import FakeFilingUnitOfWork, deliver, product_in, verified_uow

pytestmark = pytest.mark.unit
NOW = "2031-03-01T08:00:00+00:00"


@pytest.fixture
def uow() -> FakeFilingUnitOfWork:
    return verified_uow()


def decision(product_id: str, outcome: str, task_id: str | None = None, kind: str = "product",
             submission: int | None = None) -> Envelope:
    reasons = [] if outcome == "approve" else [{"field": "patents.0.number", "message": "专利已失效"}]
    return build_event("review.decision.made", {
        "task_id": task_id or str(uuid.uuid4()), "kind": kind, "subject_id": product_id, "outcome": outcome,
        "reasons": reasons, "reviewer_id": "rita", "decided_at": NOW, "submission": submission}, producer="review",
        aggregate_id=task_id or product_id)


def recognition(product_id: str, year: int = 2031) -> Envelope:
    return build_event("review.product.recognised", {
        "product_id": product_id, "year": year, "round_id": "round-1", "recognised_at": NOW,
        "industry_code": "01"}, producer="review", aggregate_id=product_id)


def test_an_approval_files_the_product_with_the_next_number_of_its_province(uow):
    first, second = product_in(uow, "submitted", model="A"), product_in(uow, "submitted", model="B")
    deliver(decision(first.id, "approve"), on_decision_made, uow)
    deliver(decision(second.id, "approve"), on_decision_made, uow)

    filed = [uow.products.get(p.id) for p in (first, second)]
    assert [p.status for p in filed] == ["filed", "filed"] and all(p.filed_at for p in filed)
    year = filed[0].filed_at.year
    assert [p.filing_number for p in filed] == [f"BA-{year}-44-000001", f"BA-{year}-44-000002"]
    assert filed[0].last_decision["outcome"] == "approve" and filed[0].version == 4
    assert uow.event_types() == ["filing.product.filed", "filing.product.filed"]
    assert uow.events[0].data["filing_number"] == filed[0].filing_number and uow.events[0].data["patents"]
    assert uow.claims.of(first.id) == [first.model_key]


def test_a_rejection_releases_the_claim_and_a_return_keeps_it(uow):
    rejected, returned = product_in(uow, "submitted", model="A"), product_in(uow, "submitted", model="B")
    deliver(decision(rejected.id, "reject"), on_decision_made, uow)
    deliver(decision(returned.id, "return"), on_decision_made, uow)

    assert uow.products.get(rejected.id).status == "rejected" and uow.claims.of(rejected.id) == []
    stored = uow.products.get(returned.id)
    assert stored.status == "returned" and uow.claims.of(returned.id) == [returned.model_key]
    assert stored.last_decision["reasons"] == [{"field": "patents.0.number", "message": "专利已失效"}]
    assert uow.event_types() == ["filing.product.rejected", "filing.product.returned"]
    assert uow.events[1].data["returned_at"] and uow.events[1].data["reasons"][0]["message"] == "专利已失效"


def test_a_repeated_decision_an_organisations_and_a_misfit_change_nothing(uow):
    product = product_in(uow, "submitted")
    task_id = str(uuid.uuid4())
    deliver(decision(product.id, "return", task_id), on_decision_made, uow)
    deliver(decision(product.id, "approve", task_id), on_decision_made, uow)  # the same task again
    deliver(decision(product.id, "approve", kind="organisation"), on_decision_made, uow)
    deliver(decision(product.id, "approve"), on_decision_made, uow)  # returned: not to be approved
    deliver(decision(str(uuid.uuid4()), "approve"), on_decision_made, uow)

    assert uow.products.get(product.id).status == "returned" and uow.event_types() == ["filing.product.returned"]
    assert len(uow.decisions) == 1


def test_a_recognition_is_applied_once_a_year(uow):
    product = product_in(uow, "filed")
    deliver(recognition(product.id, 2031), on_product_recognised, uow)
    deliver(recognition(product.id, 2031), on_product_recognised, uow)
    deliver(recognition(product.id, 2032), on_product_recognised, uow)

    stored = uow.products.get(product.id)
    assert (stored.status, stored.version) == ("recognised", 5)
    assert uow.recognitions.years_of(product.id) == [2031, 2032]
    assert uow.event_types() == ["filing.product.recognised"] * 2
    assert [e.data["year"] for e in uow.events] == [2031, 2032]


@pytest.mark.parametrize("status", ["draft", "submitted", "revoked"])
def test_a_recognition_of_a_product_not_on_record_is_ignored(uow, status):
    product = product_in(uow, status)
    deliver(recognition(product.id), on_product_recognised, uow)
    deliver(recognition(str(uuid.uuid4())), on_product_recognised, uow)
    assert uow.products.get(product.id).status == status and uow.events == [] and len(uow.recognitions) == 0


def organisation_event(event_type: str, version: int, **data: object) -> Envelope:
    return Envelope(id=str(uuid.uuid4()), type=event_type, version=1, producer="identity",
                    occurred_at=NOW, aggregate_id="org-9", aggregate_version=version, correlation_id=None,
                    causation_id=None, data={"organisation_id": "org-9", "province_code": "110000", **data})


def test_the_view_of_an_organisation_follows_its_newest_event(uow):
    deliver(organisation_event("identity.organisation.registered", 1, name="北京某公司", uscc="91110000X"),
            on_organisation_event, uow)
    deliver(organisation_event("identity.organisation.verified", 3), on_organisation_event, uow)
    deliver(organisation_event("identity.organisation.verification_requested", 2), on_organisation_event, uow)

    known = uow.organisations.get("org-9")
    assert (known.status, known.aggregate_version, known.name, known.uscc) == ("verified", 3, "北京某公司",
                                                                               "91110000X")


def test_a_change_of_name_keeps_the_former_name_and_suspension_and_reinstatement_follow(uow):
    deliver(organisation_event("identity.organisation.registered", 1, name="北京某公司", uscc="91110000X"),
            on_organisation_event, uow)
    deliver(organisation_event("identity.organisation.verified", 3, name="北京某公司"), on_organisation_event, uow)
    deliver(organisation_event("identity.organisation.changed", 4, name="北京新名公司", previous_name="北京某公司"),
            on_organisation_event, uow)
    deliver(organisation_event("identity.organisation.changed", 4, name="北京新名公司"), on_organisation_event, uow)
    known = uow.organisations.get("org-9")
    assert (known.status, known.name, known.former_names) == ("verified", "北京新名公司", ("北京某公司",))
    deliver(organisation_event("identity.organisation.suspended", 5, name="北京新名公司"), on_organisation_event, uow)
    assert uow.organisations.get("org-9").status == "suspended"
    deliver(organisation_event("identity.organisation.reinstated", 6, name="北京新名公司", status="verified"),
            on_organisation_event, uow)
    known = uow.organisations.get("org-9")
    assert (known.status, known.former_names) == ("verified", ("北京某公司",))
    deliver(organisation_event("identity.organisation.hold_ending", 7), on_organisation_event, uow)
    assert uow.organisations.get("org-9").aggregate_version == 6  # says no status: nothing to follow


def test_a_decision_on_a_submission_withdrawn_and_resubmitted_meanwhile_is_ignored(uow, caplog):
    # The reviewer approved submission 1 while the owner withdrew it, changed the product and
    # submitted it again (submission 2, with a task of its own): the approval must not file
    # content no one reviewed.
    product = product_in(uow, "submitted", submissions=2)
    deliver(decision(product.id, "approve", submission=1), on_decision_made, uow)
    stored = uow.products.get(product.id)
    assert (stored.status, stored.filing_number) == ("submitted", None) and uow.events == []
    assert "submission 1" in caplog.text and len(uow.decisions) == 0
    # The decision of the task of submission 2 is applied.
    deliver(decision(product.id, "approve", submission=2), on_decision_made, uow)
    assert uow.products.get(product.id).status == "filed"
