"""Amendments of filed products in review, with review's unit of work in memory: a submitted
amendment opens a `product_amendment` task on the amendment (a resubmission after a return is a
new task of the same case), a withdrawal cancels it, the task reads with each field before and
after, it may be returned like a product, its decision names the submission seen, and an
approved amendment's patents become the filed product's in review's own view (newest edition)."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from platform_shared.events.contracts import build_event
from platform_shared.events.envelope import Envelope
from platform_shared.principal import Principal
from review.domain.commands import ClaimTask, DecideTask
from review.domain.tasks import DecisionReason, QueueRules, decision_problems
from review.service_layer import filed_products, queue, task_views
from review.service_layer.tasks import on_amendment_submitted, on_amendment_withdrawn
from tests.support.fakes.review import FakeReviewUnitOfWork, deliver

pytestmark = pytest.mark.unit
NOW = "2031-05-01T08:00:00+00:00"
OLD = {"number": "201710601862.3", "kind": "invention", "relation": "owner", "title": "一种通信方法"}
NEW = {"number": "202010566088.9", "kind": "invention", "relation": "owner", "title": "新授权的专利"}
ALICE = Principal("alice", "reviewer")


@pytest.fixture
def uow() -> FakeReviewUnitOfWork:
    return FakeReviewUnitOfWork()


def identity(product_id: str) -> dict:
    return {"product_id": product_id, "organisation_id": "org-1", "organisation_name": "深圳测试科技有限公司",
            "province_code": "440000", "name": "超声仪", "brand": "迈瑞", "model": "DC-70", "industry_code": "05"}


def amendment_submitted(product_id: str, amendment_id: str, submission: int = 1) -> Envelope:
    verified = {"outcome": "verified", "match": "holder"}
    return build_event("filing.product.amendment_submitted", {
        **identity(product_id), "variants": ["黑色", "蓝色"],
        "patents": [{**OLD, "register": verified}, {**NEW, "register": verified}],
        "materials": [{"id": "m-1", "kind": "patent_certificate", "media_type": "application/pdf", "sha256": "ab",
                       "size": 9, "url": f"/api/v1/filing/products/{product_id}/materials/m-1"}],
        "before": {"variants": ["黑色"], "patents": [OLD]}, "filing_number": "BA-2031-44-000001",
        "amendment_id": amendment_id, "edition": 1, "changed": ["variants", "patents"], "submission": submission,
        "submitted_at": NOW}, producer="filing", aggregate_id=product_id, aggregate_version=5)


def test_a_submitted_amendment_opens_a_task_that_reads_before_and_after(uow):
    product_id, amendment_id = str(uuid.uuid4()), str(uuid.uuid4())
    deliver(amendment_submitted(product_id, amendment_id), on_amendment_submitted, uow)
    [task] = list(uow.tasks)
    assert (task.kind, task.subject_id, task.state) == ("product_amendment", amendment_id, "open")
    assert task.title == "备案变更审核：超声仪 迈瑞 DC-70（BA-2031-44-000001）"
    assert uow.event_types() == ["review.task.created"]
    read = task_views.read_task(task.id, uow)
    amendment = read["amendment"]
    assert amendment["before"]["variants"] == ["黑色"] and amendment["after"]["variants"] == ["黑色", "蓝色"]
    changes = {c["field"]: (c["before"], c["after"]) for c in amendment["changes"]}
    assert changes["variants"] == (["黑色"], ["黑色", "蓝色"])
    assert changes["patents.1.number"] == (None, NEW["number"])
    assert changes["materials"] == ([], ["patent_certificate"])
    assert [c["number"] for c in read["patent_checks"]] == [OLD["number"], NEW["number"]]
    assert "register" in read["snapshot"]["patents"][0]  # the snapshot itself untouched


def test_a_resubmission_is_a_new_task_of_the_case_and_a_withdrawal_cancels_the_pending_one(uow):
    product_id, amendment_id = str(uuid.uuid4()), str(uuid.uuid4())
    deliver(amendment_submitted(product_id, amendment_id), on_amendment_submitted, uow)
    deliver(amendment_submitted(product_id, amendment_id, submission=2), on_amendment_submitted, uow)
    first, second = sorted(uow.tasks, key=lambda t: t.created_at)
    assert first.state == "cancelled" and second.previous_task_id == first.id and second.case_id == first.id
    assert second.title.endswith("（第2次提交）")
    deliver(build_event("filing.product.amendment_withdrawn", {
        **identity(product_id), "filing_number": "BA-2031-44-000001", "amendment_id": amendment_id,
        "withdrawn_at": NOW}, producer="filing", aggregate_id=product_id, aggregate_version=6),
        on_amendment_withdrawn, uow)
    assert uow.tasks.get(second.id).state == "cancelled"


def test_an_amendment_may_be_returned_and_its_decision_names_the_submission_seen(uow):
    assert decision_problems("product_amendment", "return", ["x"]) == {}
    assert "outcome" in decision_problems("organisation", "return", ["x"])
    product_id, amendment_id = str(uuid.uuid4()), str(uuid.uuid4())
    deliver(amendment_submitted(product_id, amendment_id, submission=2), on_amendment_submitted, uow)
    [task] = list(uow.tasks)
    rules = QueueRules(claim_for=dt.timedelta(hours=2))
    queue.handle_claim(ClaimTask(task.id, ALICE), uow, rules)
    reasons = (DecisionReason("patents.1.number", "证书不清晰"),)
    queue.handle_decide(DecideTask(task.id, "return", reasons, ALICE), uow, rules)
    decision = uow.events[-1]
    assert decision.type == "review.decision.made"
    assert (decision.data["kind"], decision.data["subject_id"], decision.data["submission"]) == (
        "product_amendment", amendment_id, 2)


def test_an_approved_amendments_patents_are_the_filed_products_newest_edition_only(uow):
    product_id = str(uuid.uuid4())

    def amended(edition: int, patents: list[dict], version: int) -> Envelope:
        return build_event("filing.product.amended", {
            **identity(product_id), "variants": [], "patents": patents, "filing_number": "BA-2031-44-000001",
            "amendment_id": str(uuid.uuid4()), "edition": edition, "task_id": str(uuid.uuid4()),
            "amended_at": NOW}, producer="filing", aggregate_id=product_id, aggregate_version=version)

    deliver(amended(3, [OLD, NEW], 9), filed_products.on_product_amended, uow)
    deliver(amended(2, [OLD], 7), filed_products.on_product_amended, uow)  # late: an older edition
    product = uow.filed_products.get(product_id)
    assert [p.number for p in product.patents] == [OLD["number"], NEW["number"]] and product.edition == 3
