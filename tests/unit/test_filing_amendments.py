"""Amendments (变更) of a filed product, handled with filing's unit of work in memory: only a
product on record is amended, one open amendment at a time, the submission's rules applied to
the amended state, and review's decision applied (approve: the amended state, the filing number
kept, the edition one more; reject: the product unchanged; return: changed and submitted again)."""

from __future__ import annotations

import datetime as dt
import io
import uuid

import pytest

from filing.domain.amendments import Amendment, AmendmentRefused, changed_fields, ensure_amendable
from filing.domain.certificates import edition_words
from filing.domain.commands import (
    ChangeAmendment,
    CloseFiling,
    OpenAmendment,
    SubmitAmendment,
    UploadMaterial,
    WithdrawAmendment,
)
from filing.domain.products import PatentDeclaration
from filing.service_layer import after_filing, amendments, certificates, materials
from filing.service_layer.decisions import on_decision_made
from platform_shared.errors import Conflict, NotFound, RuleBroken
from platform_shared.events.contracts import build_event
from platform_shared.events.envelope import Envelope
from platform_shared.moments import utcnow
from platform_shared.quotas import Quota, StorageQuota
from platform_shared.uploads import LocalContentStore
from tests.support.fakes.filing import (
    MEMBER,
    OPERATOR,
    STRANGER,
    VALID_PATENT,
    FakeFilingUnitOfWork,
    deliver,
    product_in,
    verified_uow,
)
from tests.support.fakes.review import FakePatentRegistry

pytestmark = pytest.mark.unit
TODAY = dt.date(2031, 5, 1)
NEW_PATENT = "202010566088.9"
NEW_PATENT_DECLARED = {"number": NEW_PATENT, "kind": "invention", "relation": "owner", "title": "新授权的专利",
                       "holder": "", "license_record_no": None, "dispute": False}
OLD_PATENT_DECLARED = {"number": VALID_PATENT, "kind": "invention", "relation": "owner", "title": "一种通信方法",
                       "holder": "", "license_record_no": None, "dispute": False}
PDF = b"%PDF-1.7\n" + b"0" * 200


@pytest.fixture
def uow() -> FakeFilingUnitOfWork:
    return verified_uow()


def open_one(uow, product, **changes):
    changes = changes or {"variants": ["黑色", "蓝色"], "patents": [OLD_PATENT_DECLARED, NEW_PATENT_DECLARED]}
    return amendments.handle_open(OpenAmendment(product.id, changes, MEMBER), uow)


def submit(uow, product, amendment, registry=None):
    return amendments.handle_submit(SubmitAmendment(product.id, amendment.id, MEMBER), uow,
                                    registry or FakePatentRegistry(), TODAY)


def decision(amendment_id: str, outcome: str, submission: int = 1, task_id: str | None = None) -> Envelope:
    reasons = [] if outcome == "approve" else [{"field": "patents.1.number", "message": "证书不清晰"}]
    return build_event("review.decision.made", {
        "task_id": task_id or str(uuid.uuid4()), "kind": "product_amendment", "subject_id": amendment_id,
        "outcome": outcome, "reasons": reasons, "reviewer_id": "rita", "decided_at": "2031-05-02T08:00:00+00:00",
        "submission": submission}, producer="review", aggregate_id=amendment_id)


# --- the domain's rules -------------------------------------------------------------------------

@pytest.mark.parametrize("status", ["draft", "submitted", "returned", "rejected", "cancelled", "revoked"])
def test_only_a_product_on_record_is_amendable(uow, status):
    product = product_in(uow, status)
    with pytest.raises(Conflict) as refused:
        ensure_amendable(product, None)
    assert refused.value.slug == "product-not-amendable"


@pytest.mark.parametrize("status", ["filed", "recognised"])
def test_a_filed_or_recognised_product_is_amendable_while_nothing_is_open(uow, status):
    product = product_in(uow, status)
    ensure_amendable(product, None)
    opened = Amendment.open("a-1", product, [], "erin", utcnow())
    with pytest.raises(Conflict) as refused:
        ensure_amendable(product, opened)
    assert refused.value.slug == "amendment-open"


def test_the_steps_of_an_amendment_and_its_final_states(uow):
    product = product_in(uow, "filed")
    amendment = Amendment.open("a-1", product, [], "erin", utcnow())
    assert amendment.move("submit", utcnow()) == "filing.product.amendment_submitted"
    assert amendment.move("return", utcnow()) == "filing.product.amendment_returned" and amendment.editable
    amendment.move("submit", utcnow())
    assert amendment.move("approve", utcnow()) == "filing.product.amended"
    assert not amendment.is_open and amendment.closed_at is not None
    for action in ("submit", "withdraw", "approve", "reject", "return"):
        with pytest.raises(AmendmentRefused):
            amendment.move(action, utcnow())


def test_an_approved_amendment_sets_the_variants_and_the_next_edition_and_keeps_the_number(uow):
    product = product_in(uow, "filed")
    number = product.filing_number
    amendment = Amendment.open("a-1", product, [], "erin", utcnow())
    amendment.declare({"variants": ["红色", " 红色 ", "蓝色"]}, utcnow())
    assert changed_fields(amendment) == ["variants"]
    amendment.apply_to(product, utcnow())
    assert (product.variants, product.edition, product.filing_number) == (["红色", "蓝色"], 2, number)
    assert amendment.edition == 2 and product.amended_at is not None and product.status == "filed"


# --- opening, changing, submitting ------------------------------------------------------------

def test_a_member_opens_an_amendment_from_the_products_current_state(uow):
    product = product_in(uow, "filed")
    amendment = amendments.handle_open(OpenAmendment(product.id, {"variants": ["黑色", "蓝色"]}, MEMBER), uow)
    stored = uow.amendments.get(amendment.id)
    assert (stored.status, stored.variants, stored.before_variants) == ("draft", ["黑色", "蓝色"], ["黑色"])
    assert [p.number for p in stored.patents] == [VALID_PATENT] == [p.number for p in stored.before_patents]
    assert uow.events == [] and uow.products.get(product.id).status == "filed"


def test_one_open_amendment_per_product(uow):
    product = product_in(uow, "filed")
    first = open_one(uow, product)
    with pytest.raises(Conflict) as refused:
        open_one(uow, product)
    assert refused.value.slug == "amendment-open"
    amendments.handle_withdraw(WithdrawAmendment(product.id, first.id, MEMBER), uow)
    assert open_one(uow, product).status == "draft"


def test_a_product_not_filed_or_of_another_organisation_is_refused(uow):
    draft = product_in(uow, "draft", model="A")
    with pytest.raises(Conflict):
        open_one(uow, draft)
    filed = product_in(uow, "filed", model="B")
    with pytest.raises(NotFound):
        amendments.handle_open(OpenAmendment(filed.id, {"variants": []}, STRANGER), uow)


def test_submission_checks_the_amended_state_by_the_submissions_rules(uow):
    product = product_in(uow, "filed")
    amendment = open_one(uow, product)
    with pytest.raises(RuleBroken) as refused:
        submit(uow, product, amendment, FakePatentRegistry(lapsed=[NEW_PATENT]))
    assert refused.value.slug == "submission-rule-broken" and set(refused.value.errors) == {"patents.1.number"}
    assert uow.amendments.get(amendment.id).status == "draft" and uow.events == []

    amendments.handle_change(ChangeAmendment(product.id, amendment.id, {"patents": []}, MEMBER), uow)
    with pytest.raises(RuleBroken) as refused:
        submit(uow, product, uow.amendments.get(amendment.id))
    assert set(refused.value.errors) == {"patents"}


def test_a_submitted_amendment_goes_to_review_with_before_and_after_and_the_product_stays(uow):
    product = product_in(uow, "filed")
    amendment = open_one(uow, product)
    submitted = submit(uow, product, amendment)
    assert (submitted.status, submitted.submissions) == ("submitted", 1)
    [event] = uow.events
    assert event.type == "filing.product.amendment_submitted" and event.aggregate_id == product.id
    data = event.data
    assert data["amendment_id"] == amendment.id and data["filing_number"] == product.filing_number
    assert data["variants"] == ["黑色", "蓝色"] and data["before"]["variants"] == ["黑色"]
    assert [p["number"] for p in data["patents"]] == [VALID_PATENT, NEW_PATENT]
    assert [p["number"] for p in data["before"]["patents"]] == [VALID_PATENT]
    assert data["changed"] == ["variants", "patents"] and data["edition"] == 1 and data["submission"] == 1
    stored = uow.products.get(product.id)
    assert stored.status == "filed" and stored.variants == ["黑色"]
    assert [p.number for p in uow.patents.of_product(product.id)] == [VALID_PATENT]
    with pytest.raises(Conflict):
        amendments.handle_change(ChangeAmendment(product.id, amendment.id, {"variants": []}, MEMBER), uow)


def test_a_material_uploaded_to_an_amendment_is_the_products_only_once_approved(uow, tmp_path):
    product = product_in(uow, "filed")
    amendment = open_one(uow, product)
    store = LocalContentStore(tmp_path)
    quota = StorageQuota(Quota("material_files", 10), Quota("material_bytes", 10**9))
    material = materials.handle_upload(UploadMaterial(product.id, "patent_certificate", io.BytesIO(PDF), "zs.pdf",
                                                      MEMBER, amendment_id=amendment.id), uow, store, 10_000,
                                       quota=quota)
    assert uow.materials.of_product(product.id) == [] and uow.materials.of_amendment(amendment.id) == [material]
    submit(uow, product, amendment)
    assert [m["id"] for m in uow.events[-1].data["materials"]] == [material.id]
    deliver(decision(amendment.id, "approve"), on_decision_made, uow)
    assert [m.id for m in uow.materials.of_product(product.id)] == [material.id]


# --- review's decision ----------------------------------------------------------------------------

def test_approval_makes_the_amended_state_the_products_keeps_the_number_and_counts_the_edition(uow):
    product = product_in(uow, "filed")
    number = product.filing_number
    for expected_edition in (2, 3):
        amendment = open_one(uow, product, variants=["黑色", f"第{expected_edition}色"],
                             patents=[OLD_PATENT_DECLARED, NEW_PATENT_DECLARED])
        submit(uow, product, amendment)
        deliver(decision(amendment.id, "approve"), on_decision_made, uow)
        stored = uow.products.get(product.id)
        assert (stored.status, stored.filing_number, stored.edition) == ("filed", number, expected_edition)
        assert stored.variants == ["黑色", f"第{expected_edition}色"]
        assert [p.number for p in uow.patents.of_product(product.id)] == [VALID_PATENT, NEW_PATENT]
        approved = uow.amendments.get(amendment.id)
        assert (approved.status, approved.edition) == ("approved", expected_edition)
        event = uow.events[-1]
        assert event.type == "filing.product.amended" and event.data["edition"] == expected_edition
        assert event.data["filing_number"] == number and event.data["variants"] == stored.variants
    content = certificates.certificate_content(uow.products.get(product.id), uow, "https://example.org")
    assert content.edition == 3 and content.amended_on is not None and content.filing_number == number


def test_rejection_leaves_the_product_and_closes_the_amendment_with_the_reasons(uow):
    product = product_in(uow, "filed")
    amendment = open_one(uow, product)
    submit(uow, product, amendment)
    deliver(decision(amendment.id, "reject"), on_decision_made, uow)
    stored, closed = uow.products.get(product.id), uow.amendments.get(amendment.id)
    assert (stored.variants, stored.edition) == (["黑色"], 1)
    assert [p.number for p in uow.patents.of_product(product.id)] == [VALID_PATENT]
    assert closed.status == "rejected" and closed.last_decision["reasons"][0]["message"] == "证书不清晰"
    assert uow.events[-1].type == "filing.product.amendment_rejected"
    assert open_one(uow, product).status == "draft"  # a new one may be opened


def test_a_returned_amendment_is_changed_and_submitted_again_and_a_stale_decision_is_ignored(uow):
    product = product_in(uow, "filed")
    amendment = open_one(uow, product)
    submit(uow, product, amendment)
    deliver(decision(amendment.id, "return"), on_decision_made, uow)
    assert uow.amendments.get(amendment.id).status == "returned"
    assert uow.events[-1].type == "filing.product.amendment_returned"
    amendments.handle_change(ChangeAmendment(product.id, amendment.id, {"variants": ["黑色"]}, MEMBER), uow)
    submit(uow, product, uow.amendments.get(amendment.id))
    assert uow.events[-1].data["submission"] == 2
    deliver(decision(amendment.id, "approve", submission=1), on_decision_made, uow)  # of the first submission
    assert uow.amendments.get(amendment.id).status == "submitted" and uow.products.get(product.id).edition == 1
    task_id = str(uuid.uuid4())
    deliver(decision(amendment.id, "approve", submission=2, task_id=task_id), on_decision_made, uow)
    deliver(decision(amendment.id, "reject", submission=2, task_id=task_id), on_decision_made, uow)  # repeated
    assert uow.amendments.get(amendment.id).status == "approved" and uow.products.get(product.id).edition == 2


def test_an_approval_of_a_product_cancelled_meanwhile_changes_nothing(uow):
    product = product_in(uow, "filed")
    amendment = open_one(uow, product)
    submit(uow, product, amendment)
    cancelled = uow.products.get(product.id)
    cancelled.status = "cancelled"
    uow.products.save(cancelled)
    deliver(decision(amendment.id, "approve"), on_decision_made, uow)
    assert uow.amendments.get(amendment.id).status == "submitted"
    assert [p.number for p in uow.patents.of_product(product.id)] == [VALID_PATENT]


def test_withdrawing_a_submitted_amendment_is_announced_and_its_materials_go(uow):
    product = product_in(uow, "filed")
    amendment = open_one(uow, product)
    submit(uow, product, amendment)
    withdrawn = amendments.handle_withdraw(WithdrawAmendment(product.id, amendment.id, MEMBER), uow)
    assert withdrawn.status == "withdrawn" and uow.events[-1].type == "filing.product.amendment_withdrawn"
    with pytest.raises(AmendmentRefused):
        amendments.handle_withdraw(WithdrawAmendment(product.id, amendment.id, MEMBER), uow)
    assert [p.number for p in uow.patents.of_product(product.id)] == [VALID_PATENT]
    assert isinstance(uow.patents.of_product(product.id)[0], PatentDeclaration)


@pytest.mark.parametrize("by", [MEMBER, OPERATOR])
def test_cancelling_or_revoking_a_filing_withdraws_its_open_amendment(uow, by):
    product = product_in(uow, "filed")
    amendment = open_one(uow, product)
    submit(uow, product, amendment)
    after_filing.handle_close(CloseFiling(product.id, "产品已退市", by), uow)
    assert uow.amendments.get(amendment.id).status == "withdrawn"
    assert uow.event_types()[-2:] == ["filing.product.amendment_withdrawn",
                                      "filing.product.cancelled" if by is MEMBER else "filing.product.revoked"]


def test_the_certificate_names_its_version_and_when_it_was_amended():
    assert edition_words(1, None) == "第1版 / version 1"
    assert edition_words(2, dt.date(2031, 5, 2)) == "第2版（2031年5月2日变更） / version 2, amended on 2031-05-02"
