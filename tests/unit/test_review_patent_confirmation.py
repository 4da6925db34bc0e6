"""Patents the register could not verify, in review (review.domain.patent_checks and the queue's
handlers, with review's unit of work in memory): approval waits until the holder confirms each
against the documents with a note, which goes to the task's history and the audit log; verified
patents and submissions from before register checks need no confirmation."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from platform_shared.errors import Conflict, RuleBroken
from platform_shared.moments import utcnow
from platform_shared.principal import Principal
from review.domain.commands import ConfirmPatent, DecideTask
from review.domain.tasks import DecisionReason, QueueRules, ReviewTask
from review.service_layer import queue, task_views
from tests.support.fakes.review import FakeReviewUnitOfWork

pytestmark = pytest.mark.unit

ALICE = Principal("alice", "reviewer")
BOB = Principal("bob", "reviewer")
RULES = QueueRules()
VERIFIED = {"outcome": "verified", "match": "holder", "registry": "file", "status": "valid",
            "holders": [{"name": "甲公司", "uscc": None}], "unverified_because": None, "licence": None}
UNVERIFIED = {"outcome": "unverified", "match": "unknown", "registry": "checksum", "status": "well_formed",
              "holders": None, "unverified_because": "holders_unknown", "licence": None}
PATENTS = [{"number": "201710601862.3", "relation": "owner", "register": VERIFIED},
           {"number": "202011167667.2", "relation": "owner", "register": UNVERIFIED},
           {"number": "201310699744.2", "relation": "licensee", "register": None}]


@pytest.fixture
def uow() -> FakeReviewUnitOfWork:
    return FakeReviewUnitOfWork()


def held(uow: FakeReviewUnitOfWork, patents=PATENTS, holder: Principal = ALICE) -> ReviewTask:
    task_id = str(uuid.uuid4())
    task = ReviewTask(id=task_id, kind="product", subject_id=str(uuid.uuid4()), title="产品备案审核：终端",
                      snapshot={"name": "终端", "submission": 1, "patents": patents},
                      source_event_id=str(uuid.uuid4()), created_at=utcnow(), case_id=task_id, state="claimed",
                      claimed_by=holder.account_id, claimed_at=utcnow(),
                      claim_expires_at=utcnow() + dt.timedelta(hours=1))
    uow.tasks.save(task)
    return task


def approve(uow, task, by: Principal = ALICE):
    return queue.handle_decide(DecideTask(task.id, "approve", (), by), uow, RULES)


def test_approval_is_refused_while_an_unverified_patent_is_unconfirmed(uow):
    task = held(uow)

    with pytest.raises(RuleBroken) as refused:
        approve(uow, task)

    assert refused.value.slug == "patent-unconfirmed"
    assert list(refused.value.errors) == ["patents.1.number"]  # not the verified one, not the pre-check one
    [message] = refused.value.errors["patents.1.number"]
    assert message.code == "review.patent_unconfirmed" and message.params == {"number": "202011167667.2"}
    assert uow.tasks.items[task.id].state == "claimed" and uow.events == []


def test_returning_or_rejecting_needs_no_confirmation(uow):
    task = held(uow)

    decided = queue.handle_decide(DecideTask(task.id, "return", (DecisionReason("patents.1.number", "请上传证书"),),
                                             ALICE), uow, RULES)
    assert decided.state == "decided"


def test_the_holder_confirms_with_a_note_then_may_approve(uow):
    task = held(uow)

    queue.handle_confirm_patent(ConfirmPatent(task.id, 1, "已核对专利证书第3页，专利权人为本企业", ALICE), uow)
    [entry] = uow.history.of_task(task.id)
    assert (entry.action, entry.actor_id) == ("patent_confirmed", "alice")
    assert entry.detail == {"index": 1, "number": "202011167667.2", "relation": "owner",
                            "note": "已核对专利证书第3页，专利权人为本企业"}
    [audit] = [e for e in uow.audit_log if e.action == "patent.confirmed"]
    assert audit.subject_id == task.id and audit.detail["note"] == entry.detail["note"]

    assert approve(uow, task).state == "decided"
    assert uow.event_types() == ["review.decision.made"]


def test_the_task_view_shows_each_patent_with_the_register_and_the_confirmation(uow):
    task = held(uow)
    queue.handle_confirm_patent(ConfirmPatent(task.id, 1, "已核对证书", ALICE), uow)

    checks = task_views.read_task(task.id, uow)["patent_checks"]

    assert [(c["number"], c["needs_confirmation"]) for c in checks] == [
        ("201710601862.3", False), ("202011167667.2", True), ("201310699744.2", False)]
    assert checks[0]["register"]["holders"] == [{"name": "甲公司", "uscc": None}]
    assert checks[1]["confirmation"]["note"] == "已核对证书" and checks[1]["confirmation"]["reviewer_id"] == "alice"
    assert checks[0]["confirmation"] is None and checks[2]["register"] is None


@pytest.mark.parametrize(("index", "slug"), [(0, "patent-verified"), (2, "patent-verified"), (3, "no-such-patent"),
                                             (-1, "no-such-patent")])
def test_only_an_unverified_declared_patent_can_be_confirmed(uow, index, slug):
    task = held(uow)

    with pytest.raises(Conflict) as refused:
        queue.handle_confirm_patent(ConfirmPatent(task.id, index, "note", ALICE), uow)

    assert refused.value.slug == slug
    assert uow.history.of_task(task.id) == [] and uow.audit_log == []


def test_only_the_holder_confirms(uow):
    task = held(uow)

    with pytest.raises(Conflict) as refused:
        queue.handle_confirm_patent(ConfirmPatent(task.id, 1, "note", BOB), uow)

    assert refused.value.slug == "task-held"
    assert uow.history.of_task(task.id) == []


def test_a_task_without_unverified_patents_is_approved_at_once(uow):
    task = held(uow, patents=[PATENTS[0], PATENTS[2]])

    assert approve(uow, task).state == "decided"
