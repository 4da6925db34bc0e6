"""Review tasks made from other services' events, handled with review's unit of work in memory:
an organisation's verification request, a product's submission and resubmission (the same case,
the earlier task cancelled if still pending), a withdrawal — and an event that cannot be handled
leaves nothing half-written."""

from __future__ import annotations

import uuid

import pytest

from platform_shared.errors import DuplicateRecord
from platform_shared.events.contracts import build_event
from platform_shared.events.envelope import Envelope
from review.service_layer.tasks import on_product_submitted, on_product_withdrawn, on_verification_requested
from tests.support.fakes.review import FakeReviewUnitOfWork, deliver

pytestmark = pytest.mark.unit
NOW = "2031-03-01T08:00:00+00:00"


@pytest.fixture
def uow() -> FakeReviewUnitOfWork:
    return FakeReviewUnitOfWork()


def verification_requested(organisation_id: str, name: str = "深圳测试科技有限公司") -> Envelope:
    return build_event("identity.organisation.verification_requested", {
        "organisation_id": organisation_id, "name": name, "uscc": "914403001922038216", "kind": "enterprise",
        "province_code": "440000", "documents": [{"id": "d-1", "kind": "business_license"}], "requested_at": NOW},
        producer="identity", aggregate_id=organisation_id, aggregate_version=2)


def identity(product_id: str) -> dict:
    return {"product_id": product_id, "organisation_id": "org-1", "organisation_name": "深圳测试科技有限公司",
            "province_code": "440000", "name": "超声仪", "brand": "迈瑞", "model": "DC-70", "industry_code": "05"}


def submitted(product_id: str, submission: int = 1) -> Envelope:
    return build_event("filing.product.submitted", {
        **identity(product_id), "economic_data": [{"year": 2030, "sales_revenue": "5000000.00", "sales_volume": 50}],
        "submission": submission, "submitted_at": NOW}, producer="filing", aggregate_id=product_id,
        aggregate_version=2 * submission)


def withdrawn(product_id: str) -> Envelope:
    return build_event("filing.product.withdrawn", {**identity(product_id), "withdrawn_at": NOW},
                       producer="filing", aggregate_id=product_id, aggregate_version=3)


def test_a_verification_request_opens_an_organisation_task_with_the_request_as_snapshot(uow):
    organisation_id = str(uuid.uuid4())
    event = verification_requested(organisation_id)
    deliver(event, on_verification_requested, uow)
    [task] = uow.tasks
    assert (task.kind, task.subject_id, task.state) == ("organisation", organisation_id, "open")
    assert task.title == "实名认证审核：深圳测试科技有限公司（914403001922038216）"
    assert task.snapshot == dict(event.data) and task.source_event_id == event.id
    assert (task.case_id, task.previous_task_id) == (task.id, None)
    [created] = uow.events_of("review.task.created")
    assert (created.aggregate_id, created.data["kind"], created.data["title"]) == (task.id, "organisation", task.title)
    [entry] = uow.history.of_task(task.id)
    assert (entry.action, entry.actor_id) == ("created", None)
    assert entry.detail == {"event_id": event.id, "event_type": event.type, "previous_task_id": None}


def test_an_organisation_asking_again_makes_a_new_task_of_the_same_case(uow):
    organisation_id = str(uuid.uuid4())
    deliver(verification_requested(organisation_id), on_verification_requested, uow)
    [first] = uow.tasks
    uow.tasks.items[first.id].state = "decided"
    deliver(verification_requested(organisation_id, "深圳测试科技股份有限公司"), on_verification_requested, uow)
    second = next(t for t in uow.tasks if t.id != first.id)
    assert (second.case_id, second.previous_task_id) == (first.id, first.id)


def test_a_submission_opens_a_product_task(uow):
    product_id = str(uuid.uuid4())
    deliver(submitted(product_id), on_product_submitted, uow)
    [task] = uow.tasks
    assert (task.kind, task.subject_id, task.title) == ("product", product_id, "产品备案审核：超声仪 迈瑞 DC-70")
    assert task.snapshot["economic_data"][0]["sales_revenue"] == "5000000.00"
    assert uow.event_types() == ["review.task.created"]


def test_a_resubmission_after_a_decision_is_a_new_task_of_the_case_that_says_so(uow):
    product_id = str(uuid.uuid4())
    deliver(submitted(product_id), on_product_submitted, uow)
    [first] = uow.tasks
    uow.tasks.items[first.id].state = "decided"
    deliver(submitted(product_id, submission=2), on_product_submitted, uow)
    second = uow.tasks.latest("product", product_id)
    assert second.title.endswith("（第2次提交）")
    assert (second.case_id, second.previous_task_id) == (first.id, first.id)
    assert uow.tasks.get(first.id).state == "decided"  # a decided task stays decided


def test_a_submission_while_the_earlier_task_is_pending_cancels_it(uow):
    product_id = str(uuid.uuid4())
    deliver(submitted(product_id), on_product_submitted, uow)
    [first] = uow.tasks
    deliver(submitted(product_id, submission=2), on_product_submitted, uow)
    earlier = uow.tasks.get(first.id)
    assert (earlier.state, earlier.claimed_by) == ("cancelled", None) and earlier.closed_at is not None
    cancelled = uow.history.of_task(first.id)[-1]
    assert (cancelled.action, cancelled.detail["reason"]) == ("cancelled", "superseded by a new submission")


def test_a_submission_heard_twice_makes_nothing_twice_and_cancels_nothing(uow):
    """The inbox stops a redelivery; should one get past it, the task's unique source event
    refuses it, and the cancellation it began is rolled back with it."""
    product_id = str(uuid.uuid4())
    event = submitted(product_id)
    deliver(event, on_product_submitted, uow)
    with pytest.raises(DuplicateRecord):
        deliver(event, on_product_submitted, uow)
    [task] = uow.tasks
    assert task.state == "open" and uow.history.actions(task.id) == ["created"]
    assert len(uow.events) == 1 and uow.commits == 1


def test_a_withdrawal_cancels_the_pending_task_of_the_product(uow):
    product_id = str(uuid.uuid4())
    deliver(submitted(product_id), on_product_submitted, uow)
    event = withdrawn(product_id)
    deliver(event, on_product_withdrawn, uow)
    [task] = uow.tasks
    assert task.state == "cancelled"
    assert uow.history.of_task(task.id)[-1].detail == {"reason": "the submission was withdrawn", "event_id": event.id}


def test_a_withdrawal_leaves_decided_tasks_and_other_products_alone(uow):
    product_id, other_id = str(uuid.uuid4()), str(uuid.uuid4())
    deliver(submitted(product_id), on_product_submitted, uow)
    deliver(submitted(other_id), on_product_submitted, uow)
    decided = uow.tasks.latest("product", product_id)
    uow.tasks.items[decided.id].state = "decided"
    deliver(withdrawn(product_id), on_product_withdrawn, uow)
    assert uow.tasks.get(decided.id).state == "decided"
    assert uow.tasks.latest("product", other_id).state == "open"
