"""The reviewers' work on a task, handled with review's unit of work in memory: claims (taken,
renewed, taken over when expired, refused while held), release, reassignment, decisions (final,
refused, proposed under the four-eyes rule) and confirmations — and that a refusal or a failure
leaves nothing half-written."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from platform_shared.errors import Conflict, NotFound, RuleBroken
from platform_shared.moments import utcnow
from platform_shared.principal import Principal
from review.domain.commands import ClaimTask, ConfirmRejection, DecideTask, ReassignTask, ReleaseTask
from review.domain.tasks import DecisionReason, QueueRules, ReviewTask, TaskDecision
from review.service_layer import queue
from tests.support.fakes.review import FakeReviewUnitOfWork

pytestmark = pytest.mark.unit

ALICE = Principal("alice", "reviewer")
BOB = Principal("bob", "reviewer")
OPERATOR = Principal("olga", "operator")
RULES = QueueRules(claim_for=dt.timedelta(hours=2))
FOUR_EYES = QueueRules(four_eyes=True)
WHY = (DecisionReason("patents.0.number", "专利已终止"),)


@pytest.fixture
def uow() -> FakeReviewUnitOfWork:
    return FakeReviewUnitOfWork()


def seeded(uow: FakeReviewUnitOfWork, kind: str = "product", **changes: object) -> ReviewTask:
    task_id = str(uuid.uuid4())
    task = ReviewTask(id=task_id, kind=kind, subject_id=str(uuid.uuid4()), title="产品备案审核：超声仪",
                      snapshot={"name": "超声仪"}, source_event_id=str(uuid.uuid4()),
                      created_at=utcnow() - dt.timedelta(hours=1), case_id=task_id)
    for name, value in changes.items():
        setattr(task, name, value)
    uow.tasks.save(task)
    return task


def held_by(uow: FakeReviewUnitOfWork, reviewer: Principal, *, expired: bool = False, **changes: object) -> ReviewTask:
    until = utcnow() + (dt.timedelta(minutes=-1) if expired else dt.timedelta(hours=1))
    return seeded(uow, **{"state": "claimed", "claimed_by": reviewer.account_id, "claimed_at": utcnow(),
                          "claim_expires_at": until, **changes})


def stored(uow: FakeReviewUnitOfWork, task: ReviewTask) -> ReviewTask:
    return uow.tasks.items[task.id]


# --- claims ------------------------------------------------------------------------------------

def test_claiming_an_open_task_holds_it_for_the_claim_time_and_notes_who(uow):
    task = seeded(uow)
    claimed = queue.handle_claim(ClaimTask(task.id, ALICE), uow, RULES)
    assert (claimed.state, claimed.claimed_by) == ("claimed", "alice")
    assert claimed.claim_expires_at - claimed.claimed_at == RULES.claim_for
    assert stored(uow, task) == claimed
    [entry] = uow.history.of_task(task.id)
    assert (entry.action, entry.actor_id, entry.actor_role, entry.detail) == ("claimed", "alice", "reviewer", {})
    assert uow.commits == 1 and uow.events == []


def test_claiming_a_task_one_holds_renews_the_claim(uow):
    task = held_by(uow, ALICE)
    renewed = queue.handle_claim(ClaimTask(task.id, ALICE), uow, QueueRules(claim_for=dt.timedelta(hours=5)))
    assert renewed.claim_expires_at > task.claim_expires_at
    assert uow.history.of_task(task.id)[0].detail == {}


def test_an_expired_claim_is_taken_over_and_the_history_says_whose_it_was(uow):
    task = held_by(uow, ALICE, expired=True)
    taken = queue.handle_claim(ClaimTask(task.id, BOB), uow, RULES)
    assert taken.claimed_by == "bob"
    assert uow.history.of_task(task.id)[0].detail == {"took_over_expired_claim_of": "alice"}


def test_a_task_held_by_another_reviewer_is_refused_and_nothing_is_written(uow):
    task = held_by(uow, ALICE)
    with pytest.raises(Conflict, match="Another reviewer holds this task") as refused:
        queue.handle_claim(ClaimTask(task.id, BOB), uow, RULES)
    assert refused.value.slug == "task-held"
    assert stored(uow, task).claimed_by == "alice"
    assert uow.history.of_task(task.id) == [] and uow.commits == 0


@pytest.mark.parametrize("state", ["decided", "cancelled", "awaiting_confirmation"])
def test_only_an_open_task_can_be_claimed(uow, state):
    task = seeded(uow, state=state)
    with pytest.raises(Conflict, match=f"The task is {state}") as refused:
        queue.handle_claim(ClaimTask(task.id, ALICE), uow, RULES)
    assert refused.value.slug == "wrong-state"


def test_claiming_an_unknown_task_is_not_found(uow):
    with pytest.raises(NotFound) as missing:
        queue.handle_claim(ClaimTask(str(uuid.uuid4()), ALICE), uow, RULES)
    assert missing.value.slug == "task-not-found"


# --- release and reassignment ------------------------------------------------------------------

def test_the_holder_releases_a_task_back_to_the_queue(uow):
    task = held_by(uow, ALICE)
    released = queue.handle_release(ReleaseTask(task.id, ALICE), uow)
    assert (released.state, released.claimed_by, released.claim_expires_at) == ("open", None, None)
    assert stored(uow, task) == released
    assert uow.history.actions(task.id) == ["released"]


@pytest.mark.parametrize(("task_of", "slug"), [
    (lambda uow: held_by(uow, ALICE), "task-held"),
    (lambda uow: held_by(uow, BOB, expired=True), "claim-expired"),
    (lambda uow: seeded(uow), "wrong-state"),
])
def test_only_the_holder_of_a_live_claim_releases(uow, task_of, slug):
    task = task_of(uow)
    with pytest.raises(Conflict) as refused:
        queue.handle_release(ReleaseTask(task.id, BOB), uow)
    assert refused.value.slug == slug
    assert stored(uow, task) == task and uow.history.of_task(task.id) == []


def test_an_operator_reassigns_a_held_task_and_the_history_names_both_reviewers(uow):
    task = held_by(uow, ALICE)
    reassigned = queue.handle_reassign(ReassignTask(task.id, "bob", OPERATOR), uow, RULES)
    assert (reassigned.state, reassigned.claimed_by) == ("claimed", "bob")
    [entry] = uow.history.of_task(task.id)
    assert (entry.action, entry.actor_id, entry.detail) == ("reassigned", "olga", {"to": "bob",
                                                                                  "previous_holder": "alice"})


def test_a_decided_task_is_not_reassigned(uow):
    task = seeded(uow, state="decided")
    with pytest.raises(Conflict, match="only an open or claimed task can be reassigned"):
        queue.handle_reassign(ReassignTask(task.id, "bob", OPERATOR), uow, RULES)
    assert stored(uow, task).claimed_by is None and uow.commits == 0


# --- decisions ---------------------------------------------------------------------------------

def test_an_approval_is_final_and_published_with_the_task_change_and_its_history(uow):
    task = held_by(uow, ALICE)
    decided = queue.handle_decide(DecideTask(task.id, "approve", (), ALICE), uow, RULES)
    assert (decided.state, decided.claim_expires_at, decided.claimed_by) == ("decided", None, "alice")
    assert decided.closed_at is not None and stored(uow, task) == decided
    decision = uow.decisions.get(task.id)
    assert (decision.outcome, decision.final, decision.reviewer_id) == ("approve", True, "alice")
    [event] = uow.events_of("review.decision.made")
    assert (event.aggregate_id, event.aggregate_version) == (task.id, 2)
    assert {k: event.data[k] for k in ("kind", "subject_id", "outcome", "reasons", "reviewer_id")} == {
        "kind": "product", "subject_id": task.subject_id, "outcome": "approve", "reasons": [], "reviewer_id": "alice"}
    assert uow.history.of_task(task.id)[0].detail == {"outcome": "approve", "reasons": []}



def test_a_product_decision_names_the_submission_the_reviewer_saw(uow):
    task = held_by(uow, ALICE, snapshot={"product_id": "p-1", "submission": 3})
    queue.handle_decide(DecideTask(task.id, "approve", (), ALICE), uow, RULES)
    [event] = uow.events_of("review.decision.made")
    assert event.data["submission"] == 3  # filing applies it to that submission only


def test_a_rejection_carries_its_reasons_per_field(uow):
    task = held_by(uow, ALICE)
    queue.handle_decide(DecideTask(task.id, "reject", WHY, ALICE), uow, RULES)
    [event] = uow.events
    assert event.data["reasons"] == [{"field": "patents.0.number", "message": "专利已终止"}]
    assert uow.decisions.get(task.id).reasons == WHY


@pytest.mark.parametrize(("kind", "outcome", "reasons", "field"), [
    ("product", "reject", (), "reasons"),
    ("product", "return", (), "reasons"),
    ("organisation", "return", WHY, "outcome"),
])
def test_a_decision_that_breaks_a_rule_is_refused_naming_the_field_and_changes_nothing(uow, kind, outcome, reasons,
                                                                                       field):
    task = held_by(uow, ALICE, kind=kind)
    with pytest.raises(RuleBroken) as refused:
        queue.handle_decide(DecideTask(task.id, outcome, reasons, ALICE), uow, RULES)
    assert refused.value.slug == "decision-invalid" and field in refused.value.errors
    assert stored(uow, task) == task and uow.decisions.items == {} and uow.events == []


def test_only_the_holder_decides(uow):
    task = held_by(uow, ALICE)
    with pytest.raises(Conflict, match="Another reviewer holds this task"):
        queue.handle_decide(DecideTask(task.id, "approve", (), BOB), uow, RULES)
    assert uow.decisions.items == {} and uow.events == []


def test_a_decision_whose_event_cannot_be_written_leaves_the_task_the_decision_and_the_history_as_they_were(
        uow, monkeypatch):
    task = held_by(uow, ALICE)

    def outbox_refuses(*args, **kwargs):
        raise RuntimeError("the outbox refused")

    monkeypatch.setattr(uow, "publish", outbox_refuses)
    with pytest.raises(RuntimeError, match="outbox refused"):
        queue.handle_decide(DecideTask(task.id, "approve", (), ALICE), uow, RULES)
    assert stored(uow, task) == task
    assert uow.decisions.items == {} and uow.history.of_task(task.id) == [] and uow.commits == 0


def test_under_the_four_eyes_rule_a_rejection_is_only_proposed(uow):
    task = held_by(uow, ALICE)
    proposed = queue.handle_decide(DecideTask(task.id, "reject", WHY, ALICE), uow, FOUR_EYES)
    assert (proposed.state, proposed.claimed_by) == ("awaiting_confirmation", "alice")
    assert uow.decisions.get(task.id).final is False
    assert uow.events == []
    assert uow.history.of_task(task.id)[0].action == "rejection_proposed"


def test_under_the_four_eyes_rule_an_approval_is_still_final(uow):
    task = held_by(uow, ALICE)
    assert queue.handle_decide(DecideTask(task.id, "approve", (), ALICE), uow, FOUR_EYES).state == "decided"


# --- confirmations -----------------------------------------------------------------------------

def proposed_rejection(uow: FakeReviewUnitOfWork) -> ReviewTask:
    task = held_by(uow, ALICE, state="awaiting_confirmation")
    uow.decisions.add(TaskDecision(task.id, "reject", WHY, "alice", utcnow(), final=False))
    return task


def test_a_second_reviewer_confirms_a_rejection_which_is_then_published_as_the_proposers(uow):
    task = proposed_rejection(uow)
    confirmed = queue.handle_confirm(ConfirmRejection(task.id, True, "同意", BOB), uow)
    assert confirmed.state == "decided"
    decision = uow.decisions.get(task.id)
    assert (decision.final, decision.confirmed_by) == (True, "bob")
    [event] = uow.events_of("review.decision.made")
    assert (event.data["outcome"], event.data["reviewer_id"]) == ("reject", "alice")
    [entry] = uow.history.of_task(task.id)
    assert (entry.action, entry.actor_id, entry.detail) == ("rejection_confirmed", "bob", {"comment": "同意"})


def test_a_rejection_sent_back_returns_to_its_holder_without_a_decision(uow):
    task = proposed_rejection(uow)
    sent_back = queue.handle_confirm(ConfirmRejection(task.id, False, "理由不足", BOB), uow)
    assert (sent_back.state, sent_back.claimed_by) == ("claimed", "alice")
    assert uow.decisions.get(task.id) is None and uow.events == []
    assert uow.history.actions(task.id) == ["rejection_sent_back"]


def test_the_proposer_cannot_confirm_their_own_rejection(uow):
    task = proposed_rejection(uow)
    with pytest.raises(Conflict) as refused:
        queue.handle_confirm(ConfirmRejection(task.id, True, None, ALICE), uow)
    assert refused.value.slug == "four-eyes"
    assert uow.decisions.get(task.id).final is False and stored(uow, task).state == "awaiting_confirmation"


def test_nothing_is_confirmed_on_a_task_that_awaits_no_confirmation(uow):
    task = held_by(uow, ALICE)
    with pytest.raises(Conflict, match="nothing awaits confirmation") as refused:
        queue.handle_confirm(ConfirmRejection(task.id, True, None, BOB), uow)
    assert refused.value.slug == "wrong-state" and uow.commits == 0
